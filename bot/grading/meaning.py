"""The meaning each dialect keeps where sqlglot keeps only the syntax.

sqlglot translates a dialect's syntax to DuckDB's; where the same words mean something
else in DuckDB (integer division, Oracle's '' as NULL, T-SQL's `+` on strings, MySQL's
comparisons as numbers, weekday numbering...), the tree is rewritten here, using each
expression's type in the question's schema where the rule needs it. What cannot be kept
is refused by name (`Unsupported`), never graded with another meaning.
"""

from __future__ import annotations

import re

from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.qualify import qualify
from sqlglot.schema import MappingSchema

from . import messages
from .problems import Unsupported

# Dialects where `/` between two integers truncates toward zero.
INTEGER_DIVISION = {"postgres", "sqlite", "tsql", "redshift", "trino"}
# Dialects where AVG of integers is an integer, truncated (SQL Server's int, Redshift's BIGINT).
INTEGER_AVERAGE = {"tsql", "redshift"}
# Dialects where CAST of a fraction to an integer truncates (DuckDB rounds: 2.7 is 3).
TRUNCATING_CASTS = {"tsql", "spark", "sqlite"}
# Dialects whose day of the week counts Sunday as 1 (DuckDB's dayofweek: Sunday is 0).
SUNDAY_IS_ONE = {"tsql", "spark"}
# Rewrites that need the type of each expression, from the question's schema.
TYPED = INTEGER_DIVISION | INTEGER_AVERAGE | TRUNCATING_CASTS | {"tsql", "oracle"}


def keep(tree: exp.Expression, dialect: str, tables: dict) -> exp.Expression:
    """The tree rewritten so DuckDB reads it as `dialect` means it."""
    if dialect in TYPED:
        tree = _keep_meaning(tree, dialect, tables)
    if dialect == "oracle":
        _drop_dual(tree, tables)
    if dialect == "mysql":
        _mysql_meaning(tree)
    if dialect in SUNDAY_IS_ONE:
        _sunday_is_one(tree, dialect)
    return tree


def refuse_what_cannot_be_kept(tree: exp.Expression, dialect: str, tables: dict) -> None:
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
