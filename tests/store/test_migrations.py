"""Alembic builds exactly the models' schema, and slack_sdk's store tables beside it,
and goes down and up again, on both backends."""

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, inspect, text
from sqlalchemy.exc import IntegrityError
from support import BACKENDS, fresh_database_url

from bot.chat.slack.installs import store_tables
from bot.store import Base, Database


def expected_schema() -> MetaData:
    """Ours (bot.store's models) and theirs (the tables slack_sdk's SQLAlchemy stores use)."""
    schema = MetaData()
    for metadata in (Base.metadata, store_tables()):
        for table in metadata.tables.values():
            table.to_metadata(schema)
    return schema


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path):
    url, drop = fresh_database_url(request.param, tmp_path)
    db = Database(url)
    yield db
    db.dispose()
    drop()


def schema_diff(db: Database):
    with db.engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), expected_schema())


def test_upgrade_builds_the_models_schema_and_downgrade_removes_it(empty_database):
    db = empty_database
    assert db.is_empty()
    db.upgrade()
    assert schema_diff(db) == []
    tables = set(inspect(db.engine).get_table_names())
    assert {"groups", "members", "rounds", "answers", "reviews", "hint_uses", "score_entries"} <= tables
    assert {"slack_bots", "slack_installations", "slack_oauth_states"} <= tables
    db.downgrade("base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    db.upgrade()
    assert schema_diff(db) == []


def test_constraints_are_named_by_convention(empty_database):
    db = empty_database
    db.upgrade()
    uniques = {u["name"] for u in inspect(db.engine).get_unique_constraints("rounds")}
    assert "uq_rounds_group_id_study_date" in uniques
    groups = {u["name"]: u["column_names"] for u in inspect(db.engine).get_unique_constraints("groups")}
    assert groups == {"uq_groups_platform_workspace_id_channel_id": ["platform", "workspace_id", "channel_id"]}


def test_sqlite_runs_in_wal_mode(tmp_path):
    db = Database(str(tmp_path / "wal.db"))
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    db.dispose()


def test_0006_keeps_groups_and_makes_a_channel_unique_per_workspace(empty_database):
    db = empty_database
    db.upgrade("0004")
    columns = "platform, workspace_id, channel_id, name, timezone, post_time, study_days, reveal_hours, categories, tracks, difficulty_mix, dialect, owners, active, created_at"
    row = "'slack', '{ws}', 'C1', '', 'UTC', '09:00', 'mon', 9, '[]', '[]', '{{}}', 'duckdb', '[]', true, '2026-03-02 08:00:00'"
    insert = lambda ws: text(f"INSERT INTO groups ({columns}) VALUES ({row.format(ws=ws)})")  # noqa: E731
    with db.engine.begin() as connection:
        connection.execute(insert("T1"))
    db.upgrade()
    with db.engine.begin() as connection:
        connection.execute(insert("T2"))  # the same channel id in another workspace: a group of its own
        assert connection.execute(text("SELECT workspace_id FROM groups ORDER BY id")).scalars().all() == ["T1", "T2"]
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        connection.execute(insert("T2"))


def upgraded_from(db: Database, revision: str, insert_round: str, rounds: list[dict]) -> None:
    """The database at `revision`, group 1 and its `rounds` written as that schema stands
    (no models), then upgraded to the head."""
    db.upgrade(revision)
    with db.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO groups (platform, workspace_id, channel_id, name, timezone, post_time, study_days, reveal_hours, categories, tracks, "
            "difficulty_mix, dialect, owners, active, created_at) VALUES ('discord', 'G', 'C1', '', 'UTC', '09:00', 'mon', 9, '[]', '[]', '{}', 'duckdb', '[]', true, :now)"
        ), {"now": NOW})
        for values in rounds:
            connection.execute(text(insert_round), {"now": NOW, **values})
    db.upgrade()


NOW = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)  # naive UTC, as stored


def test_0011_closes_the_rounds_whose_review_window_had_ended_and_leaves_the_open_ones(empty_database):
    db = empty_database
    upgraded_from(db, "0010", "INSERT INTO rounds (group_id, study_date, question_id, skipped, due_at, posted_at, reveal_at, revealed_at, bonus) "
                  "VALUES (1, :day, 'q', '[]', :now, :now, :now, :revealed, false)",
                  [{"day": dt.date(2026, 3, day), "revealed": revealed}
                   for day, revealed in ((1, NOW - dt.timedelta(days=3)), (2, NOW - dt.timedelta(hours=1)), (3, None))])
    with db.engine.connect() as connection:
        closed = connection.execute(text("SELECT closed_at FROM rounds ORDER BY study_date")).scalars().all()
    assert [c is not None for c in closed] == [True, False, False]  # no edit storm over the history; open windows still close


def test_0012_takes_the_edits_claimed_before_it_as_made(empty_database):
    db = empty_database
    rounds = ((1, NOW - dt.timedelta(days=3), NOW - dt.timedelta(days=1)), (2, NOW - dt.timedelta(hours=1), None), (3, None, None))
    upgraded_from(db, "0011_round_closed",
                  "INSERT INTO rounds (group_id, study_date, question_id, skipped, due_at, posted_at, reveal_at, revealed_at, closed_at, "
                  "message_ref, reveal_ref, bonus) VALUES (1, :day, 'q', '[]', :now, :now, :now, :revealed, :closed, 'm', 'r', false)",
                  [{"day": dt.date(2026, 3, day), "revealed": revealed, "closed": closed} for day, revealed, closed in rounds])
    with db.engine.connect() as connection:
        edited = connection.execute(text(
            "SELECT revealed_at, post_edited_at, closed_at, reveal_edited_at FROM rounds ORDER BY study_date")).all()
    # Edits claimed before the revision went out once, as it was then: no edit storm after an upgrade.
    assert [(post == revealed, reveal == closed) for revealed, post, closed, reveal in edited] == [(True, True)] * 3
    assert edited[2][1] is None and edited[0][3] is not None
