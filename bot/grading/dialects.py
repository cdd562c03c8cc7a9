"""From a member's answer text to one read-only DuckDB query.

Three steps: find the SQL and its dialect (a Markdown code fence's tag names it),
refuse anything that is not exactly one query, and translate other dialects to DuckDB
with sqlglot, keeping the meaning where sqlglot keeps only the syntax (integer
division truncates in PostgreSQL, SQLite, T-SQL, Redshift and Trino; Oracle's '' is
NULL; ...). What cannot be kept is refused by name, never graded with another meaning.
"""

from __future__ import annotations

import json
import re
import threading

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError, UnsupportedError
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.qualify import qualify
from sqlglot.schema import MappingSchema

from . import messages
from .messages import clean_message  # noqa: F401  (its home is messages; imported from here too)

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

# Dialects where `/` between two integers truncates toward zero.
INTEGER_DIVISION = {"postgres", "sqlite", "tsql", "redshift", "trino"}
# Dialects where AVG of integers is an integer, truncated (SQL Server's int, Redshift's BIGINT).
INTEGER_AVERAGE = {"tsql", "redshift"}
# Dialects where CAST of a fraction to an integer truncates (DuckDB rounds: 2.7 is 3).
TRUNCATING_CASTS = {"tsql", "spark", "sqlite"}
# Dialects whose day of the week counts Sunday as 1 (DuckDB's dayofweek: Sunday is 0).
SUNDAY_IS_ONE = {"tsql", "spark"}
# Rewrites that need the type of each expression, from the question's schema.
_TYPED = INTEGER_DIVISION | INTEGER_AVERAGE | TRUNCATING_CASTS | {"tsql", "oracle"}

MAX_ANSWER_CHARS = 20_000

_FENCE = re.compile(r"```[ \t]*([\w+-]*)[^\n]*\n(.*?)(?:```|\Z)", re.DOTALL)


class Refused(Exception):
    """The answer is not one read-only query; it must never run."""


class SyntaxProblem(Exception):
    """The answer could not be parsed in its dialect."""


class Unsupported(SyntaxProblem):
    """The answer uses a construct whose meaning in its dialect DuckDB cannot keep."""


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


def check_read_only(sql: str, written: str | None = None, dialect: str = "duckdb") -> None:
    """Refuse unless `sql` is exactly one DuckDB query, using DuckDB's own parser.

    `written` is the member's text when `sql` is its translation from `dialect`.
    """
    try:
        statements = duckdb.extract_statements(sql)
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
    query = sql
    if dialect != "duckdb":
        try:
            query = _translate(sql, dialect, tables or {})
        except RecursionError:
            raise SyntaxProblem(
                f"cannot translate this {dialect} query to DuckDB: it is nested too deeply"
            ) from None
    check_read_only(query, sql, dialect)
    return query


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
    _refuse_what_cannot_be_kept(tree, dialect, tables)
    try:
        if dialect in _TYPED:
            tree = _keep_meaning(tree, dialect, tables)
        if dialect == "oracle":
            _drop_dual(tree, tables)
        if dialect == "mysql":
            _mysql_meaning(tree)
        if dialect in SUNDAY_IS_ONE:
            _sunday_is_one(tree, dialect)
        return tree.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
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


def _refuse_what_cannot_be_kept(tree: exp.Expression, dialect: str, tables: dict) -> None:
    """Refuse, by name, constructs sqlglot would silently give another meaning in DuckDB."""
    name = messages.DIALECT_NAMES[dialect]
    for options in tree.find_all(exp.LimitOptions):
        keyword = "TOP" if isinstance(options.parent, exp.Limit) and dialect == "tsql" else "FETCH FIRST"
        if options.args.get("with_ties"):
            raise Unsupported(
                f"{name}'s {keyword} … WITH TIES cannot be checked here; keep the tied rows "
                f"with RANK() OVER (ORDER BY …) <= n instead."
            )
        if options.args.get("percent"):
            raise Unsupported(
                f"{name}'s {keyword} … PERCENT cannot be checked here; count the rows with "
                f"ROW_NUMBER() OVER (ORDER BY …) and COUNT(*) OVER () instead."
            )
    if dialect == "oracle":
        known = {c.lower() for cols in tables.values() for c in cols}
        for column in tree.find_all(exp.Column):
            if column.name.upper() in ("ROWNUM", "ROWID") and not column.this.quoted and column.name.lower() not in known:
                raise Unsupported(
                    f"Oracle's {column.name.upper()} cannot be checked here; use FETCH FIRST n ROWS "
                    "ONLY or ROW_NUMBER() OVER (ORDER BY …) instead."
                )


