"""Operators on values and predicates: comparisons, NULL handling, dates, casts, constants."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.qualify import qualify

from .common import Context, DATE, DIALECT, Edit, TIMESTAMP, alias, and_all, conjuncts, interval_shifts, short


_NEIGHBOURS = {
    exp.LT: (exp.LTE,),
    exp.LTE: (exp.LT,),
    exp.GT: (exp.GTE,),
    exp.GTE: (exp.GT,),
    exp.EQ: (exp.LTE, exp.GTE),
    exp.NEQ: (exp.LT, exp.GT),
}


def comparison(node: exp.Expression, context: Context) -> Iterator[Edit]:
    for kind in _NEIGHBOURS.get(type(node), ()):
        if isinstance(node, (exp.EQ, exp.NEQ)) and (_is_label(node.this) or _is_label(node.expression)):
            continue  # `status <= 'paid'` is no one's mistake, nor `rn <= 1` for a rank's `rn = 1`
        yield kind(this=node.this.copy(), expression=node.expression.copy()), None
    if isinstance(node, exp.Between):
        x, low, high = node.this, node.args["low"], node.args["high"]
        half_open = exp.and_(exp.GTE(this=x.copy(), expression=low.copy()), exp.LT(this=x.copy(), expression=high.copy()))
        yield exp.Paren(this=half_open), None
    if isinstance(node, exp.And) and not isinstance(node.parent, exp.And):
        parts = conjuncts(node)
        for i, low in enumerate(parts):
            for j, high in enumerate(parts):
                if isinstance(low, exp.GTE) and isinstance(high, exp.LT) and low.this == high.this:
                    between = exp.Between(this=low.this.copy(), low=low.expression.copy(), high=high.expression.copy())
                    rest = [between if k == i else p for k, p in enumerate(parts) if k != j]
                    yield exp.Paren(this=and_all(rest)), f"`{short(low)} AND {short(high)}` → `{short(between)}`"


def _is_label(node: exp.Expression) -> bool:
    """A text label, a boolean, or 0 or 1 (a flag, a rank): no order to be off by one in."""
    if isinstance(node, exp.Boolean):
        return True
    if not isinstance(node, exp.Literal):
        return False
    if node.is_string:
        return not DATE.match(node.this) and not TIMESTAMP.match(node.this)
    return node.this in ("0", "1")


def null(node: exp.Expression, context: Context) -> Iterator[Edit]:
    if isinstance(node, exp.Coalesce):
        rest = node.expressions
        if len(rest) == 1:
            yield node.this.copy(), None
        elif rest:
            yield exp.Coalesce(this=node.this.copy(), expressions=[e.copy() for e in rest[:-1]]), None
    if isinstance(node, exp.Nullif):
        yield node.this.copy(), None
    if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
        if isinstance(node.parent, exp.Not):
            return  # the NOT above is the site
        yield exp.Not(this=node.copy()), None
    if isinstance(node, exp.Not) and isinstance(node.this, exp.Is):
        tested = node.this.expression
        if isinstance(tested, exp.Null):
            yield node.this.copy(), None
        elif isinstance(tested, exp.Boolean):
            truth = node.this.this.copy()
            yield (exp.Not(this=exp.Paren(this=truth)) if tested.this else truth), None
    if isinstance(node, exp.NullSafeNEQ):
        yield exp.NEQ(this=node.this.copy(), expression=node.expression.copy()), None
    if isinstance(node, exp.NullSafeEQ):
        yield exp.EQ(this=node.this.copy(), expression=node.expression.copy()), None
    if isinstance(node, exp.Not) and isinstance(node.this, exp.In) and node.this.args.get("query") is not None:
        yield _not_exists(node.this), None
    if isinstance(node, exp.Not) and isinstance(node.this, exp.Exists):
        replacement = _not_in(node.this)
        if replacement is not None:
            yield replacement, None


def _not_exists(in_node: exp.In) -> exp.Expression:
    query = in_node.args["query"]
    inner = query.this if isinstance(query, exp.Subquery) else query
    probe = in_node.this.copy()
    sql = f"NOT EXISTS (SELECT 1 FROM ({inner.sql(dialect=DIALECT)}) AS _not_in(_value) WHERE _not_in._value = {probe.sql(dialect=DIALECT)})"
    return sqlglot.parse_one(sql, read=DIALECT)


def _not_in(exists: exp.Exists) -> exp.Expression | None:
    select = exists.this
    if not isinstance(select, exp.Select) or select.args.get("where") is None:
        return None
    source = select.args.get("from_") or select.args.get("from")
    inner = {alias(source.this)} if source is not None else set()
    inner |= {alias(j.this) for j in select.args.get("joins") or []}
    parts = conjuncts(select.args["where"].this)
    correlated = []
    for i, part in enumerate(parts):
        tables = {c.table for c in part.find_all(exp.Column)}
        if tables - inner:
            correlated.append(i)
    if len(correlated) != 1:
        return None
    link = parts[correlated[0]]
    if not isinstance(link, exp.EQ):
        return None
    for mine, theirs in ((link.this, link.expression), (link.expression, link.this)):
        if isinstance(mine, exp.Column) and mine.table in inner:
            outer_tables = {c.table for c in theirs.find_all(exp.Column)}
            if outer_tables and not outer_tables & inner and all(outer_tables):
                new = select.copy()
                new.set("expressions", [mine.copy()])
                rest = [p for k, p in enumerate(parts) if k != correlated[0]]
                new.set("where", exp.Where(this=and_all(rest)) if rest else None)
                return exp.Not(this=exp.In(this=theirs.copy(), query=exp.Subquery(this=new)))
    return None


_SECONDS = {"MINUTE": 60, "HOUR": 3600, "DAY": 86400}


_TRUNC_UNITS = ("SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR")


def _unit(node: exp.Expression) -> str:
    unit = node.args.get("unit")
    text = (unit.name if isinstance(unit, (exp.Var, exp.Literal)) else str(unit or "")).upper()
    return text[:-1] if text.endswith("S") and text[:-1] in _TRUNC_UNITS else text


def date(node: exp.Expression, context: Context) -> Iterator[Edit]:
    if isinstance(node, exp.Div) and isinstance(node.this, exp.Extract) and node.this.name.upper() == "EPOCH":
        divisor = node.expression
        if isinstance(divisor, exp.Literal) and not divisor.is_string:
            for field, seconds in _SECONDS.items():
                if Decimal(divisor.this) == seconds:
                    yield exp.Extract(this=exp.var(field), expression=node.this.expression.copy()), None
    if isinstance(node, exp.Extract) and node.name.upper() in _SECONDS and isinstance(node.expression, (exp.Sub, exp.Age)):
        epoch = exp.Extract(this=exp.var("EPOCH"), expression=node.expression.copy())
        yield exp.Div(this=epoch, expression=exp.Literal.number(_SECONDS[node.name.upper()])), None
    if isinstance(node, exp.DateDiff):
        unit = _unit(node)
        if unit:
            span = exp.Sub(this=node.this.copy(), expression=node.expression.copy())
            yield exp.Extract(this=exp.var(unit), expression=span), None
    if isinstance(node, (exp.TimestampTrunc, exp.DateTrunc)):
        unit = _unit(node)
        if unit in _TRUNC_UNITS:
            i = _TRUNC_UNITS.index(unit)
            for other in (_TRUNC_UNITS[i - 1] if i > 0 else None, _TRUNC_UNITS[i + 1] if i + 1 < len(_TRUNC_UNITS) else None):
                if other:
                    new = node.copy()
                    new.set("unit", exp.var(other))
                    yield new, None
            if unit in ("MONTH", "WEEK", "DAY", "QUARTER"):
                yield exp.Extract(this=exp.var(unit), expression=node.this.copy()), None
    if isinstance(node, exp.TimeToStr):
        fmt = node.args.get("format")
        if isinstance(fmt, exp.Literal) and "%Y" in fmt.this:
            stripped = re.sub(r"%Y[-/ ]?", "", fmt.this)
            if stripped:
                new = node.copy()
                new.set("format", exp.Literal.string(stripped))
                yield new, None


_DECIMAL_TYPES = (
    exp.DataType.Type.DECIMAL,
    exp.DataType.Type.DOUBLE,
    exp.DataType.Type.FLOAT,
    exp.DataType.Type.BIGDECIMAL,
)


def _without_decimal(node: exp.Expression) -> tuple[exp.Expression, bool]:
    """`node` with a decimal cast or a decimal literal factor made integer, and whether one was."""
    if isinstance(node, exp.Cast) and node.to.this in _DECIMAL_TYPES:
        return node.this.copy(), True
    if isinstance(node, exp.Literal) and not node.is_string and "." in node.this:
        value = Decimal(node.this)
        if value == value.to_integral_value():
            return exp.Literal.number(int(value)), True
    if isinstance(node, exp.Mul):
        left, changed_left = _without_decimal(node.this)
        right, changed_right = _without_decimal(node.expression)
        if changed_left or changed_right:
            return exp.Mul(this=left, expression=right), True
    if isinstance(node, exp.Paren):
        inner, changed = _without_decimal(node.this)
        return exp.Paren(this=inner), changed
    return node.copy(), False


def cast(node: exp.Expression, context: Context) -> Iterator[Edit]:
    if isinstance(node, exp.Div) and id(node) not in context.exact_divisions:
        yield exp.IntDiv(this=_without_decimal(node.this)[0], expression=_without_decimal(node.expression)[0]), None


def exact_divisions(tree: exp.Expression, types: dict[str, dict[str, str]] | None) -> frozenset[int]:
    """Divisions in `tree` that `cast` must leave alone: an operand (its decimal casts and
    literals dropped, as `cast` drops them) has a fractional type, and DuckDB's `//` on a
    fraction divides exactly, so the mutant is no truncation mistake (only a zero divisor
    tells it apart: an error where `/` gives infinity). Without the column types, or where
    sqlglot cannot type the query, none: every division stays a mutant."""
    if not types:
        return frozenset()
    schema = {table: {name: kind for name, kind in columns.items() if _parses(kind)} for table, columns in types.items()}
    try:
        typed = annotate_types(
            qualify(tree.copy(), schema=schema, dialect=DIALECT, validate_qualify_columns=False, expand_stars=False, quote_identifiers=False, identify=False),
            schema=schema, dialect=DIALECT,
        )
    except (SqlglotError, KeyError, ValueError):
        return frozenset()
    divisions, typed_divisions = list(tree.find_all(exp.Div)), list(typed.find_all(exp.Div))
    if len(divisions) != len(typed_divisions):  # qualify copied an expression (an alias expanded): no safe pairing
        return frozenset()
    return frozenset(id(d) for d, t in zip(divisions, typed_divisions) if _fractional(t.this) or _fractional(t.expression))


def _parses(kind: str) -> bool:
    try:
        exp.DataType.build(kind, dialect=DIALECT)
    except (SqlglotError, ValueError):
        return False
    return True


def _fractional(node: exp.Expression) -> bool:
    """Whether `node`, as `cast` leaves it (see `_without_decimal`), is known to be no integer."""
    if isinstance(node, exp.Cast) and node.to.this in _DECIMAL_TYPES:
        return _fractional(node.this)
    if isinstance(node, exp.Literal) and not node.is_string:
        value = Decimal(node.this)
        return value != value.to_integral_value()
    if isinstance(node, exp.Mul):
        return _fractional(node.this) or _fractional(node.expression)
    if isinstance(node, exp.Paren):
        return _fractional(node.this)
    return node.type is not None and node.type.this in exp.DataType.REAL_TYPES


def constant(node: exp.Expression, context: Context) -> Iterator[Edit]:
    if isinstance(node, exp.Interval):
        yield from ((shifted, None) for shifted in interval_shifts(node))
        return
    if not isinstance(node, exp.Literal) or _ignored_literal(node):
        return
    if not node.is_string:
        for value in _number_shifts(node.this):
            yield exp.Literal.number(value), None
        return
    text = node.this
    timestamp_cast = isinstance(node.parent, exp.Cast) and node.parent.to.is_type(*exp.DataType.TEMPORAL_TYPES) and not node.parent.to.is_type(exp.DataType.Type.DATE)
    if DATE.match(text) or TIMESTAMP.match(text):
        moment = dt.datetime.fromisoformat(text.replace("T", " ") if TIMESTAMP.match(text) else text)
        with_time = bool(TIMESTAMP.match(text)) or timestamp_cast
        steps = [dt.timedelta(days=1), dt.timedelta(days=-1)]
        if with_time:
            steps += [dt.timedelta(seconds=1), dt.timedelta(seconds=-1)]
        for step in steps:
            try:
                shifted = moment + step
            except OverflowError:
                continue  # DATE '9999-12-31' stands for "never"
            shown = shifted.strftime("%Y-%m-%d %H:%M:%S") if with_time and (shifted.time() != dt.time() or TIMESTAMP.match(text)) else shifted.strftime("%Y-%m-%d")
            yield exp.Literal.string(shown), None


def _ignored_literal(node: exp.Literal) -> bool:
    parent = node.parent
    if isinstance(parent, (exp.Limit, exp.Offset, exp.WindowSpec, exp.Lag, exp.Lead, exp.Interval, exp.DataTypeParam)):
        return True
    if isinstance(parent, exp.Ordered) or isinstance(parent, exp.Group):
        return True  # a position: ORDER BY 1, GROUP BY 1
    if isinstance(parent, exp.Round) and node.arg_key == "decimals":
        return True
    if isinstance(parent, exp.TimeToStr) and node.arg_key == "format":
        return True
    if isinstance(parent, exp.Select) and node.arg_key == "expressions" and isinstance(parent.parent, exp.Exists):
        return True  # EXISTS (SELECT 1 ...)
    case = parent.parent if isinstance(parent, exp.If) and node.arg_key == "true" else parent
    if isinstance(case, exp.Case) and (node.arg_key == "default" or parent is not case):
        counted = case.parent.parent if isinstance(case.parent, exp.Distinct) else case.parent
        return isinstance(counted, exp.Count)  # COUNT(CASE WHEN … THEN 1 END): any non-NULL value counts the same
    return False


def _number_shifts(text: str) -> list[str]:
    value = Decimal(text)
    if "." in text or "e" in text.lower():
        exponent = value.as_tuple().exponent
        step = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
    else:
        step = Decimal(1)
    return [str(value + step), str(value - step)]
