"""From a member's answer text to one read-only DuckDB query.

Three steps: find the SQL and its dialect (a Markdown code fence's tag names it),
refuse anything that is not exactly one query, and translate other dialects to DuckDB
with sqlglot, keeping the meaning where sqlglot keeps only the syntax (integer
division truncates in PostgreSQL and SQLite).
"""

from __future__ import annotations

import json
import re
import threading

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.qualify import qualify

DIALECTS = ("duckdb", "postgres", "mysql", "bigquery", "snowflake", "sqlite")
DEFAULT_DIALECT = "duckdb"

# Names people use, in code fences or settings, for the dialects we read.
ALIASES = {
    "duckdb": "duckdb",
    "postgres": "postgres",
    "postgresql": "postgres",
    "psql": "postgres",
    "pg": "postgres",
    "pgsql": "postgres",
    "mysql": "mysql",
    "mariadb": "mysql",
    "bigquery": "bigquery",
    "bq": "bigquery",
    "googlesql": "bigquery",
    "snowflake": "snowflake",
    "sqlite": "sqlite",
    "sqlite3": "sqlite",
}

# Dialects where `/` between two integers truncates toward zero.
INTEGER_DIVISION = {"postgres", "sqlite"}

MAX_ANSWER_CHARS = 20_000

_FENCE = re.compile(r"```[ \t]*([\w+-]*)[^\n]*\n(.*?)(?:```|\Z)", re.DOTALL)


class Refused(Exception):
    """The answer is not one read-only query; it must never run."""


class SyntaxProblem(Exception):
    """The answer could not be parsed in its dialect."""


def normalize_dialect(name: str | None) -> str:
    """The canonical dialect for a name or alias; ValueError for an unknown one."""
    if not name:
        return DEFAULT_DIALECT
    canonical = ALIASES.get(name.strip().lower())
    if canonical is None:
        raise ValueError(f"unknown SQL dialect {name!r}; choose one of: {', '.join(DIALECTS)}")
    return canonical


def extract_sql(text: str, default_dialect: str = DEFAULT_DIALECT) -> tuple[str, str]:
    """The SQL in an answer and its dialect.

    A fenced block wins over the text around it; its tag names the dialect when it is
    one we know (```` ```sql ```` or no tag keeps the default).
    """
    match = _FENCE.search(text)
    if match:
        tag, body = match.group(1).lower(), match.group(2)
        return body.strip(), ALIASES.get(tag, default_dialect)
    stripped = text.strip()
    if len(stripped) > 1 and stripped.startswith("`") and stripped.endswith("`"):
        stripped = stripped.strip("`").strip()
    return stripped, default_dialect


# What each refused DuckDB statement type does, for the refusal message.
_REFUSED_BECAUSE = {
    "INSERT": "changes data",
    "UPDATE": "changes data",
    "DELETE": "changes data",
    "CREATE": "changes the schema",
    "CREATE_FUNC": "changes the schema",
    "DROP": "changes the schema",
    "ALTER": "changes the schema",
    "COPY": "reads or writes files",
    "COPY_DATABASE": "reads or writes files",
    "EXPORT": "writes files",
    "ATTACH": "opens another database",
    "DETACH": "closes a database",
    "LOAD": "installs or loads an extension",
    "SET": "changes settings",
    "VARIABLE_SET": "changes settings",
    "PRAGMA": "changes or reads settings",
    "TRANSACTION": "controls transactions",
    "EXPLAIN": "explains a plan instead of returning rows",
    "CALL": "calls a procedure",
    "PREPARE": "prepares a statement",
    "EXECUTE": "executes a prepared statement",
    "VACUUM": "maintains the database",
    "MERGE_INTO": "changes data",
}

_QUERY_ONLY = (
    "Answers must be one read-only query (SELECT, WITH … SELECT, VALUES or a set "
    "operation such as UNION); nothing was run."
)


def _refuse_kind(kind: str, where: str = "") -> Refused:
    kind = kind.upper()
    why = _REFUSED_BECAUSE.get(kind, "is not a query")
    label = {"LOAD": "INSTALL/LOAD", "VARIABLE_SET": "SET"}.get(kind, kind.replace("_", " "))
    return Refused(f"Refused: {label}{where} {why}. {_QUERY_ONLY}")


def _refuse_count(count: int) -> Refused:
    return Refused(
        f"Refused: the answer holds {count} statements. Send exactly one query "
        "(a trailing semicolon is fine); nothing was run."
    )