def _keep_meaning(tree: exp.Expression, dialect: str, tables: dict) -> exp.Expression:
    """Rewrite what DuckDB means differently, using each expression's type in the schema."""
    schema = MappingSchema(
        {t: {c: _duckdb_type(typ) for c, typ in cols.items()} for t, cols in tables.items()},
        dialect=dialect,
    )
    try:
        typed = qualify(tree.copy(), schema=schema, dialect=dialect, validate_qualify_columns=True)
    except SqlglotError:
        typed = tree.copy()  # unknown columns: DuckDB will say which; literals still get typed
    typed = annotate_types(typed, schema=schema, dialect=dialect)
    # Decide on the typed tree first: a rewritten node has no type.
    divisions = [d for d in typed.find_all(exp.Div) if _is_integer(d.left) and _is_integer(d.right)] \
        if dialect in INTEGER_DIVISION else []
    averages = [a for a in typed.find_all(exp.Avg) if _is_integer(_avg_argument(a), divisions)] \
        if dialect in INTEGER_AVERAGE else []
    casts = [c for c in typed.find_all(exp.Cast, exp.Convert) if _casts_fraction_to_integer(c)] \
        if dialect in TRUNCATING_CASTS else []
    if dialect == "tsql":
        _tsql_plus(typed)
        for length in list(typed.find_all(exp.Length)):  # LEN ignores trailing spaces
            length.set("this", exp.Anonymous(this="RTRIM", expressions=[length.this]))
    if dialect == "oracle":
        _oracle_meaning(typed)
    for cast in casts:  # CAST(x AS INT) and T-SQL's CONVERT(INT, x)
        value = "this" if isinstance(cast, exp.Cast) else "expression"
        cast.set(value, exp.Anonymous(this="TRUNC", expressions=[cast.args[value]]))
    for average in averages:
        target = average.parent if isinstance(average.parent, exp.Window) else average
        _wrap(target, lambda node: exp.cast(exp.Anonymous(this="TRUNC", expressions=[node]), "BIGINT"))
    for division in divisions:
        _wrap(division, lambda node: exp.IntDiv(this=node.this, expression=node.expression))
    return typed


def _casts_fraction_to_integer(node: exp.Expression) -> bool:
    to, value = (node.args.get("to"), node.this) if isinstance(node, exp.Cast) else (node.this, node.expression)
    return isinstance(to, exp.DataType) and to.is_type(*exp.DataType.INTEGER_TYPES) \
        and value is not None and value.type is not None and value.type.is_type(*exp.DataType.REAL_TYPES)


def _wrap(node: exp.Expression, make) -> None:
    """Replace `node` in its tree by `make(node)`, keeping the node itself (not a copy)."""
    placeholder = exp.Null()
    node.replace(placeholder)
    placeholder.replace(make(node))


def _duckdb_type(name: str) -> exp.DataType:
    try:
        return exp.DataType.build(name, dialect="duckdb")
    except SqlglotError:
        return exp.DataType.build("UNKNOWN")


def _avg_argument(average: exp.Avg) -> exp.Expression:
    arg = average.this
    return arg.expressions[0] if isinstance(arg, exp.Distinct) and arg.expressions else arg


def _is_integer(node: exp.Expression, integer_divisions: list = ()) -> bool:
    if any(node is d for d in integer_divisions):
        return True
    return node.type is not None and node.type.is_type(*exp.DataType.INTEGER_TYPES)


def _is_text(node: exp.Expression) -> bool:
    return node.type is not None and node.type.is_type(*exp.DataType.TEXT_TYPES)


def _tsql_plus(tree: exp.Expression) -> None:
    """T-SQL's `+` between two strings concatenates (NULL if either is NULL, as `||`)."""
    for add in list(tree.find_all(exp.Add)):
        left, right = _is_text(add.left), _is_text(add.right)
        if left and right:
            _wrap(add, lambda node: exp.DPipe(this=node.this, expression=node.expression))
        elif left or right:
            raise Unsupported(
                "T-SQL's + between text and a number converts the text to a number, which "
                "cannot be checked here; write CAST(… AS INT) + …, or CONCAT(…) to join text."
            )


