"""A transaction is all or nothing on both backends, SAVEPOINTs included, and so is a migration."""

import datetime as dt
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from support import UTC, database  # noqa: F401  (a fixture)

from bot.store import Database, Group, Member

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def add_group(session, channel="c1") -> Group:
    group = Group(platform="test", channel_id=channel, created_at=NOW, categories=[], tracks=[], difficulty_mix={}, owners=[])
    session.add(group)
    session.flush()
    return group


def test_a_savepoint_that_is_the_first_write_rolls_back_with_its_transaction(database):
    """pysqlite used to commit a first-write SAVEPOINT on its RELEASE: half a transaction stayed."""
    with database.session() as session:
        group_id = add_group(session).id

    class Crash(Exception):
        pass

    with pytest.raises(Crash), database.session() as session:
        with session.begin_nested():
            session.add(Member(group_id=group_id, user_id="ada", display_name="Ada", joined_at=NOW))
        raise Crash  # the process dies between the savepoint and the rest of the work

    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 0


def test_two_writers_serialise_on_sqlite(tmp_path):
    """BEGIN IMMEDIATE: a transaction that reads then writes never works on a stale snapshot."""
    db = Database(str(tmp_path / "s.db"))
    db.upgrade()
    with db.session() as session:
        add_group(session)
    with db.engine.connect() as first:
        first.execute(text("SELECT count(*) FROM groups")).scalar()  # the transaction has begun
        assert first.in_transaction()
        other = db.engine.raw_connection()
        other.driver_connection.execute("PRAGMA busy_timeout = 50")
        with pytest.raises(Exception, match="locked"):
            other.driver_connection.execute("BEGIN IMMEDIATE")
        other.close()
    db.dispose()


def _state(path: Path) -> tuple:
    """What another process sees of the schema: its tables and the Alembic revision."""
    if not path.exists():
        return ((), None)
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        tables = tuple(sorted(r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")))
        version = connection.execute("SELECT version_num FROM alembic_version").fetchone() if "alembic_version" in tables else None
        return tables, version and version[0]
    except sqlite3.OperationalError:
        return ((), "unreadable")
    finally:
        connection.close()


def _kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)


def _upgrade_process(url: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot", "db", "upgrade", "--db", url], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _seed_at_0003(url: str) -> None:
    """A database at revision 0003 holding a group, members, a round, answers and a review."""
    db = Database(url)
    db.upgrade("0003")
    with db.engine.begin() as c:
        c.exec_driver_sql("INSERT INTO groups (id, platform, workspace_id, channel_id, name, timezone, post_time, study_days, reveal_hours, categories, tracks, difficulty_mix, dialect, owners, active, created_at) VALUES (1, 'test', '', 'c1', '', 'UTC', '09:00', 'mon', 9, '[]', '[]', '{}', 'duckdb', '[]', 1, '2026-03-02 08:00:00')")
        c.exec_driver_sql("INSERT INTO members (id, group_id, user_id, display_name, joined_at) VALUES (1, 1, 'ada', 'Ada', '2026-03-02 08:00:00'), (2, 1, 'ben', 'Ben', '2026-03-02 08:00:00')")
        c.exec_driver_sql("INSERT INTO rounds (id, group_id, study_date, question_id, skipped, due_at, posted_at, reveal_at) VALUES (1, 1, '2026-03-02', 'q', '[]', '2026-03-02 09:00:00', '2026-03-02 09:00:00', '2026-03-02 18:00:00')")
        c.exec_driver_sql("INSERT INTO answers (id, round_id, member_id, question_id, revision, text, late, via, created_at) VALUES (1, 1, 1, 'q', 1, 'an answer', 0, 'private', '2026-03-02 09:10:00')")
        c.exec_driver_sql("INSERT INTO reviews (id, round_id, author_id, reviewer_id, answer_id, points_met, rubric_size, created_at) VALUES (1, 1, 1, 2, 1, '[0]', 3, '2026-03-02 19:00:00')")
    db.dispose()


def test_migrating_a_table_others_reference_keeps_their_rows(tmp_path):
    """SQLite's batch mode copies and drops a table; with foreign keys on, that DROP cascaded."""
    url = f"sqlite:///{tmp_path / 'm.db'}"
    _seed_at_0003(url)
    db = Database(url)
    db.upgrade()
    with db.session() as session:
        assert session.execute(text("SELECT count(*) FROM reviews")).scalar() == 1
        assert session.execute(text("SELECT count(*) FROM answers")).scalar() == 1
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.dispose()


@pytest.mark.parametrize("start", ["empty", "0003"])
def test_a_migration_killed_at_any_moment_completes_or_leaves_the_database_as_it_was(tmp_path, start):
    """Kill `studybot db upgrade` the moment anything of its work shows, then at random
    moments: every state another process sees is the old schema or the new one, and the
    next start completes the upgrade without losing a row."""
    path = tmp_path / "k.db"
    url = f"sqlite:///{path}"
    if start == "0003":
        _seed_at_0003(url)
    before = _state(path)
    probe = tmp_path / "probe.db"
    if start == "0003":
        _seed_at_0003(f"sqlite:///{probe}")
    began = time.monotonic()
    assert _upgrade_process(f"sqlite:///{probe}").wait(timeout=120) == 0
    span = time.monotonic() - began
    after = _state(probe)

    # 1. The first change another process can see: killed right there.
    process = _upgrade_process(url)
    seen = before
    while process.poll() is None and seen == before:
        seen = _state(path)
    _kill(process)
    assert seen in (before, after) and _state(path) in (before, after), seen

    # 2. Random moments (seeded), while the upgrade still has work left.
    rng = random.Random(f"kill-migration-{start}")
    for _ in range(8):
        if _state(path) == after:
            break
        process = _upgrade_process(url)
        time.sleep(rng.uniform(0.3, 1.0) * span)
        _kill(process)
        assert _state(path) in (before, after)

    final = _upgrade_process(url)
    _, err = final.communicate(timeout=120)
    assert final.returncode == 0, err.decode()
    assert _state(path) == after
    if start == "0003":
        db = Database(url)
        with db.session() as session:
            assert session.execute(text("SELECT count(*) FROM reviews")).scalar() == 1
            assert session.execute(text("SELECT count(*) FROM answers")).scalar() == 1
        db.dispose()
