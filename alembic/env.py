"""Alembic environment: the schema is bot.store.models, on the engine bot.store makes.

Every upgrade runs in one transaction, SQLite included (its DDL is transactional once
bot.store takes over BEGIN from pysqlite), so a process killed mid-migration leaves the
database as it was. SQLite's batch mode rebuilds a table by copy, drop and rename: with
foreign keys on, that DROP would run the ON DELETE CASCADE of every table referencing
it, so they are off while migrating and checked before the commit.
"""

from alembic import context
from sqlalchemy.pool import NullPool

from bot.store.db import make_engine
from bot.store.models import Base

config = context.config
target_metadata = Base.metadata
# slack_sdk's installation and OAuth state stores keep their tables beside ours (made
# by migration 0006, defined by slack_sdk): autogenerate must leave them alone.
SLACK_SDK_TABLES = {"slack_bots", "slack_installations", "slack_oauth_states"}


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    table = obj if type_ == "table" else getattr(obj, "table", None)
    return getattr(table, "name", name) not in SLACK_SDK_TABLES


def run_migrations_offline() -> None:
    url = config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True, render_as_batch=True, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


def migrate(connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:  # a PRAGMA that only takes effect outside a transaction: on the DBAPI connection
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    try:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=sqlite, transactional_ddl=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration left rows whose foreign keys point nowhere: {broken[:5]}")
    finally:
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        migrate(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"), poolclass=NullPool)
    with engine.connect() as connection:
        migrate(connection)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
