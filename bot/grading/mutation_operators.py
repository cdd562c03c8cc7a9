"""The mutation operators: each a small function from one tree node to its edits.

An operator yields `(replacement, description)` pairs for a node: the replacement
takes the node's place in a copy of the query (`bot.grading.mutants` does that), and
a description is given only where the default "`before` → `after`" would not say
enough. The list and what each operator does is documented in `bot.grading.mutants`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import sqlglot
from sqlglot import exp

DIALECT = "duckdb"


@dataclass(frozen=True)
class Context:
    skip: frozenset[int]  # ids of nodes whose edits cannot change the result
    order_matters: bool
    ctes: frozenset[str] = frozenset()  # names the query's WITH defines


Edit = tuple[exp.Expression, str | None]  # the replacement, and a description when the default would not do


def short(node: exp.Expression, limit: int = 72) -> str:
    text = " ".join(node.sql(dialect=DIALECT).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _copy(node: exp.Expression | None) -> exp.Expression | None:
    return node.copy() if node is not None else None


def _conjuncts(condition: exp.Expression | None) -> list[exp.Expression]:
    if condition is None:
        return []
    condition = condition.unnest()
    if isinstance(condition, exp.And):
        return _conjuncts(condition.this) + _conjuncts(condition.expression)
    return [condition]


def _and(parts: list[exp.Expression]) -> exp.Expression | None:
    return exp.and_(*[p.copy() for p in parts], copy=False) if parts else None


# ---- operators ------------------------------------------------------------------------

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
        parts = _conjuncts(node)
        for i, low in enumerate(parts):
            for j, high in enumerate(parts):
                if isinstance(low, exp.GTE) and isinstance(high, exp.LT) and low.this == high.this:
                    between = exp.Between(this=low.this.copy(), low=low.expression.copy(), high=high.expression.copy())
                    rest = [between if k == i else p for k, p in enumerate(parts) if k != j]
                    yield exp.Paren(this=_and(rest)), f"`{short(low)} AND {short(high)}` → `{short(between)}`"


def _is_label(node: exp.Expression) -> bool:
    """A text label, a boolean, or 0 or 1 (a flag, a rank): no order to be off by one in."""
    if isinstance(node, exp.Boolean):
        return True
    if not isinstance(node, exp.Literal):
        return False
    if node.is_string:
        return not _DATE.match(node.this) and not _TIMESTAMP.match(node.this)
    return node.this in ("0", "1")


def _join_kind(join: exp.Join) -> str:
    side = (join.side or "").upper()
    return side or "INNER"


def _set_join_kind(join: exp.Join, kind: str) -> exp.Join:
    new = join.copy()
    new.set("side", None if kind == "INNER" else kind)
    new.set("kind", None)
    return new


def _alias(source: exp.Expression) -> str:
    return source.alias_or_name


def join(node: exp.Expression, context: Context) -> Iterator[Edit]:
    if isinstance(node, exp.Join) and (node.args.get("on") is not None or node.args.get("using")):
        if (node.kind or "").upper() in ("CROSS", "SEMI", "ANTI", "ASOF", "POSITIONAL"):
            return
        current = _join_kind(node)
        for kind in ("INNER", "LEFT", "RIGHT", "FULL"):
            if kind != current:
                yield _set_join_kind(node, kind), f"`{short(node, 64)}` → `{kind} JOIN`"
        parts = _conjuncts(node.args.get("on"))
        if len(parts) > 1:
            for i, part in enumerate(parts):
                new = node.copy()
                new.set("on", _and([p for k, p in enumerate(parts) if k != i]))
                yield new, f"`{short(part)}` dropped from the ON of {short(node.this, 40)}"
    if isinstance(node, exp.Select) and node.args.get("joins"):
        yield from _moved_predicates(node)


def _moved_predicates(select: exp.Select) -> Iterator[Edit]:
    where = select.args.get("where")
    where_parts = _conjuncts(where.this) if where is not None else []
    for j, join_node in enumerate(select.args["joins"]):
        if _join_kind(join_node) not in ("LEFT", "RIGHT", "FULL"):
            continue
        on_parts = _conjuncts(join_node.args.get("on"))
        if len(on_parts) > 1:
            for i, part in enumerate(on_parts):
                new = select.copy()
                new.args["joins"][j].set("on", _and([p for k, p in enumerate(on_parts) if k != i]))
                new.set("where", exp.Where(this=_and(where_parts + [part])))
                yield new, f"`{short(part)}` moved from ON to WHERE"
        optional = _alias(join_node.this)
        for i, part in enumerate(where_parts):
            if not any(c.table == optional for c in part.find_all(exp.Column)):
                continue
            new = select.copy()
            new.args["joins"][j].set("on", _and(on_parts + [part]))
            rest = [p for k, p in enumerate(where_parts) if k != i]
            new.set("where", exp.Where(this=_and(rest)) if rest else None)
            yield new, f"`{short(part)}` moved from WHERE to the ON of {optional}"


def _optional_columns(node: exp.Expression) -> list[exp.Column]:
    """Columns an outer join's optional side contributes to its ON, in the enclosing select."""
    select = node.find_ancestor(exp.Select)
    columns: list[exp.Column] = []
    for join_node in (select.args.get("joins") or []) if select else []:
        if _join_kind(join_node) not in ("LEFT", "FULL"):
            continue
        optional = _alias(join_node.this)
        for column in join_node.find_all(exp.Column):
            if column.table == optional and column not in columns:
                columns.append(column)
    return columns


