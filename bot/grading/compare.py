"""What "correct" means: comparing an answer's result with the reference result.

Rows compare as a multiset (as a list when order matters); column names never matter
and columns may come in any order one permutation of which matches; numbers compare by
value across integer, decimal and float within a tolerance; a DATE equals a TIMESTAMP
at midnight; NULL equals NULL.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import uuid
from fractions import Fraction
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

Row = tuple


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    truncated: bool = False  # the answer produced more rows than were fetched
    normalized: bool = field(default=False, compare=False)  # rows already `normalize`d (a reference, once)

    def normal(self) -> Table:
        """The same table with every value normalized, for comparing many answers with it."""
        if self.normalized:
            return self
        return Table(self.columns, tuple(tuple(map(normalize, r)) for r in self.rows), self.truncated, True)


@dataclass(frozen=True)
class Difference:
    """How an answer's result differs; `message` never shows data, `example` may."""

    kind: str  # "columns", "rows", "order" or "values"
    message: str
    example: str | None = None  # a missing or extra row, for the visible sample only


def normalize(value):
    """A comparable form of one value from DuckDB."""
    if value is None or isinstance(value, (bool, str, bytes)):
        return value
    if isinstance(value, (int, float, decimal.Decimal)):
        number = float(value)
        if isinstance(value, int) and number != value:
            return value  # a BIGINT/HUGEINT beyond 2**53: a float would round it to a neighbour
        return _NAN if math.isnan(number) else number
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (list, tuple)):
        return tuple(normalize(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), normalize(v)) for k, v in value.items()))
    return value  # time, timedelta and the rest compare as they are


class _NaN:
    """NaN that equals itself, so a NaN in both results matches."""

    def __eq__(self, other):
        return isinstance(other, _NaN)

    def __hash__(self):
        return 0

    def __repr__(self):
        return "NaN"


_NAN = _NaN()


_KINDS = {type(None): "null", bool: "boolean", int: "number", float: "number", _NaN: "number",
          str: "text", dt.datetime: "date/time"}  # the normalized types, looked up before the isinstance chain


def _kind(value) -> str:
    kind = _KINDS.get(type(value))
    if kind is not None:
        return kind
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float, _NaN)):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dt.datetime):
        return "date/time"
    return type(value).__name__


def _sort_key(value, tolerance: float):
    kind = _kind(value)
    if kind == "number":
        if isinstance(value, _NaN):
            return (kind, math.inf)
        if math.isinf(value):  # round() cannot take infinity; infinities sort at the ends
            return (kind, value)
        grid = tolerance if tolerance > 0 else 1e-12
        scaled = value / grid
        if math.isinf(scaled):  # a huge finite value (1e308) overflows the grid: order only
            return (kind, scaled)
        return (kind, round(scaled))
    if kind == "null":
        return (kind, 0)
    if isinstance(value, tuple):
        return (kind, tuple(_sort_key(v, tolerance) for v in value))
    try:
        hash(value)
        return (kind, value)
    except TypeError:
        return (kind, repr(value))


def _values_equal(a, b, tolerance: float) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b  # TRUE is not the number 1
    if isinstance(a, float) and isinstance(b, float):
        return a == b or abs(a - b) <= tolerance
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        # An exact big integer on one side (see normalize): compare without rounding it.
        if a == b:
            return True
        if math.isinf(a) or math.isinf(b):
            return False
        return abs(Fraction(a) - Fraction(b)) <= tolerance
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_values_equal(x, y, tolerance) for x, y in zip(a, b))
    return a == b


def _rows_equal(a: Row, b: Row, tolerance: float) -> bool:
    return all(_values_equal(x, y, tolerance) for x, y in zip(a, b))


def _same_multiset(expected: Sequence[Row], actual: Sequence[Row], tolerance: float) -> bool:
    def key(row):
        return tuple(_sort_key(v, tolerance) for v in row)

    try:
        left, right = sorted(expected, key=key), sorted(actual, key=key)
    except TypeError:
        left, right = list(expected), list(actual)
    if all(_rows_equal(a, b, tolerance) for a, b in zip(left, right)):
        return True
    if left and len(left[0]) > 1 and not all(
        _same_column([r[j] for r in left], [r[j] for r in right], tolerance) for j in range(len(left[0]))
    ):
        return False  # rows that match make columns that match: no need to search
    # Values near a tolerance-grid boundary can sort apart; match greedily instead.
    return not _unmatched(left, right, tolerance)[0] if len(left) <= 3000 else False


def _same_column(expected: Sequence, actual: Sequence, tolerance: float) -> bool:
    """Whether two columns hold the same multiset of values.

    Sorted by value, kind by kind: if any pairing of the numbers is within the tolerance,
    the one of sorted order is (in one dimension it has the smallest largest gap), so
    no search is needed. Lists and unorderable values take the rows' way."""
    try:
        left, right = sorted(expected, key=_column_order), sorted(actual, key=_column_order)
    except TypeError:
        return _same_multiset([(v,) for v in expected], [(v,) for v in actual], tolerance)
    return all(_values_equal(a, b, tolerance) for a, b in zip(left, right))


def _column_order(value):
    if value is None or value is _NAN:
        return (_kind(value), 0)
    if isinstance(value, tuple):
        raise TypeError("a list's values compare within the tolerance: no order pairs them")
    return (_kind(value), value)


