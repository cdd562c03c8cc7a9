"""Data coverage: the edges of the data a solution reads that no dataset holds.

Many wrong answers are not one edit of the solution but data the datasets never hold:
a NULL in a key, two entities with one name, a second year, a span over an hour, an
empty table. From the solution's tree this module lists, for each column it reads,
the edges a dataset should hold, unless a constraint rules them out:

- ``null``: a NULL (ruled out by ``not_null``);
- ``duplicate``: two rows sharing a value (by ``unique``);
- ``tie``: two rows sharing a value of a column a window orders by, within one
  partition (by ``unique``, alone or together with the partition's columns);
- ``boundary``: each literal a column is compared with, and the value just across it
  (one day for dates, one second for timestamps, one for integers), unless the
  column's ``range`` excludes it;
- ``two-years`` and ``two-months``, where dates are truncated, extracted, formatted,
  grouped or compared: the same month in two years, the same day in two months (by a
  ``range`` too narrow for them);
- ``span-hour``, ``span-day``, ``span-month``, where a difference of two date or time
  columns is computed or compared: two values further apart than that;
- ``empty``: an empty table, for each table the solution reads (by ``not_empty``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations, product

from sqlglot import exp

from bot.grading.mutants import MutationError, parse

from .loader import Problem
from .models import SqlQuestion
from .rows import Column, Rows, Schema, coerce, hashable, literal, violations, within

_SPANS = {"span-hour": dt.timedelta(hours=1), "span-day": dt.timedelta(days=1), "span-month": dt.timedelta(days=31)}
_SPAN_WORDS = {"span-hour": "an hour", "span-day": "a day", "span-month": "a month"}
_CALENDAR = (exp.TimestampTrunc, exp.DateTrunc, exp.Extract, exp.TimeToStr, exp.Year, exp.Month, exp.Day, exp.Cast)


@dataclass(frozen=True)
class Edge:
    key: str  # "table.column", or "table" for an empty table
    kind: str
    value: object = None  # the boundary value
    partition: tuple[str, ...] = ()  # columns a tie shares
    other: str = ""  # the column a span is measured against

    def describe(self) -> str:
        return {
            "null": f"a NULL in {self.key}",
            "duplicate": f"two rows sharing a value of {self.key}",
            "tie": f"two rows of one ({', '.join(self.partition)}) tied on {self.key}",
            "boundary": f"{self.key} = {literal(self.value)}",
            "two-years": f"{self.key} in one month of two different years",
            "two-months": f"{self.key} on one day of two different months",
            "empty": f"{self.key} empty",
        }.get(self.kind) or f"{self.key} and {self.other} more than {_SPAN_WORDS[self.kind]} apart"

    def remedy(self) -> str:
        table = self.key.split(".")[0]
        return {
            "null": f"`{self.key}: {{not_null: true}}`",
            "duplicate": f"`{self.key}: {{unique: true}}`",
            "tie": f"`{self.key}: {{unique: [{', '.join(self.partition)}]}}`",
            "empty": f"`{table}: {{not_empty: true}}`",
        }.get(self.kind, f"a `range` on {self.key} that excludes it")


def demands(question: SqlQuestion, schema: Schema) -> list[Edge]:
    """The edges the datasets must cover, given what the solution reads and the constraints."""
    try:
        tree = parse(question.solution)
    except MutationError:
        return []
    aliases = {t.alias_or_name: t.name for t in tree.find_all(exp.Table) if t.name in schema.tables}
    edges: list[Edge] = []

    def columns_of(node: exp.Expression) -> list[Column]:
        found = []
        for ref in node.find_all(exp.Column) if not isinstance(node, exp.Column) else [node]:
            tables = [aliases[ref.table]] if ref.table in aliases else sorted(set(aliases.values()))
            found += [c for t in tables if (c := schema.column(f"{t}.{ref.name}")) and c not in found]
        return found

    read = columns_of(tree)
    for column in read:
        edges += [Edge(column.key, "null"), Edge(column.key, "duplicate")]
    for window in tree.find_all(exp.Window):
        order, partition = window.args.get("order"), window.args.get("partition_by") or []
        keys = tuple(c.name for p in partition for c in columns_of(p))
        for ordered in order.expressions if order is not None and keys else []:
            edges += [Edge(c.key, "tie", partition=keys) for c in columns_of(ordered.this) if c.name not in keys]
    for node in tree.find_all(exp.Predicate):
        edges += _boundaries(node, columns_of)
    for node in tree.find_all(*_CALENDAR, exp.Group, exp.Predicate):
        for column in columns_of(node):
            if column.kind in ("date", "timestamp"):
                edges += [Edge(column.key, "two-years"), Edge(column.key, "two-months")]
    for node in tree.find_all(exp.Sub, exp.DateDiff, exp.Predicate):
        dated = [c for c in columns_of(node) if c.kind in ("date", "timestamp")]
        if isinstance(node, exp.Predicate) and not node.find(exp.Interval, exp.Sub):
            continue  # a plain comparison of two dates measures no span
        pairs = {tuple(sorted(p, key=lambda c: c.key)) for p in combinations(dated, 2)}
        pairs |= {(c, c) for c in dated if isinstance(node, exp.Sub) and len(dated) == 1}  # viewed_at - LAG(viewed_at)
        for a, b in sorted(pairs, key=lambda p: (p[0].key, p[1].key)):
            spans = ("span-hour", "span-day", "span-month") if "timestamp" in (a.kind, b.kind) else ("span-month",)
            edges += [Edge(a.key, span, other=b.key) for span in spans]
    edges += [Edge(table, "empty") for table in dict.fromkeys(aliases.values())]
    return [e for e in dict.fromkeys(edges) if not _ruled_out(e, schema)]


def _boundaries(node: exp.Expression, columns_of) -> list[Edge]:
    """A column compared with literals: each literal, and the value just across it."""
    if not isinstance(node.this.unnest(), exp.Column):
        return []
    columns = columns_of(node.this.unnest())
    if isinstance(node, exp.Between):
        bounds = [(node.args["low"], -1), (node.args["high"], +1)]
    elif isinstance(node, (exp.GTE, exp.LT)):
        bounds = [(node.expression, -1)]
    elif isinstance(node, (exp.GT, exp.LTE)):
        bounds = [(node.expression, +1)]
    elif isinstance(node, (exp.EQ, exp.NEQ)):
        bounds = [(node.expression, 0)]
    else:
        return []
    edges = []
    for column in columns:
        for bound, side in bounds:
            value = _value(bound, column)
            if value is None:
                continue
            edges.append(Edge(column.key, "boundary", value))
            step = {"date": dt.timedelta(days=1), "timestamp": dt.timedelta(seconds=1), "int": 1}.get(column.kind)
            if side and step is not None:
                edges.append(Edge(column.key, "boundary", value + side * step))
    return edges


def _value(node: exp.Expression, column: Column):
    """A literal (possibly cast) as a value of the column's type, or None."""
    node = node.unnest()
    if isinstance(node, exp.Cast):
        node = node.this
    if not isinstance(node, exp.Literal):
        return None
    try:
        value = coerce(node.this, column)
    except ValueError:
        return None
    return int(value) if column.kind == "int" and value == int(value) else value