def aggregate(node: exp.Expression, context: Context) -> Iterator[Edit]:
    if isinstance(node, exp.Count):
        arg = node.this
        if isinstance(arg, exp.Star):
            for column in _optional_columns(node):
                yield exp.Count(this=column.copy()), None
        elif isinstance(arg, exp.Distinct):
            if len(arg.expressions) == 1:
                yield exp.Count(this=arg.expressions[0].copy()), None
        elif arg is not None:
            yield exp.Count(this=exp.Star()), None
            yield exp.Count(this=exp.Distinct(expressions=[arg.copy()])), None
    swaps = {exp.Sum: exp.Avg, exp.Avg: exp.Sum, exp.Min: exp.Max, exp.Max: exp.Min}
    kind = swaps.get(type(node))
    if kind is not None:
        yield kind(this=_copy(node.this)), None


def _aggregates(select: exp.Select) -> bool:
    """Whether the select aggregates (an aggregate of its own, not a window's)."""
    return any(
        found.find_ancestor(exp.Window, exp.Select) is select
        for projection in select.expressions
        for found in projection.find_all(exp.AggFunc)
    )


def _reads_a_table(select: exp.Select, context: Context) -> bool:
    """Whether the select reads a stored table (where duplicate rows can be), not only
    CTEs, derived tables or generated series, whose rows the query itself shapes."""
    source = select.args.get("from_") or select.args.get("from")
    sources = ([source.this] if source is not None else []) + [j.this for j in select.args.get("joins") or []]
    return any(isinstance(s, exp.Table) and isinstance(s.this, exp.Identifier) and s.name not in context.ctes for s in sources)


def _membership_test(select: exp.Select) -> bool:
    """A select under EXISTS or IN, where duplicates cannot matter."""
    parent = select.parent
    return isinstance(parent, exp.Exists) or isinstance(parent, exp.Subquery) and isinstance(parent.parent, exp.In)


def distinct(node: exp.Expression, context: Context) -> Iterator[Edit]:
    if isinstance(node, exp.Select):
        if node.args.get("distinct") is not None:
            new = node.copy()
            new.set("distinct", None)
            yield new, f"`SELECT DISTINCT {short(node.expressions[0], 30)}` → `SELECT {short(node.expressions[0], 30)}`"
        elif (
            _reads_a_table(node, context)
            and node.args.get("group") is None
            and not _aggregates(node)
            and not any(p.find(exp.Window) for p in node.expressions)
            and not _membership_test(node)
        ):
            new = node.copy()
            new.set("distinct", exp.Distinct())
            yield new, f"`SELECT {short(node.expressions[0], 30)}` → `SELECT DISTINCT {short(node.expressions[0], 30)}`"
    if isinstance(node, (exp.Union, exp.Except, exp.Intersect)):
        new = node.copy()
        new.set("distinct", not node.args.get("distinct"))
        word = node.key.upper()
        before, after = (word, f"{word} ALL") if node.args.get("distinct") else (f"{word} ALL", word)
        yield new, f"`{before}` → `{after}`"
    if isinstance(node, (exp.Sum, exp.Avg)) and isinstance(node.this, exp.Distinct) and len(node.this.expressions) == 1:
        yield type(node)(this=node.this.expressions[0].copy()), None