def _oracle_meaning(tree: exp.Expression) -> None:
    """Oracle's meanings: '' is NULL (stored or computed) and || and CONCAT skip NULLs;
    SUBSTR from 0, TRUNC(date) and TO_CHAR(date, fmt) as Oracle has them."""
    for literal in list(tree.find_all(exp.Literal)):
        if literal.is_string and literal.this == "":
            literal.replace(exp.cast(exp.Null(), "VARCHAR"))
    for pipe in list(tree.find_all(exp.DPipe, exp.Concat)):
        parts = [pipe.this, pipe.expression] if isinstance(pipe, exp.DPipe) else list(pipe.expressions)
        _wrap(pipe, lambda node: _null_if_empty(exp.Anonymous(this="CONCAT", expressions=parts)))
    for replace in list(tree.find_all(exp.Replace)):  # REPLACE(s, x, NULL) removes x in Oracle
        if replace.args.get("replacement") is not None:
            replace.set("replacement", exp.func("COALESCE", replace.args["replacement"], exp.Literal.string("")))
    for to_char in list(tree.find_all(exp.ToChar)):
        _oracle_to_char(to_char)
    for substr in list(tree.find_all(exp.Substring)):  # SUBSTR(s, 0, n) starts at 1 in Oracle
        start = substr.args.get("start")
        if isinstance(start, exp.Literal) and not start.is_string and start.this == "0":
            start.replace(exp.Literal.number(1))
        elif start is not None and not isinstance(start, exp.Literal):
            _wrap(start, lambda p: exp.Case(ifs=[exp.If(this=exp.EQ(this=p.copy(), expression=exp.Literal.number(0)),
                                                        true=exp.Literal.number(1))], default=p))
    for trunc in list(tree.find_all(exp.DateTrunc, exp.Anonymous)):
        _oracle_trunc(trunc)
    # A text column or function result that is '' in DuckDB would be NULL in Oracle.
    # Aggregates only see values already NULLed; CASE branches (If) and a window's or
    # WITHIN GROUP's function are parts of a larger construct, not values; an unqualified
    # column is a reference to a select alias, already NULLed.
    for node in list(tree.find_all(exp.Column, exp.Func)):
        if _is_text(node) and not isinstance(node, (exp.Cast, exp.Nullif, exp.If, exp.AggFunc)) \
                and not isinstance(node.parent, (exp.Nullif, exp.Window, exp.WithinGroup)) \
                and not (isinstance(node, exp.Column) and not node.table):
            if isinstance(node.parent, exp.Select) and isinstance(node, exp.Column):
                _wrap(node, lambda n: exp.alias_(_null_if_empty(n), n.name))  # keep the column's name
            else:
                _wrap(node, _null_if_empty)


# TO_CHAR date formats whose every element means the same in DuckDB's strftime.
_ORACLE_DATE_FORMAT = re.compile(r"(YYYY|YY|MM|DDD|DD|HH24|MI|SS|[-/:., ])+")
_ORACLE_TO_STRFTIME = {"YYYY": "%Y", "YY": "%y", "MM": "%m", "DDD": "%j", "DD": "%d", "HH24": "%H", "MI": "%M", "SS": "%S"}


def _oracle_to_char(node: exp.ToChar) -> None:
    """TO_CHAR(date, 'YYYY-MM') as strftime; other formats are refused when translated."""
    fmt = node.args.get("format")
    value = node.this
    if not (isinstance(fmt, exp.Literal) and fmt.is_string and _ORACLE_DATE_FORMAT.fullmatch(fmt.this)):
        return
    if value.type is None or not value.type.is_type(*exp.DataType.TEMPORAL_TYPES):
        return
    strftime = re.sub(r"YYYY|YY|MM|DDD|DD|HH24|MI|SS", lambda m: _ORACLE_TO_STRFTIME[m.group(0)], fmt.this)
    _wrap(node, lambda n: exp.Anonymous(this="STRFTIME", expressions=[n.this, exp.Literal.string(strftime)]))