def _ruled_out(edge: Edge, schema: Schema) -> bool:
    rule = schema.rule(edge.key)
    column = schema.column(edge.key) if "." in edge.key else None
    if edge.kind == "empty":
        return rule.not_empty
    if edge.kind == "null":
        return rule.not_null
    if edge.kind == "duplicate":
        return rule.unique is True
    if edge.kind == "tie":
        return rule.unique is True or rule.unique is not False and set(rule.unique) <= set(edge.partition)
    if edge.kind == "boundary":
        return column is not None and not within(edge.value, column, rule)
    low, high = _range(column, rule)
    if low is None or high is None:
        return False
    if edge.kind == "two-years":
        return high < _add_months(low, 12)
    if edge.kind == "two-months":
        return high < _add_months(low, 1)
    other = schema.column(edge.other)
    other_low, other_high = _range(other, schema.rule(edge.other)) if other else (None, None)
    if other_low is None or other_high is None:
        return False
    return max(high - other_low, other_high - low) <= _SPANS[edge.kind]


def _range(column: Column | None, rule) -> tuple:
    if column is None or rule.range is None or column.kind not in ("date", "timestamp"):
        return None, None
    low, high = (coerce(b, column) for b in rule.range)
    as_time = lambda v: v if v is None or isinstance(v, dt.datetime) else dt.datetime(v.year, v.month, v.day)  # noqa: E731
    return as_time(low), as_time(high)


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    month = moment.month - 1 + months
    return moment.replace(year=moment.year + month // 12, month=month % 12 + 1, day=1)


def covers(edge: Edge, rows: Rows, schema: Schema) -> bool:
    """Whether one dataset holds the edge."""
    if edge.kind == "empty":
        return not rows.get(edge.key)
    column = schema.column(edge.key)
    index = schema.tables[column.table].index(column)
    table_rows = rows.get(column.table, [])
    values = [row[index] for row in table_rows]
    present = [v for v in values if v is not None]
    if edge.kind == "null":
        return len(present) < len(values)
    if edge.kind == "duplicate":
        return len(present) != len({hashable(v) for v in present})
    if edge.kind == "tie":
        width = [schema.tables[column.table].index(c) for c in schema.tables[column.table] if c.name in edge.partition]
        keys = [hashable((row[index], *(row[i] for i in width))) for row in table_rows if row[index] is not None]
        return len(keys) != len(set(keys))
    if edge.kind == "boundary":
        target = _comparable(edge.value)
        return any(_comparable(v) == target for v in present)
    dates = [_comparable(v) for v in present if isinstance(v, dt.date)]
    if edge.kind == "two-years":
        return any(a.month == b.month and a.year != b.year for a, b in combinations(dates, 2))
    if edge.kind == "two-months":
        return any(a.day == b.day and (a.year, a.month) != (b.year, b.month) for a, b in combinations(dates, 2))
    other = schema.column(edge.other)
    other_index = schema.tables[other.table].index(other)
    others = [_comparable(r[other_index]) for r in rows.get(other.table, []) if isinstance(r[other_index], dt.date)]
    return any(abs(a - b) > _SPANS[edge.kind] for a, b in product(dates, others))


def _comparable(value):
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


def coverage_problems(question: SqlQuestion, file: str, schema: Schema, datasets: list[Rows]) -> tuple[list[Problem], set[str]]:
    """Edges no dataset covers, as problems; and the hidden datasets that alone cover one."""
    problems, sole = [], set()
    for edge in demands(question, schema):
        holders = [d.name for d, rows in zip(question.datasets, datasets) if covers(edge, rows, schema)]
        if not holders:
            problems.append(Problem(
                file, "datasets",
                f"no dataset has {edge.describe()}; add a hidden dataset that does, or declare "
                f"{edge.remedy()} under constraints and say so in the prompt",
            ))
        elif len(holders) == 1:
            sole.add(holders[0])
    return problems, sole


def constraint_problems(question: SqlQuestion, file: str, schema: Schema, datasets: list[Rows]) -> list[Problem]:
    """Declared constraints that name nothing in the schema, or that a dataset breaks."""
    problems = []
    for key, rule in question.constraints.items():
        missing = key not in schema.tables if "." not in key else schema.column(key) is None
        if missing:
            problems.append(Problem(file, f"constraints.{key}", f"no such {'table' if '.' not in key else 'column'} in the schema"))
        elif rule.references and schema.column(rule.references) is None:
            problems.append(Problem(file, f"constraints.{key}", f"references {rule.references}, which is not a column of the schema"))
        elif rule.unique not in (True, False) and any(schema.column(f"{key.split('.')[0]}.{c}") is None for c in rule.unique):
            problems.append(Problem(file, f"constraints.{key}", f"unique together with a column {key.split('.')[0]} does not have"))
    if problems:
        return problems
    for dataset, rows in zip(question.datasets, datasets):
        for broken in violations(schema, rows):
            problems.append(Problem(file, f"datasets.{dataset.name}", f"breaks a declared constraint: {broken}"))
    return problems
