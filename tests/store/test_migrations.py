"""Alembic builds exactly the models' schema, and slack_sdk's store tables beside it,
and goes down and up again, on both backends."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, inspect
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
