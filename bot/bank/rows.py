"""A SQL question's tables as Python rows: its schema, its datasets, and their constraints.

The schema's columns and constraints come from DuckDB itself (the DDL's own NOT NULL,
PRIMARY KEY, UNIQUE and REFERENCES, with the question's declared `constraints` on
top); a dataset is read back by loading it, so any INSERT form works. Rows turn back
into ready-to-paste INSERT statements.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

import duckdb

from .models import Constraint, SqlQuestion

Rows = dict[str, list[tuple]]  # table -> rows, in schema column order
_KINDS = (("int", ("INT",)), ("number", ("DECIMAL", "DOUBLE", "FLOAT", "REAL", "NUMERIC")),
          ("timestamp", ("TIMESTAMP",)), ("date", ("DATE",)), ("bool", ("BOOL",)), ("text", ("VARCHAR", "TEXT", "CHAR")))


def kind_of(data_type: str) -> str:
    upper = data_type.upper()
    return next((kind for kind, marks in _KINDS if any(m in upper for m in marks)), "other")


@dataclass(frozen=True)
class Column:
    table: str
    name: str
    type: str

    @property
    def kind(self) -> str:
        return kind_of(self.type)

    @property
    def key(self) -> str:
        return f"{self.table}.{self.name}"


@dataclass
class Schema:
    tables: dict[str, list[Column]]
    constraints: dict[str, Constraint] = field(default_factory=dict)  # declared, with the DDL's folded in

    def column(self, key: str) -> Column | None:
        table, _, name = key.partition(".")
        return next((c for c in self.tables.get(table, ()) if c.name == name), None)

    def rule(self, key: str) -> Constraint:
        return self.constraints.get(key) or Constraint()


def connect() -> duckdb.DuckDBPyConnection:
    return duckdb.connect(":memory:", config={"enable_external_access": False, "memory_limit": "256MB", "threads": 1})


_FOREIGN = re.compile(r"REFERENCES\s+(\w+)\s*\(\s*(\w+)\s*\)", re.IGNORECASE)


def read_tables(question: SqlQuestion) -> tuple[Schema, list[Rows]]:
    """The schema, and each dataset's rows (in the question's order): one DuckDB connection."""
    con = connect()
    try:
        con.execute(question.schema_sql)
        schema = _schema(con, question)
        datasets = []
        for dataset in question.datasets:
            con.begin()
            try:
                if dataset.sql.strip():
                    con.execute(dataset.sql)
                datasets.append({t: [tuple(r) for r in con.execute(f'SELECT * FROM "{t}"').fetchall()] for t in schema.tables})
            finally:
                con.rollback()
        return schema, datasets
    finally:
        con.close()


def column_types(question: SqlQuestion) -> dict[str, dict[str, str]]:
    """Each table's columns and their DuckDB types, from the schema alone."""
    con = connect()
    try:
        con.execute(question.schema_sql)
        return {table: {c.name: c.type for c in columns} for table, columns in _columns(con).items()}
    finally:
        con.close()


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[Column]]:
    tables: dict[str, list[Column]] = {}
    for table, name, data_type in con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE NOT internal ORDER BY table_oid, column_index"
    ).fetchall():
        tables.setdefault(table, []).append(Column(table, name, data_type))
    return tables


def _schema(con: duckdb.DuckDBPyConnection, question: SqlQuestion) -> Schema:
    tables = _columns(con)
    found: dict[str, dict] = {}
    for table, kind, columns, text in con.execute(
        "SELECT table_name, constraint_type, constraint_column_names, constraint_text FROM duckdb_constraints()"
    ).fetchall():
        keys = [f"{table}.{c}" for c in columns]
        if kind in ("NOT NULL", "PRIMARY KEY"):
            for key in keys:
                found.setdefault(key, {})["not_null"] = True
        if kind in ("UNIQUE", "PRIMARY KEY"):
            found.setdefault(keys[0], {})["unique"] = True if len(columns) == 1 else tuple(columns[1:])
        if kind == "FOREIGN KEY" and (match := _FOREIGN.search(text or "")) and len(keys) == 1:
            found.setdefault(keys[0], {})["references"] = f"{match.group(1)}.{match.group(2)}"
    merged = {key: Constraint(**values) for key, values in found.items()}
    for key, declared in question.constraints.items():
        base = merged.get(key)
        merged[key] = declared if base is None else Constraint(**{**base.model_dump(exclude_defaults=True), **declared.model_dump(exclude_defaults=True)})
    return Schema(tables, merged)


