"""What every mutation operator shares: its context, its edits, and small tree helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlglot import exp

DIALECT = "duckdb"


@dataclass(frozen=True)
class Context:
    skip: frozenset[int]  # ids of nodes whose edits cannot change the result
    order_matters: bool
    ctes: frozenset[str] = frozenset()  # names the query's WITH defines
    exact_divisions: frozenset[int] = frozenset()  # ids of divisions whose `//` DuckDB computes exactly


Edit = tuple[exp.Expression, str | None]  # the replacement, and a description when the default would not do


def short(node: exp.Expression, limit: int = 72) -> str:
    text = " ".join(node.sql(dialect=DIALECT).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def copy_of(node: exp.Expression | None) -> exp.Expression | None:
    return node.copy() if node is not None else None


def conjuncts(condition: exp.Expression | None) -> list[exp.Expression]:
    if condition is None:
        return []
    condition = condition.unnest()
    if isinstance(condition, exp.And):
        return conjuncts(condition.this) + conjuncts(condition.expression)
    return [condition]


def and_all(parts: list[exp.Expression]) -> exp.Expression | None:
    return exp.and_(*[p.copy() for p in parts], copy=False) if parts else None


def alias(source: exp.Expression) -> str:
    return source.alias_or_name


DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$")


def plus_minus(amount: int, low: int) -> list[int]:
    return [v for v in (amount + 1, amount - 1) if v >= low]


def interval_shifts(interval: exp.Interval) -> list[exp.Interval]:
    amount = interval.this
    text = amount.name if isinstance(amount, exp.Literal) else ""
    match = re.fullmatch(r"\s*(-?\d+)\s*([A-Za-z]*)\s*", text)
    if not match:
        return []
    number, unit_in_text = int(match.group(1)), match.group(2)
    shifts = []
    for value in plus_minus(number, low=0 if number >= 0 else -(10**9)):
        new = interval.copy()
        new.set("this", exp.Literal.string(f"{value} {unit_in_text}".strip()))
        shifts.append(new)
    return shifts