def _unmatched(expected: Sequence[Row], actual: Sequence[Row], tolerance: float):
    """Rows of each side with no partner on the other (a greedy multiset difference)."""
    remaining = list(actual)
    missing = []
    for row in expected:
        for i, candidate in enumerate(remaining):
            if _rows_equal(row, candidate, tolerance):
                del remaining[i]
                break
        else:
            missing.append(row)
    return missing, remaining


def _column_candidates(expected: Table, actual: Table, tolerance: float) -> list[list[int]]:
    """For each reference column, the answer columns holding the same multiset of values."""
    width = len(expected.columns)
    exp_cols = [[r[j] for r in expected.rows] for j in range(width)]
    act_cols = [[r[i] for r in actual.rows] for i in range(width)]
    return [
        [i for i in range(width) if _same_column(exp_cols[j], act_cols[i], tolerance)]
        for j in range(width)
    ]


def _permutations(candidates: list[list[int]]) -> Iterator[tuple[int, ...]]:
    """Assignments of distinct answer columns to reference columns, identity first."""
    order = sorted(range(len(candidates)), key=lambda j: len(candidates[j]))
    chosen: dict[int, int] = {}

    def walk(depth: int):
        if depth == len(order):
            yield tuple(chosen[j] for j in range(len(candidates)))
            return
        j = order[depth]
        options = sorted(candidates[j], key=lambda i: i != j)
        for i in options:
            if i not in chosen.values():
                chosen[j] = i
                yield from walk(depth + 1)
                del chosen[j]

    return walk(0)


def compare(
    expected: Table,
    actual: Table,
    *,
    order_matters: bool,
    tolerance: float,
    show_rows: bool,
    explain: bool = True,
    max_permutations: int = 5000,
) -> Difference | None:
    """None when `actual` matches `expected`; otherwise the first way it differs.

    With `explain` false the difference only says what kind it is, not how many rows
    or which columns (the search for that is most of the cost of a wrong answer)."""
    want, got = len(expected.columns), len(actual.columns)
    if want != got:
        return Difference(
            "columns", f"column count: expected {want} column{_s(want)}, got {got}"
        )
    exp_rows = list(expected.normal().rows)
    act_rows = list(actual.normal().rows)
    if actual.truncated or len(exp_rows) != len(act_rows):
        got_rows = f"more than {len(act_rows) - 1}" if actual.truncated else str(len(act_rows))
        message = f"row count: expected {len(exp_rows)} row{_s(len(exp_rows))}, got {got_rows}"
        example = _example(*_unmatched(exp_rows, act_rows, tolerance)) if show_rows else None
        return Difference("rows", message, example)
    if want == 0:
        return None
    # Most answers that match keep the reference's column order: no permutation to search.
    if order_matters:
        if all(_rows_equal(a, b, tolerance) for a, b in zip(exp_rows, act_rows)):
            return None
    elif _same_multiset(exp_rows, act_rows, tolerance):
        return None
    expected = Table(expected.columns, tuple(exp_rows))
    actual = Table(actual.columns, tuple(act_rows))

    candidates = _column_candidates(expected, actual, tolerance)
    unordered_match = False
    if all(candidates):
        for count, perm in enumerate(_permutations(candidates)):
            if count >= max_permutations:
                break
            permuted = [tuple(row[i] for i in perm) for row in act_rows]
            if order_matters:
                if all(_rows_equal(a, b, tolerance) for a, b in zip(exp_rows, permuted)):
                    return None
                unordered_match = unordered_match or _same_multiset(exp_rows, permuted, tolerance)
            elif _same_multiset(exp_rows, permuted, tolerance):
                return None
    if unordered_match:
        return Difference("order", "order: the right rows, in the wrong order")
    if not explain:
        return Difference("values", "values: the rows differ")
    return _value_difference(expected, actual, candidates, tolerance, show_rows)


def _value_difference(expected, actual, candidates, tolerance, show_rows) -> Difference:
    notes = []
    for j, options in enumerate(candidates):
        if options:
            continue
        want = _column_kind(expected.rows, j)
        got = _column_kind(actual.rows, j)
        if want and got and want != got:
            notes.append(f"column {j + 1} holds {got} where {want} was expected")
    missing, extra = _unmatched(list(expected.rows), list(actual.rows), tolerance)
    message = f"values: {len(missing)} of {len(expected.rows)} expected row{_s(len(expected.rows))} not found"
    if notes:
        message += "; " + "; ".join(notes)
    return Difference("values", message, _example(missing, extra) if show_rows else None)


def _example(missing: list[Row], extra: list[Row]) -> str | None:
    """The first missing and the first unexpected row, as a member would read them."""
    parts = []
    if missing:
        parts.append(f"missing row {_show(missing[0])}")
    if extra:
        parts.append(f"unexpected row {_show(extra[0])}")
    return " and ".join(parts) or None


def _column_kind(rows, j) -> str | None:
    kinds = {_kind(r[j]) for r in rows if r[j] is not None}
    return kinds.pop() if len(kinds) == 1 else None


def _show(row: Row) -> str:
    def one(v):
        if isinstance(v, dt.datetime) and v.time() == dt.time(0):
            return v.date().isoformat()
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return "NULL" if v is None else str(v)

    return "(" + ", ".join(one(v) for v in row) + ")"


def _s(n: int) -> str:
    return "" if n == 1 else "s"