# ---- SQL literals ---------------------------------------------------------------------------

def literal(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return f"'{value.isoformat(sep=' ')}'"
    if isinstance(value, (dt.date, dt.time)):
        return f"'{value.isoformat()}'"
    if isinstance(value, dt.timedelta):
        return f"INTERVAL '{int(value.total_seconds())} seconds'"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    return "'" + str(value).replace("'", "''") + "'"


def insert_sql(schema: Schema, rows: Rows, indent: str = "") -> str:
    statements = []
    for table in schema.tables:
        if rows.get(table):
            values = f",\n{indent}  ".join("(" + ", ".join(literal(v) for v in row) + ")" for row in rows[table])
            statements.append(f"{indent}INSERT INTO {table} VALUES\n{indent}  {values};")
    return "\n".join(statements)


# ---- constraints --------------------------------------------------------------------------------

def coerce(bound, column: Column):
    """A constraint's bound as a value comparable with the column's."""
    if bound is None:
        return None
    if column.kind == "timestamp":
        return bound if isinstance(bound, dt.datetime) else dt.datetime.fromisoformat(str(bound))
    if column.kind == "date":
        return bound.date() if isinstance(bound, dt.datetime) else bound if isinstance(bound, dt.date) else dt.date.fromisoformat(str(bound))
    if column.kind in ("int", "number"):
        return Decimal(str(bound))
    return str(bound)


def within(value, column: Column, rule: Constraint) -> bool:
    if value is None:
        return not rule.not_null
    if rule.range is None:
        return True
    low, high = (coerce(b, column) for b in rule.range)
    probe = Decimal(str(value)) if column.kind in ("int", "number") else value
    try:
        return (low is None or probe >= low) and (high is None or probe <= high)
    except TypeError:
        return True


def hashable(value):
    """A value as a set member: DuckDB gives LIST and MAP columns as lists, STRUCT as dicts."""
    if isinstance(value, (list, tuple)):
        return tuple(hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, hashable(v)) for k, v in value.items())
    return value


def violations(schema: Schema, rows: Rows) -> list[str]:
    """How `rows` break the schema's constraints, one phrase each (empty: they do not)."""
    broken = []
    for key, rule in schema.constraints.items():
        if "." not in key:
            if rule.not_empty and not rows.get(key):
                broken.append(f"{key} is empty ({key}: not_empty)")
            continue
        column = schema.column(key)
        if column is None:
            continue
        columns = schema.tables[column.table]
        index = columns.index(column)
        values = [row[index] for row in rows.get(column.table, [])]
        if rule.not_null and None in values:
            broken.append(f"{key} holds NULL (not_null)")
        bad = [v for v in values if v is not None and not within(v, column, rule)]
        if bad:
            broken.append(f"{key} holds {literal(bad[0])}, outside its range")
        if rule.unique:
            together = [columns.index(c) for c in columns if rule.unique is not True and c.name in rule.unique]
            keys = [hashable((row[index], *(row[i] for i in together))) for row in rows.get(column.table, []) if row[index] is not None]
            if len(keys) != len(set(keys)):
                broken.append(f"{key} repeats a value (unique)")
        if rule.references:
            target = schema.column(rule.references)
            if target is not None:
                known = {hashable(r[schema.tables[target.table].index(target)]) for r in rows.get(target.table, [])}
                missing = [v for v in values if v is not None and hashable(v) not in known]
                if missing:
                    broken.append(f"{key} holds {literal(missing[0])}, not in {rule.references}")
    return broken


