"""A question as members see it: plain text with the SQL sample as small tables."""

from __future__ import annotations

import datetime as dt
import decimal
import threading
from dataclasses import dataclass

import duckdb

from .models import AnyQuestion, SqlQuestion


@dataclass(frozen=True)
class SampleTable:
    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]


_duckdb: duckdb.DuckDBPyConnection | None = None
_duckdb_lock = threading.Lock()


def sample_tables(question: SqlQuestion) -> list[SampleTable]:
    """The visible sample's tables, in schema order (blocking: runs DuckDB).

    Opening a DuckDB connection costs tens of milliseconds, attaching a fresh in-memory
    database a few: at 09:00 thousands of posts are rendered, so one connection serves all.
    """
    global _duckdb
    with _duckdb_lock:
        if _duckdb is None:
            _duckdb = duckdb.connect(":memory:", config={"enable_external_access": False})
        con = _duckdb.cursor()
        con.execute("ATTACH ':memory:' AS sample_db")
        try:
            con.execute("USE sample_db")
            con.execute(question.schema_sql)
            if question.sample.sql.strip():
                con.execute(question.sample.sql)
            names = [
                r[0]
                for r in con.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE database_name = 'sample_db' ORDER BY table_oid"
                ).fetchall()
            ]
            tables = []
            for name in names:
                cursor = con.execute(f'SELECT * FROM "{name}"')
                columns = tuple(d[0] for d in cursor.description)
                tables.append(SampleTable(name, columns, tuple(map(tuple, cursor.fetchall()))))
            return tables
        finally:
            con.execute("USE memory")
            con.execute("DETACH sample_db")
            con.close()


def cell(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (dt.date, decimal.Decimal)):
        return str(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def format_table(columns: tuple[str, ...], rows: tuple[tuple, ...] | list[tuple], max_width: int = 24) -> str:
    """A fixed-width text table, for a code block."""

    def clip(text: str) -> str:
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [[clip(str(c)) for c in columns]] + [[clip(cell(v)) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def question_text(question: AnyQuestion) -> str:
    """The daily post of a question as plain Markdown-ish text."""
    head = f"**{question.title}** · {question.category} · {question.difficulty}"
    parts = [head, question.prompt.strip()]
    if isinstance(question, SqlQuestion):
        parts.append("Schema:\n```sql\n" + question.schema_sql.strip() + "\n```")
        for table in sample_tables(question):
            parts.append(f"`{table.name}` (sample):\n```\n{format_table(table.columns, table.rows)}\n```")
    return "\n\n".join(parts)
