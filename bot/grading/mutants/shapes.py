"""Operators on the query's shape: joins, aggregates, DISTINCT, ranking, windows, grouping, order."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from .common import Context, Edit, alias, and_all, conjuncts, copy_of, interval_shifts, plus_minus, short


def _join_kind(join: exp.Join) -> str:
    side = (join.side or "").upper()
    return side or "INNER"


def _set_join_kind(join: exp.Join, kind: str) -> exp.Join:
    new = join.copy()
    new.set("side", None if kind == "INNER" else kind)
    new.set("kind", None)
    return new


def join(node: exp.Expression, context: Context) -> Iterator[Edit]:
    if isinstance(node, exp.Join) and (node.args.get("on") is not None or node.args.get("using")):
        if (node.kind or "").upper() in ("CROSS", "SEMI", "ANTI", "ASOF", "POSITIONAL"):
            return
        current = _join_kind(node)
        for kind in ("INNER", "LEFT", "RIGHT", "FULL"):
            if kind != current:
                yield _set_join_kind(node, kind), f"`{short(node, 64)}` → `{kind} JOIN`"
        parts = conjuncts(node.args.get("on"))
        if len(parts) > 1:
            for i, part in enumerate(parts):
                new = node.copy()
                new.set("on", and_all([p for k, p in enumerate(parts) if k != i]))
                yield new, f"`{short(part)}` dropped from the ON of {short(node.this, 40)}"
    if isinstance(node, exp.Select) and node.args.get("joins"):
        yield from _moved_predicates(node)


def _moved_predicates(select: exp.Select) -> Iterator[Edit]:
    where = select.args.get("where")
    where_parts = conjuncts(where.this) if where is not None else []
    for j, join_node in enumerate(select.args["joins"]):
        if _join_kind(join_node) not in ("LEFT", "RIGHT", "FULL"):
            continue
        on_parts = conjuncts(join_node.args.get("on"))
        if len(on_parts) > 1:
            for i, part in enumerate(on_parts):
                new = select.copy()
                new.args["joins"][j].set("on", and_all([p for k, p in enumerate(on_parts) if k != i]))
                new.set("where", exp.Where(this=and_all(where_parts + [part])))
                yield new, f"`{short(part)}` moved from ON to WHERE"
        optional = alias(join_node.this)
        for i, part in enumerate(where_parts):
            if not any(c.table == optional for c in part.find_all(exp.Column)):
                continue
            new = select.copy()
            new.args["joins"][j].set("on", and_all(on_parts + [part]))
            rest = [p for k, p in enumerate(where_parts) if k != i]
            new.set("where", exp.Where(this=and_all(rest)) if rest else None)
            yield new, f"`{short(part)}` moved from WHERE to the ON of {optional}"


def _optional_columns(node: exp.Expression) -> list[exp.Column]:
    """Columns an outer join's optional side contributes to its ON, in the enclosing select."""
    select = node.find_ancestor(exp.Select)
    columns: list[exp.Column] = []
    for join_node in (select.args.get("joins") or []) if select else []:
        if _join_kind(join_node) not in ("LEFT", "FULL"):
            continue
        optional = alias(join_node.this)
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
        yield kind(this=copy_of(node.this)), None


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
                for amount in plus_minus(int(value.this), low=0):
                    new = node.copy()
                    new.set(bound, exp.Literal.number(amount))
                    yield new, None
            elif isinstance(value, exp.Interval):
                for shifted in interval_shifts(value):
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
            for shifted in plus_minus(amount, low=1):
                new = node.copy()
                new.set("offset", exp.Literal.number(shifted))
                yield new, None
        other = exp.Lead if isinstance(node, exp.Lag) else exp.Lag
        yield other(**{k: copy_of(v) for k, v in node.args.items()}), None


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
            for shifted in plus_minus(int(amount.this), low=0):
                new = node.copy()
                new.set("expression", exp.Literal.number(shifted))
                yield new, None