_RANKINGS = (exp.RowNumber, exp.Rank, exp.DenseRank)


def ranking(node: exp.Expression, context: Context) -> Iterator[Edit]:
    if isinstance(node, _RANKINGS) and isinstance(node.parent, exp.Window):
        for kind in _RANKINGS:
            if not isinstance(node, kind):
                yield kind(), f"`{short(node)}` → `{short(kind())}` in `{short(node.parent, 60)}`"


_RUNNING = (exp.Sum, exp.Count, exp.Avg, exp.Min, exp.Max)


def window(node: exp.Expression, context: Context) -> Iterator[Edit]:
    if isinstance(node, exp.WindowSpec):
        for bound in ("start", "end"):
            value = node.args.get(bound)
            if isinstance(value, exp.Literal) and not value.is_string:
                for amount in _plus_minus(int(value.this), low=0):
                    new = node.copy()
                    new.set(bound, exp.Literal.number(amount))
                    yield new, None
            elif isinstance(value, exp.Interval):
                for shifted in _interval_shifts(value):
                    new = node.copy()
                    new.set(bound, shifted)
                    yield new, None
        simple = all(not isinstance(node.args.get(b), (exp.Literal, exp.Interval)) for b in ("start", "end"))
        kind = (node.args.get("kind") or "").upper()
        if simple and kind in ("ROWS", "RANGE"):
            new = node.copy()
            new.set("kind", "RANGE" if kind == "ROWS" else "ROWS")
            yield new, None
    if isinstance(node, exp.Window) and isinstance(node.this, exp.Expression) and not isinstance(node.this, exp.Identifier):
        spec = node.args.get("spec")
        if spec is not None:
            new = node.copy()
            new.set("spec", None)
            yield new, f"frame `{short(spec)}` dropped from `{short(node.this, 40)} OVER (…)`"
        elif node.args.get("order") is not None and isinstance(node.this, _RUNNING):
            new = node.copy()
            new.set("spec", exp.WindowSpec(kind="ROWS", start="UNBOUNDED", start_side="PRECEDING"))
            yield new, f"`{short(node.this, 40)} OVER (… ORDER BY …)` framed `ROWS UNBOUNDED PRECEDING`"
    if isinstance(node, (exp.Lag, exp.Lead)):
        offset = node.args.get("offset")
        if offset is None or (isinstance(offset, exp.Literal) and not offset.is_string):
            amount = int(offset.this) if offset is not None else 1
            for shifted in _plus_minus(amount, low=1):
                new = node.copy()
                new.set("offset", exp.Literal.number(shifted))
                yield new, None
        other = exp.Lead if isinstance(node, exp.Lag) else exp.Lag
        yield other(**{k: _copy(v) for k, v in node.args.items()}), None


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
    inner = {_alias(source.this)} if source is not None else set()
    inner |= {_alias(j.this) for j in select.args.get("joins") or []}
    parts = _conjuncts(select.args["where"].this)
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
                new.set("where", exp.Where(this=_and(rest)) if rest else None)
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
    if isinstance(node, exp.Div):
        yield exp.IntDiv(this=_without_decimal(node.this)[0], expression=_without_decimal(node.expression)[0]), None


def group(node: exp.Expression, context: Context) -> Iterator[Edit]:
    if isinstance(node, exp.Group) and len(node.expressions) > 1:
        for i, dropped in enumerate(node.expressions):
            new = node.copy()
            new.set("expressions", [e.copy() for k, e in enumerate(node.expressions) if k != i])
            yield new, f"`{short(dropped)}` dropped from `{short(node)}`"
    if isinstance(node, exp.Window) and node.args.get("partition_by"):
        keys = node.args["partition_by"]
        for i, dropped in enumerate(keys):
            new = node.copy()
            new.set("partition_by", [e.copy() for k, e in enumerate(keys) if k != i] or None)
            yield new, f"`{short(dropped)}` dropped from the PARTITION BY of `{short(node, 60)}`"


