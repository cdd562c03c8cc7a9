"""From a member's answer text to one read-only DuckDB query.

Three steps: find the SQL and its dialect (a Markdown code fence's tag names it),
refuse anything that is not exactly one query, and translate other dialects to DuckDB
with sqlglot, keeping the meaning where sqlglot keeps only the syntax (the rules are
in meaning.py: integer division truncates in PostgreSQL, SQLite, T-SQL, Redshift and
Trino; Oracle's '' is NULL; ...). What cannot be kept is refused by name, never graded
with another meaning.
"""

from __future__ import annotations

import json
import re
import threading

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError, UnsupportedError

from . import meaning, messages
from .messages import clean_message  # noqa: F401  (its home is messages; imported from here too)
from .problems import Refused, SyntaxProblem, Unsupported

DIALECTS = (
    "duckdb", "postgres", "mysql", "bigquery", "snowflake", "sqlite",
    "tsql", "oracle", "redshift", "trino", "spark",
)
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
    "tsql": "tsql",
    "t-sql": "tsql",
    "mssql": "tsql",
    "sqlserver": "tsql",
    "sql-server": "tsql",
    "oracle": "oracle",
    "plsql": "oracle",
    "redshift": "redshift",
    "trino": "trino",
    "presto": "trino",
    "spark": "spark",
    "sparksql": "spark",
    "databricks": "spark",
}

MAX_ANSWER_CHARS = 20_000

_FENCE = re.compile(r"```[ \t]*([\w+-]*)[^\n]*\n(.*?)(?:```|\Z)", re.DOTALL)


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


def check_read_only(
    sql: str, written: str | None = None, dialect: str = "duckdb", parser: duckdb.DuckDBPyConnection | None = None,
) -> duckdb.Statement:
    """The one DuckDB query `sql` is, parsed by DuckDB itself (by `parser`, a connection,
    if given); refused if it is anything else.

    `written` is the member's text when `sql` is its translation from `dialect`.
    """
    try:
        statements = (parser or duckdb).extract_statements(sql)
    except duckdb.Error as error:
        raise SyntaxProblem(messages.duckdb_error(str(error), written or sql, dialect)) from None
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
    return statements[0]


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


def to_duckdb(
    sql: str, dialect: str, tables: dict[str, dict[str, str]] | None = None,
    parser: duckdb.DuckDBPyConnection | None = None,
) -> duckdb.Statement:
    """Translate one query from `dialect` to DuckDB, parsed (by `parser`, if given) and
    proven read-only: the statement to run, on any connection, parsed once.

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
    query = sql
    if dialect != "duckdb":
        try:
            query = _translate(sql, dialect, tables or {})
        except RecursionError:
            raise SyntaxProblem(
                f"cannot translate this {dialect} query to DuckDB: it is nested too deeply"
            ) from None
    return check_read_only(query, sql, dialect, parser)


def _translate(sql: str, dialect: str, tables: dict[str, dict[str, str]]) -> str:
    try:
        statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    except SqlglotError as error:
        raise SyntaxProblem(messages.syntax_error(error, sql, dialect)) from None
    except RecursionError:
        raise
    except Exception:  # a sqlglot bug on odd input must not end the worker
        raise SyntaxProblem(messages.untranslatable(dialect)) from None
    if not statements:
        raise Refused("Refused: the answer holds no SQL. Send one query.")
    if len(statements) > 1:
        raise _refuse_count(len(statements))
    tree = statements[0]
    if not isinstance(tree, (exp.Query, exp.Values)):
        raise _refuse_statement(tree, sql)
    meaning.refuse_what_cannot_be_kept(tree, dialect, tables)
    try:
        return meaning.keep(tree, dialect, tables).sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
    except UnsupportedError as error:
        raise Unsupported(messages.unsupported(error, dialect)) from None
    except (Unsupported, RecursionError):
        raise
    except Exception:  # sqlglot fails on some odd trees (AttributeError and others): not the member's fault
        raise SyntaxProblem(messages.untranslatable(dialect)) from None


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
