"""Shared test helpers: databases on SQLite and PostgreSQL, a fake clock, a small bank."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.bank import load_bank
from bot.store import Database

FIXTURE_BANK = Path(__file__).parent / "fixtures" / "bank"
PRACTICE_BANK = Path(__file__).parent / "fixtures" / "practice_bank"  # more categories, tags and tracks, for practice and mocks
POSTGRES_URL = os.environ.get("STUDYBOT_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
POSTGRES_REQUIRED = os.environ.get("STUDYBOT_REQUIRE_POSTGRES") == "1"


def _postgres_reachable() -> bool:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


POSTGRES_UP = _postgres_reachable()

# Every store and study test runs on both backends; PostgreSQL skips only when it is
# unreachable and not required (CI requires it).
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=pytest.mark.skipif(
            not POSTGRES_UP and not POSTGRES_REQUIRED, reason=f"no PostgreSQL at {POSTGRES_URL}"
        ),
    ),
]


def fresh_database_url(backend: str, tmp_path: Path) -> tuple[str, callable]:
    """A URL for an empty database of the backend, and a function that drops it."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'studybot.db'}", lambda: None
    if not POSTGRES_UP:
        pytest.fail(f"PostgreSQL is required (STUDYBOT_REQUIRE_POSTGRES=1) but {POSTGRES_URL} is unreachable")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}", drop


class FakeClock:
    def __init__(self, start: dt.datetime):
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, moment: dt.datetime) -> None:
        self.now = moment

    def advance(self, **delta) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


def fixture_bank():
    return load_bank(FIXTURE_BANK)


def practice_bank():
    return load_bank(PRACTICE_BANK)


@pytest.fixture(params=BACKENDS)
def database(request, tmp_path):
    url, drop = fresh_database_url(request.param, tmp_path)
    db = Database(url)
    db.upgrade()
    yield db
    db.dispose()
    drop()


UTC = dt.timezone.utc


def member(name: str, admin: bool = False, channel: str = "c1"):
    """A member of the test group on the neutral "test" platform."""
    from bot.study import Actor

    return Actor("test", channel, name.lower(), name, is_admin=admin)


ADMIN = member("Olga", admin=True)
ADA, BEN, CY = member("Ada"), member("Ben"), member("Cy")


# For whichever fixture SQL question is posted: a correct and a wrong answer.
ANSWERS = {
    "sql-customers-without-orders": (
        "SELECT c.name FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)",
        "SELECT name FROM customers WHERE id NOT IN (SELECT customer_id FROM orders)",
    ),
    "sql-daily-revenue": (
        "SELECT order_date, SUM(amount) FROM orders GROUP BY 1",
        "SELECT order_date, COUNT(*) FROM orders GROUP BY 1",
    ),
    "sql-top-spender": (
        "SELECT customer_id FROM orders GROUP BY 1 HAVING SUM(amount) = (SELECT MAX(t) FROM (SELECT SUM(amount) t FROM orders GROUP BY customer_id))",
        "SELECT customer_id FROM orders GROUP BY 1 ORDER BY SUM(amount) DESC LIMIT 1",
    ),
    # the practice bank's own
    "sql-orders-per-customer": (
        "SELECT c.name, COUNT(o.id) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.name",
        "SELECT c.name, COUNT(*) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.name",
    ),
    "sql-latest-order": (
        "SELECT customer_id, id FROM (SELECT customer_id, id, RANK() OVER (PARTITION BY customer_id ORDER BY ordered_at DESC) r FROM orders) WHERE r = 1",
        "SELECT customer_id, MAX(id) FROM orders GROUP BY customer_id",
    ),
}
