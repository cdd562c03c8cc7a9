"""Mutants of a reference query: the small mistakes candidates make, written by machine.

`mutants(sql)` parses a DuckDB query with sqlglot and applies every operator below at
every place it fits, one edit per mutant. Each mutant has its operator, a readable
description that identifies it (``comparison: `o.at > s.at` → `o.at >= s.at` ``,
built from sqlglot's own rendering, so reformatting the query does not change it) and
its SQL. Mutants are deduplicated by their SQL; one identical to the query is dropped.

Operators (in the order they are tried; a mutant two operators yield counts for the first):

- ``comparison``: ``<`` ↔ ``<=``, ``>`` ↔ ``>=``, ``=`` → ``<=``/``>=``, ``<>`` → ``<``/``>`` (not
  against a text label, a boolean, 0 or 1);
  ``x BETWEEN a AND b`` → ``x >= a AND x < b``, and that half-open range → ``BETWEEN``.
- ``join``: the join type (inner, left, right, full) changed; a condition of an outer
  join's ``ON`` moved to ``WHERE`` and a ``WHERE`` condition on its optional side moved
  into its ``ON``; one condition of a multi-condition ``ON`` dropped.
- ``aggregate``: ``COUNT(*)`` → ``COUNT(col)`` (each column of an outer join's optional
  side), ``COUNT(col)`` → ``COUNT(*)`` and ``COUNT(DISTINCT col)``, ``COUNT(DISTINCT col)`` →
  ``COUNT(col)``; ``SUM`` ↔ ``AVG``; ``MIN`` ↔ ``MAX``.
- ``distinct``: ``SELECT DISTINCT`` dropped, or added to a select that reads a stored
  table and neither groups, aggregates, windows nor sits under ``IN``/``EXISTS``;
  ``UNION`` ↔ ``UNION ALL`` (also ``EXCEPT``, ``INTERSECT``); ``DISTINCT`` dropped
  inside ``SUM``/``AVG``.
- ``ranking``: ``ROW_NUMBER`` ↔ ``RANK`` ↔ ``DENSE_RANK``.
- ``window``: a frame bound's offset ±1; an explicit frame dropped; ``ROWS`` ↔ ``RANGE``
  on unbounded or current-row bounds; a running aggregate's default frame made
  ``ROWS UNBOUNDED PRECEDING`` (ties); ``LAG``/``LEAD`` offset ±1, and ``LAG`` ↔ ``LEAD``.
- ``null``: ``COALESCE``/``NULLIF`` dropped; ``IS NULL`` ↔ ``IS NOT NULL``; ``IS NOT TRUE``
  → ``NOT``; ``IS [NOT] DISTINCT FROM`` → ``<>``/``=``; ``NOT IN`` ↔ ``NOT EXISTS``.
- ``date``: ``EXTRACT(EPOCH FROM i) / 60`` ↔ ``EXTRACT(MINUTE FROM i)`` (and hour, day);
  ``date_diff(unit, a, b)`` → ``EXTRACT(unit FROM b - a)``; ``date_trunc`` unit one step
  finer or coarser, or a month, week or day number without its year
  (``EXTRACT(MONTH FROM x)``); ``%Y`` dropped from a ``strftime`` format.
- ``cast``: a division with a decimal cast or a decimal literal made an integer
  division without it (``100.0 * a / b`` → ``100 * a // b``), a plain one made ``//``;
  given the column types, not where an operand is fractional (DuckDB's ``//`` then
  divides exactly, so the mutant is the query).
- ``group``: one column of a ``GROUP BY`` or ``PARTITION BY`` dropped.
- ``order``: an ``ORDER BY`` key's direction flipped, or a tie-break key dropped, in
  windows, ordered aggregates, under a ``LIMIT`` and, when order matters, the result's;
  ``LIMIT`` ±1.
- ``constant``: a number ±1 (decimals ±1 in the last digit), a date ±1 day, a timestamp
  ±1 day and ±1 second, an interval's amount ±1. Not a ``LIMIT``, a position
  (``ORDER BY 1``), a rounding precision, nor a value ``COUNT`` or ``EXISTS`` ignores.

A library module: sqlglot only, nothing else from `bot`; the operators live in
`common.py`, `values.py` and `shapes.py` beside this file.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from .common import DIALECT, Context, short
from .shapes import aggregate, distinct, group, join, order, ranking, window
from .values import cast, comparison, constant, date, exact_divisions, null

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

__all__ = ["OPERATOR_NAMES", "Mutant", "MutationError", "mutants", "normalise", "parse"]


class MutationError(Exception):
    """The query cannot be mutated (sqlglot cannot parse or render it)."""


@dataclass(frozen=True)
class Mutant:
    operator: str
    description: str  # identifies the mutant among one query's mutants
    sql: str
    focus: str = ""  # the column the edit is about, when there is one


def normalise(sql: str) -> str:
    """One line of sqlglot's DuckDB rendering: equal for queries that differ only in layout."""
    try:
        return parse(sql).sql(dialect=DIALECT)
    except MutationError:
        return " ".join(sql.split())


