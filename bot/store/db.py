"""Engines and sessions: SQLite (WAL) by default, PostgreSQL through DATABASE_URL."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

ALEMBIC_DIR = Path(__file__).resolve().parents[2] / "alembic"
T = TypeVar("T")


def normalize_url(url: str) -> str:
    """Accept a bare path for SQLite and plain postgres:// URLs (psycopg 3 driver)."""
    if "://" not in url:
        return f"sqlite:///{url}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, **options) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **options)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _):
            # pysqlite begins transactions itself, only before INSERT/UPDATE/DELETE: a
            # SAVEPOINT or DDL as the first write then commits on its own. SQLAlchemy
            # takes over BEGIN instead (its documented recipe for pysqlite).
            connection.isolation_level = None
            for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
                connection.execute(f"PRAGMA {pragma}")

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):
            # IMMEDIATE takes the write lock at once: a transaction that reads, then
            # writes, can never write from a snapshot another writer made stale.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    options.setdefault("connect_args", {"connect_timeout": 5})  # an outage is told in seconds, not minutes
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10, pool_timeout=10, **options)


class DatabaseUnavailable(Exception):
    """The database cannot be reached (or is locked): nothing was done, try again later."""


def _unreachable(error: DBAPIError) -> bool:
    """A connection problem, not a problem with the statement (a constraint, bad SQL)."""
    if error.connection_invalidated:
        return True
    message = str(error.orig).lower()
    return any(sign in message for sign in (
        "connection", "could not connect", "server closed", "terminating", "timeout", "locked",
        "the database system is", "no route", "network", "broken pipe", "ssl",
    ))


class Database:
    """One engine and its sessions. Blocking: from an event loop, use `run`."""

    def __init__(self, url: str):
        self.url = normalize_url(url)
        self.engine = make_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    def call(self, work: Callable[[Session], T]) -> T:
        try:
            with self.session() as session:
                return work(session)
        except (OperationalError, InterfaceError) as error:
            if isinstance(error, DBAPIError) and not _unreachable(error):
                raise
            raise DatabaseUnavailable(str(error.orig) if isinstance(error, DBAPIError) else str(error)) from error

    def ping(self) -> bool:
        """Whether the database answers now (for health checks)."""
        try:
            self.call(lambda session: session.execute(text("SELECT 1")))
            return True
        except DatabaseUnavailable:
            return False

    async def run(self, work: Callable[[Session], T]) -> T:
        """Run `work(session)` in a thread, in one transaction, off the event loop."""
        return await asyncio.to_thread(self.call, work)

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema up to `revision` with Alembic, in one transaction."""
        from alembic import command

        self._migrate(command.upgrade, revision)

    def downgrade(self, revision: str) -> None:
        from alembic import command

        self._migrate(command.downgrade, revision)

    def _migrate(self, step, revision: str) -> None:
        config = alembic_config(self.url)
        with self.engine.connect() as connection:
            config.attributes["connection"] = connection  # alembic/env.py runs on this engine
            step(config, revision)

    def is_empty(self) -> bool:
        return not inspect(self.engine).get_table_names()

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(url: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    config.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return config


def insert_for(session: Session, model):
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL alike)."""
    if session.bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model)


def insert_ignore(session: Session, model, values: dict) -> bool:
    """Insert a row unless one with the same unique key exists (two workers may race);
    True when this call inserted it."""
    statement = insert_for(session, model).values(**values).on_conflict_do_nothing()
    return session.execute(statement.returning(*model.__table__.primary_key.columns)).first() is not None


def upsert(session: Session, model, values: dict | list[dict], key: tuple[str, ...], update: tuple[str, ...]) -> None:
    """Insert a row (or rows: a list of dicts alike), or set `update` columns of the row with
    the same `key`: one statement."""
    statement = insert_for(session, model).values(values)
    session.execute(statement.on_conflict_do_update(index_elements=list(key), set_={c: statement.excluded[c] for c in update}))
