from support import database  # noqa: F401  (a fixture: SQLite and PostgreSQL)