def _order_observable(order: exp.Order, context: Context) -> bool:
    """Whether an ORDER BY can change the result: a window's, an ordered aggregate's, or
    a select's under a LIMIT or, when order matters, the result's own."""
    owner = order.parent
    if isinstance(owner, exp.WithinGroup):
        return False  # a percentile: the direction is folded into its fraction
    if isinstance(owner, (exp.Window, exp.AggFunc)) or order.this is not None:
        return True
    if isinstance(owner, (exp.Select, exp.Union)):
        return owner.args.get("limit") is not None or (owner.parent is None and context.order_matters)
    return False


def order(node: exp.Expression, context: Context) -> Iterator[Edit]:
    if isinstance(node, exp.Order) and _order_observable(node, context):
        for i, key in enumerate(node.expressions):
            flipped = key.copy()
            flipped.set("desc", None if key.args.get("desc") else True)
            new = node.copy()
            new.expressions[i].replace(flipped)
            yield new, f"`{short(key)}` → `{short(flipped)}` in `{short(node, 60)}`"
        for i, key in enumerate(node.expressions):
            if i > 0:
                new = node.copy()
                new.set("expressions", [e.copy() for k, e in enumerate(node.expressions) if k != i])
                yield new, f"tie-break `{short(key)}` dropped from `{short(node, 60)}`"
    if isinstance(node, exp.Limit):
        amount = node.expression
        if isinstance(amount, exp.Literal) and not amount.is_string:
            for shifted in _plus_minus(int(amount.this), low=0):
                new = node.copy()
                new.set("expression", exp.Literal.number(shifted))
                yield new, None


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$")


def constant(node: exp.Expression, context: Context) -> Iterator[Edit]:
    if isinstance(node, exp.Interval):
        yield from ((shifted, None) for shifted in _interval_shifts(node))
        return
    if not isinstance(node, exp.Literal) or _ignored_literal(node):
        return
    if not node.is_string:
        for value in _number_shifts(node.this):
            yield exp.Literal.number(value), None
        return
    text = node.this
    timestamp_cast = isinstance(node.parent, exp.Cast) and node.parent.to.is_type(*exp.DataType.TEMPORAL_TYPES) and not node.parent.to.is_type(exp.DataType.Type.DATE)
    if _DATE.match(text) or _TIMESTAMP.match(text):
        moment = dt.datetime.fromisoformat(text.replace("T", " ") if _TIMESTAMP.match(text) else text)
        with_time = bool(_TIMESTAMP.match(text)) or timestamp_cast
        steps = [dt.timedelta(days=1), dt.timedelta(days=-1)]
        if with_time:
            steps += [dt.timedelta(seconds=1), dt.timedelta(seconds=-1)]
        for step in steps:
            try:
                shifted = moment + step
            except OverflowError:
                continue  # DATE '9999-12-31' stands for "never"
            shown = shifted.strftime("%Y-%m-%d %H:%M:%S") if with_time and (shifted.time() != dt.time() or _TIMESTAMP.match(text)) else shifted.strftime("%Y-%m-%d")
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


def _plus_minus(amount: int, low: int) -> list[int]:
    return [v for v in (amount + 1, amount - 1) if v >= low]


def _number_shifts(text: str) -> list[str]:
    value = Decimal(text)
    if "." in text or "e" in text.lower():
        exponent = value.as_tuple().exponent
        step = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
    else:
        step = Decimal(1)
    return [str(value + step), str(value - step)]


def _interval_shifts(interval: exp.Interval) -> list[exp.Interval]:
    amount = interval.this
    text = amount.name if isinstance(amount, exp.Literal) else ""
    match = re.fullmatch(r"\s*(-?\d+)\s*([A-Za-z]*)\s*", text)
    if not match:
        return []
    number, unit_in_text = int(match.group(1)), match.group(2)
    shifts = []
    for value in _plus_minus(number, low=0 if number >= 0 else -(10**9)):
        new = interval.copy()
        new.set("this", exp.Literal.string(f"{value} {unit_in_text}".strip()))
        shifts.append(new)
    return shifts


OPERATORS = (
    ("comparison", comparison),
    ("join", join),
    ("aggregate", aggregate),
    ("distinct", distinct),
    ("ranking", ranking),
    ("window", window),
    ("null", null),
    ("date", date),
    ("cast", cast),
    ("group", group),
    ("order", order),
    ("constant", constant),
)
OPERATOR_NAMES = tuple(name for name, _ in OPERATORS)