def parse(sql: str) -> exp.Expression:
    try:
        statements = [s for s in sqlglot.parse(sql, read=DIALECT) if s is not None]
    except SqlglotError as error:
        raise MutationError(f"sqlglot cannot parse it: {str(error).splitlines()[0]}") from None
    if len(statements) != 1:
        raise MutationError(f"expected one query, found {len(statements)} statements")
    return statements[0]


def mutants(sql: str, order_matters: bool = False, types: dict[str, dict[str, str]] | None = None) -> list[Mutant]:
    """Every mutant of `sql` (a DuckDB query), in operator order, deduplicated by SQL.

    `types` (table: column: DuckDB type) lets an operator leave out an edit the column
    types make harmless; without them every candidate is kept."""
    tree = parse(sql)
    try:
        original = tree.sql(dialect=DIALECT)
    except SqlglotError as error:
        raise MutationError(f"sqlglot cannot render it: {error}") from None
    ctes = frozenset(cte.alias_or_name for cte in tree.find_all(exp.CTE))
    context = Context(_unobservable(tree, order_matters), order_matters, ctes, exact_divisions(tree, types))
    nodes = list(tree.walk())
    seen = {original}
    found: list[Mutant] = []
    descriptions: dict[str, int] = {}
    for name, operator in OPERATORS:
        for index, node in enumerate(nodes):
            if id(node) in context.skip:
                continue
            for replacement, description in operator(node, context):
                mutated = _apply(tree, index, replacement)
                try:
                    text = mutated.sql(dialect=DIALECT)
                except SqlglotError:
                    continue
                if text in seen:
                    continue
                seen.add(text)
                label = f"{name}: {description or _change(node, replacement)}"
                descriptions[label] = descriptions.get(label, 0) + 1
                if descriptions[label] > 1:
                    label += f" (#{descriptions[label]})"
                found.append(Mutant(name, label, mutated.sql(dialect=DIALECT, pretty=True), _focus(node)))
    return found


def _apply(tree: exp.Expression, index: int, replacement: exp.Expression) -> exp.Expression:
    copy = tree.copy()
    if index == 0:
        return replacement.copy()
    target = next(node for i, node in enumerate(copy.walk()) if i == index)
    target.replace(replacement.copy())
    return copy


def _focus(node: exp.Expression) -> str:
    """The column an edit is about: the site's first, or the one a literal is compared with."""
    around = node
    if isinstance(node, (exp.Literal, exp.Interval)):
        predicate = node.find_ancestor(exp.Predicate, exp.Select)
        around = predicate if isinstance(predicate, exp.Predicate) else node.parent
    column = around.find(exp.Column)
    return column.name if column is not None else ""


def _change(before: exp.Expression, after: exp.Expression) -> str:
    return f"`{short(before)}` → `{short(after)}`"


def _unobservable(tree: exp.Expression, order_matters: bool) -> frozenset[int]:
    """Nodes under the result's ORDER BY when row order is not compared."""
    order = tree.args.get("order")
    if order is None or order_matters or tree.args.get("limit") is not None:
        return frozenset()
    return frozenset(id(n) for n in order.walk())