def check_read_only(sql: str) -> None:
    """Refuse unless `sql` is exactly one DuckDB query, using DuckDB's own parser."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as error:
        raise SyntaxProblem(clean_message(str(error))) from None
    if not statements:
        raise Refused("Refused: the answer holds no SQL. Send one query.")
    if len(statements) > 1:
        raise _refuse_count(len(statements))
    kind = statements[0].type.name
    if kind != "SELECT":
        raise _refuse_kind(kind)
    nested = _data_modifying_cte(sql)
    if nested is not None:
        raise _refuse_kind(nested, " inside a WITH clause")


_parser_lock = threading.Lock()
_parser: duckdb.DuckDBPyConnection | None = None
_MODIFYING_NODE = re.compile(r"([A-Z_]+)_QUERY_NODE")
_MODIFYING_KEYWORD = re.compile(r"\b(insert|update|delete|merge|copy)\b", re.IGNORECASE)


def _data_modifying_cte(sql: str) -> str | None:
    """The kind of a data-modifying statement nested in a query, or None.

    DuckDB classifies `WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d` as a
    SELECT, yet runs the DELETE (also INSERT, UPDATE, MERGE INTO and COPY TO). Its own
    serialized parse tree names such bodies `DELETE_QUERY_NODE` and so on.
    """
    if not _MODIFYING_KEYWORD.search(sql):
        return None  # such a statement needs its keyword; most answers skip serializing the tree
    global _parser
    with _parser_lock:
        if _parser is None:
            _parser = duckdb.connect(
                ":memory:",
                config={
                    "enable_external_access": False,
                    "autoload_known_extensions": False,
                    "autoinstall_known_extensions": False,
                },
            )
        try:
            tree = json.loads(_parser.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()[0])
        except (duckdb.Error, ValueError, TypeError):
            return None  # not serializable: it still runs in a transaction that is rolled back
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            match = _MODIFYING_NODE.fullmatch(str(node.get("type", "")))
            if match:
                return match.group(1)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None


def to_duckdb(sql: str, dialect: str, tables: dict[str, dict[str, str]] | None = None) -> str:
    """Translate one query from `dialect` to DuckDB and prove it is read-only.

    `tables` maps table -> column -> DuckDB type, so division between integer columns
    can keep its truncating meaning in PostgreSQL and SQLite.
    """
    if len(sql) > MAX_ANSWER_CHARS:
        raise Refused(
            f"Refused: the answer is {len(sql):,} characters long; the limit is "
            f"{MAX_ANSWER_CHARS:,}. Send one query, not a script."
        )
    try:
        sql.encode("utf-8")
    except UnicodeEncodeError:
        raise SyntaxProblem(
            "The answer is not valid UTF-8 text (it holds an unpaired surrogate); "
            "save it as UTF-8 and try again."
        ) from None
    if dialect != "duckdb":
        try:
            sql = _translate(sql, dialect, tables or {})
        except RecursionError:
            raise SyntaxProblem(
                f"cannot translate this {dialect} query to DuckDB: it is nested too deeply"
            ) from None
    check_read_only(sql)
    return sql


def _translate(sql: str, dialect: str, tables: dict[str, dict[str, str]]) -> str:
    try:
        statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    except ParseError as error:
        raise SyntaxProblem(f"{dialect} syntax error: {_first_parse_error(error)}") from None
    except SqlglotError as error:
        raise SyntaxProblem(f"{dialect} syntax error: {error}") from None
    if not statements:
        raise Refused("Refused: the answer holds no SQL. Send one query.")
    if len(statements) > 1:
        raise _refuse_count(len(statements))
    tree = statements[0]
    if not isinstance(tree, (exp.Query, exp.Values)):
        raise _refuse_statement(tree, sql)
    if dialect in INTEGER_DIVISION:
        tree = _keep_integer_division(tree, dialect, tables)
    try:
        return tree.sql(dialect="duckdb")
    except SqlglotError as error:
        raise SyntaxProblem(f"cannot translate this {dialect} query to DuckDB: {error}") from None


def _refuse_statement(tree: exp.Expression, sql: str) -> Refused:
    """A refusal that names the statement as a member wrote it.

    sqlglot's own node names say little (`INSTALL httpfs` parses as an alias, `LOAD` as
    a command), so ask DuckDB's parser first, then fall back to the first word.
    """
    try:
        check_read_only(sql)
    except Refused as refusal:
        return refusal
    except SyntaxProblem:
        pass
    first = re.match(r"\s*([A-Za-z]+)", sql)
    return _refuse_kind(first.group(1) if first else tree.key)


def _keep_integer_division(tree: exp.Expression, dialect: str, tables: dict) -> exp.Expression:
    """Rewrite `a / b` as DuckDB's truncating `a // b` where both sides are integers."""
    schema = {t.lower(): {c.lower(): typ for c, typ in cols.items()} for t, cols in tables.items()}
    try:
        typed = qualify(tree.copy(), schema=schema, dialect=dialect, validate_qualify_columns=True)
    except SqlglotError:
        typed = tree.copy()  # unknown columns: DuckDB will say which; literals still get typed
    typed = annotate_types(typed, schema=schema, dialect=dialect)
    for div in list(typed.find_all(exp.Div)):
        if _is_integer(div.left) and _is_integer(div.right):
            div.replace(exp.IntDiv(this=div.left.copy(), expression=div.right.copy()))
    return typed


def _is_integer(node: exp.Expression) -> bool:
    return node.type is not None and node.type.is_type(*exp.DataType.INTEGER_TYPES)


def _first_parse_error(error: ParseError) -> str:
    if error.errors:
        first = error.errors[0]
        return f"{first.get('description')} near line {first.get('line')}, column {first.get('col')}"
    return str(error)


_INTERNAL_PATH = re.compile(r"(?<![\w)\]])(/[\w.+-]+){2,}")


def clean_message(message: str) -> str:
    """A database message fit for a member: no internal paths, no multi-page hints."""
    message = _INTERNAL_PATH.sub("<path>", message)
    message = message.split("\n\nPossible solutions:")[0]
    lines = [line.rstrip() for line in message.strip().splitlines()]
    return "\n".join(lines[:6])[:600]