# Oracle's TRUNC(date, fmt) format models, as DuckDB's date_trunc parts.
_ORACLE_TRUNC_UNITS = {
    **dict.fromkeys(("SYYYY", "YYYY", "YEAR", "SYEAR", "YYY", "YY", "Y"), "year"),
    **dict.fromkeys(("Q",), "quarter"),
    **dict.fromkeys(("MONTH", "MON", "MM", "RM"), "month"),
    **dict.fromkeys(("IW",), "week"),  # ISO week: Monday, as DuckDB's week
    **dict.fromkeys(("DDD", "DD", "J"), "day"),
    **dict.fromkeys(("HH", "HH12", "HH24"), "hour"),
    **dict.fromkeys(("MI",), "minute"),
}


def _oracle_trunc(node: exp.Expression) -> None:
    """Oracle's TRUNC(date [, fmt]) truncates to the day (or fmt) and keeps the type."""
    if isinstance(node, exp.Anonymous):
        if node.name.upper() != "TRUNC" or len(node.expressions) != 1:
            return
        value, unit = node.expressions[0], "DD"
    else:
        value, unit = node.this, node.args.get("unit")
        if not (isinstance(unit, exp.Literal) and unit.is_string):
            return
        unit = unit.this
    if value.type is None or not value.type.is_type(*exp.DataType.TEMPORAL_TYPES):
        return
    part = _ORACLE_TRUNC_UNITS.get(unit.strip().upper())
    if part is None:
        raise Unsupported(f"Oracle's TRUNC(date, '{unit}') cannot be checked here; use 'YYYY', 'Q', 'MM', 'IW' or 'DD'.")
    kept = value.type.copy()
    _wrap(node, lambda n: exp.cast(
        exp.Anonymous(this="DATE_TRUNC", expressions=[exp.Literal.string(part), value]), kept))


def _mysql_meaning(tree: exp.Expression) -> None:
    """`GROUP BY a, b WITH ROLLUP` is `ROLLUP (a, b)`; a comparison is the number 0 or 1,
    so `AVG(x > 0)` is a share (DuckDB has no AVG of a boolean)."""
    for group in tree.find_all(exp.Group):
        rollup = group.args.get("rollup")
        if rollup and not rollup[0].expressions and group.expressions:
            group.set("rollup", [exp.Rollup(expressions=group.expressions)])
            group.set("expressions", [])
    for aggregate in list(tree.find_all(exp.Avg, exp.Sum)):
        if isinstance(aggregate.this, (exp.Predicate, exp.Connector, exp.Not)):
            aggregate.set("this", exp.cast(aggregate.this, "INTEGER"))


def _sunday_is_one(tree: exp.Expression, dialect: str) -> None:
    """T-SQL's DATEPART(weekday) and Spark's dayofweek count Sunday as 1, Saturday as 7;
    Spark's weekday() counts Monday as 0."""
    for node in list(tree.find_all(exp.Extract, exp.DayOfWeek, exp.Anonymous)):
        if isinstance(node, exp.Extract):
            shift = node.name.upper() in ("DAYOFWEEK", "DOW", "WEEKDAY", "DW")
        elif isinstance(node, exp.DayOfWeek):
            shift = True
        elif dialect == "spark" and node.name.lower() == "weekday" and len(node.expressions) == 1:
            value = node.expressions[0]
            node.replace(exp.Paren(this=exp.Sub(this=exp.Anonymous(this="ISODOW", expressions=[value]), expression=exp.Literal.number(1))))
            continue
        elif dialect == "spark" and node.name.lower() == "date_part" and node.expressions \
                and node.expressions[0].is_string and node.expressions[0].this.lower() in ("dow", "dayofweek"):
            shift = True
        else:
            shift = False
        if shift:
            _wrap(node, lambda n: exp.Paren(this=exp.Add(this=n, expression=exp.Literal.number(1))))


def _null_if_empty(node: exp.Expression) -> exp.Expression:
    return exp.Nullif(this=node, expression=exp.Literal.string(""))


def _drop_dual(tree: exp.Expression, tables: dict) -> None:
    """Oracle's one-row DUAL table: DuckDB needs no FROM at all."""
    if any(t.lower() == "dual" for t in tables):
        return
    for source in list(tree.find_all(exp.From)):
        table = source.this
        if isinstance(table, exp.Table) and table.name.lower() == "dual" and not table.db \
                and not source.parent.args.get("joins"):
            source.pop()
