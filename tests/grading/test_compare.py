"""What "correct" means: every rule of content-format.md's "Result comparison", pinned.

Two levels: `compare()` directly for the fine-grained value rules, and whole answers
graded by the checker on small tasks built here, so the rules hold end to end (DuckDB's
own types, the worker, the verdict).
"""

import datetime as dt
import decimal
import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.grading import Dataset, SqlTask, Table, Verdict, compare
from bot.grading.compare import _same_column, _values_equal, normalize

# ---- compare() directly -----------------------------------------------------------------


def table(*rows, columns=None):
    width = len(rows[0]) if rows else len(columns or ())
    return Table(tuple(columns or (f"c{i}" for i in range(width))), tuple(rows))


def differ(expected, actual, *, order_matters=False, tolerance=1e-6, show_rows=True):
    return compare(expected, actual, order_matters=order_matters, tolerance=tolerance, show_rows=show_rows)


def same(expected, actual, **kw) -> bool:
    return differ(expected, actual, **kw) is None


MIDNIGHT = dt.datetime(2024, 3, 1, 0, 0)
DAY = dt.date(2024, 3, 1)


V = pytest.param
VALUE_RULES = [
    # rows are a multiset
    V(table((1,), (2,), (3,)), table((3,), (1,), (2,)), True, id="multiset-reordered"),
    V(table((1,), (1,), (2,)), table((1,), (2,), (1,)), True, id="multiset-duplicates-reordered"),
    V(table((1,), (1,), (2,)), table((1,), (2,), (2,)), False, id="duplicates-other-counts"),
    V(table((1,), (1,), (2,)), table((1,), (2,)), False, id="duplicate-dropped"),
    V(table((1,), (2,)), table((1,), (2,), (2,)), False, id="duplicate-added"),
    # integer, decimal and floating types compare by value
    V(table((1,)), table((1.0,)), True, id="int-vs-float"),
    V(table((decimal.Decimal("2.50"),)), table((2.5,)), True, id="decimal-vs-float"),
    V(table((decimal.Decimal("10"),)), table((10,)), True, id="decimal-vs-int"),
    V(table((7,)), table((decimal.Decimal("7.000"),)), True, id="int-vs-decimal-scale"),
    # tolerance (1e-6 here)
    V(table((1 / 3,)), table((0.3333333,)), True, id="tolerance-inside"),
    V(table((1 / 3,)), table((0.33333,)), False, id="tolerance-outside"),
    V(table((100.0,)), table((100.0000009,)), True, id="tolerance-inside-large"),
    V(table((100.0,)), table((100.000002,)), False, id="tolerance-outside-large"),
    # NaN equals NaN; infinities equal themselves, not each other or big numbers
    V(table((math.nan,)), table((math.nan,)), True, id="nan-vs-nan"),
    V(table((math.nan,)), table((0.0,)), False, id="nan-vs-zero"),
    V(table((math.nan,)), table((None,)), False, id="nan-vs-null"),
    V(table((math.inf,)), table((math.inf,)), True, id="inf-vs-inf"),
    V(table((-math.inf,)), table((-math.inf,)), True, id="minus-inf-vs-minus-inf"),
    V(table((math.inf,)), table((-math.inf,)), False, id="inf-vs-minus-inf"),
    V(table((math.inf,)), table((1e308,)), False, id="inf-vs-huge"),
    V(table((math.inf,)), table((math.nan,)), False, id="inf-vs-nan"),
    V(table((math.inf,), (math.nan,), (1.0,)), table((math.nan,), (1.0,), (math.inf,)), True, id="inf-nan-mixed-multiset"),
    # a DATE equals a TIMESTAMP at midnight of that day, and only then
    V(table((DAY,)), table((MIDNIGHT,)), True, id="date-vs-midnight"),
    V(table((DAY,)), table((MIDNIGHT.replace(hour=10),)), False, id="date-vs-10am"),
    V(table((DAY,)), table((MIDNIGHT + dt.timedelta(microseconds=1),)), False, id="date-vs-midnight-plus-1us"),
    V(table((DAY,)), table((dt.date(2024, 3, 2),)), False, id="date-vs-next-day"),
    V(table((DAY,)), table(("2024-03-01",)), False, id="date-vs-text"),
    # NULL equals NULL, and nothing else
    V(table((None,)), table((None,)), True, id="null-vs-null"),
    V(table((None, 1), (2, None)), table((2, None), (None, 1)), True, id="nulls-in-rows"),
    V(table((None,)), table((0,)), False, id="null-vs-zero"),
    V(table((None,)), table(("",)), False, id="null-vs-empty-text"),
    V(table((None,)), table((False,)), False, id="null-vs-false"),
    # booleans are not numbers
    V(table((True,)), table((True,)), True, id="true-vs-true"),
    V(table((True,)), table((1,)), False, id="true-vs-1"),
    V(table((True,)), table((1.0,)), False, id="true-vs-1.0"),
    V(table((False,)), table((0,)), False, id="false-vs-0"),
    V(table((True,)), table((False,)), False, id="true-vs-false"),
    # text is exact
    V(table(("a",)), table(("A",)), False, id="text-case"),
    V(table(("a",)), table(("a ",)), False, id="text-trailing-space"),
    V(table(("1",)), table((1,)), False, id="text-vs-number"),
    # nested values follow the same rules
    V(table(([1, 2],)), table(([1.0, 2.0],)), True, id="list-int-vs-float"),
    V(table(([1, 2],)), table(([2, 1],)), False, id="list-order"),
    V(table(({"k": 1},)), table(({"k": 1.0},)), True, id="struct-int-vs-float"),
    # big integers compare exactly, not through a rounded float
    V(table((2**53 + 1,)), table((2**53,)), False, id="bigint-2^53-plus-1"),
    V(table((2**63 - 1,)), table((2**63 - 2,)), False, id="bigint-max"),
    V(table((2**60,)), table((float(2**60),)), True, id="bigint-vs-exact-double"),
    V(table((2**53 + 1,), (2**53,)), table((2**53,), (2**53 + 1,)), True, id="bigints-multiset"),
]


@pytest.mark.parametrize("expected, actual, equal", VALUE_RULES)
def test_value_rules(expected, actual, equal):
    assert same(expected, actual) is equal
    assert same(actual, expected) is equal  # the rules are symmetric


def test_a_value_near_the_tolerance_grid_still_matches():
    # 0.0049 and 0.0051 round to different grid cells at tolerance 0.01, yet are
    # within tolerance of each other: the greedy match must find them.
    assert same(table((0.0049,), (5.0,)), table((5.0,), (0.0051,)), tolerance=0.01)
    assert not same(table((0.0049,), (5.0,)), table((5.0,), (0.0151,)), tolerance=0.01)


def test_tolerance_zero_means_exact():
    assert same(table((0.5,)), table((0.5,)), tolerance=0)
    assert not same(table((0.5,)), table((0.5000001,)), tolerance=0)


def test_order_matters_compares_as_a_list():
    expected = table((1, "a"), (2, "b"), (3, "c"))
    shuffled = table((3, "c"), (1, "a"), (2, "b"))
    assert same(expected, shuffled, order_matters=False)
    difference = differ(expected, shuffled, order_matters=True)
    assert difference.kind == "order"
    assert "order" in difference.message
    assert same(expected, table((1, "a"), (2, "b"), (3, "c")), order_matters=True)


def test_order_matters_with_duplicates_and_permuted_columns():
    expected = table((1, "x"), (1, "x"), (2, "y"))
    assert same(expected, table(("x", 1), ("x", 1), ("y", 2)), order_matters=True)
    assert differ(expected, table(("x", 1), ("y", 2), ("x", 1)), order_matters=True).kind == "order"
    assert differ(expected, table((1, "x"), (2, "y"), (2, "y")), order_matters=True).kind == "values"


def test_column_names_never_matter():
    assert same(table((1, "a"), columns=("id", "name")), table((1, "a"), columns=("x", "y")))
    assert same(table((1,), columns=("n",)), table((1,), columns=("n",)))
    assert same(table((1, 2), columns=("a", "b")), table((1, 2), columns=("b", "a")))  # names swapped, values not


def test_columns_may_come_in_any_order_when_one_permutation_matches():
    expected = table((1, "a", 10.0), (2, "b", 20.0), (3, "c", 30.0))
    assert same(expected, table(("a", 10.0, 1), ("b", 20.0, 2), ("c", 30.0, 3)))
    assert same(expected, table((30.0, "c", 3), (10.0, "a", 1), (20.0, "b", 2)))


def test_column_permutation_needs_the_same_rows_not_just_the_same_columns():
    # Each answer column holds the right multiset of values, but the pairs are wrong.
    expected = table((1, "a"), (2, "b"))
    difference = differ(expected, table(("b", 1), ("a", 2)))
    assert difference is not None and difference.kind == "values"
    assert differ(expected, table((1, "b"), (2, "a"))).kind == "values"


def test_two_columns_holding_the_same_values_can_swap():
    # Ambiguous columns: the identity assignment fails, the swapped one matches.
    expected = table((1, 2), (2, 1), (3, 3))
    assert same(expected, table((2, 1), (1, 2), (3, 3)))
    assert same(expected, table((1, 2), (2, 1), (3, 3)))
    assert not same(expected, table((1, 1), (2, 2), (3, 3)))


def test_column_count_differs():
    difference = differ(table((1, "a")), table((1,)))
    assert difference.kind == "columns"
    assert "expected 2 columns, got 1" in difference.message


def test_row_count_differs():
    difference = differ(table((1,), (2,)), table((1,), (2,), (3,)))
    assert difference.kind == "rows"
    assert "expected 2 rows, got 3" in difference.message
    assert "unexpected row (3)" in difference.example


def test_a_truncated_answer_reports_more_rows():
    actual = Table(("c0",), ((1,), (2,), (3,)), truncated=True)
    difference = differ(table((1,), (2,)), actual)
    assert difference.kind == "rows"
    assert "more than 2" in difference.message


@pytest.mark.parametrize("columns", [("a",), ("a", "b")])
def test_empty_results(columns):
    empty = Table(columns, ())
    assert same(empty, Table(tuple(c.upper() for c in columns), ()))
    assert same(empty, Table(columns, ()), order_matters=True)
    one = Table(columns, (tuple(range(len(columns))),))
    assert differ(empty, one).kind == "rows"
    assert differ(one, Table(columns, ())).kind == "rows"
    assert differ(empty, Table(columns + ("z",), ())).kind == "columns"


def test_no_columns_at_all():
    assert same(Table((), ()), Table((), ()))


def test_values_difference_names_the_kind_of_a_wrong_column():
    difference = differ(table((1, "a"), (2, "b")), table((1, True), (2, False)))
    assert difference.kind == "values"
    assert "boolean" in difference.message and "text" in difference.message


def test_hidden_data_is_never_shown():
    expected, actual = table((1, "secret")), table((1, "other"))
    assert differ(expected, actual, show_rows=True).example is not None
    hidden = differ(expected, actual, show_rows=False)
    assert hidden.example is None
    assert "secret" not in hidden.message and "other" not in hidden.message
    rows = differ(table((1, "secret")), table((1, "secret"), (2, "x")), show_rows=False)
    assert rows.kind == "rows" and rows.example is None and "secret" not in rows.message


def test_the_example_shows_dates_and_whole_numbers_plainly():
    difference = differ(table((DAY, 3.0)), table((DAY, 4.0)))
    assert "missing row (2024-03-01, 3)" in difference.example
    assert "unexpected row (2024-03-01, 4)" in difference.example


def test_many_identical_columns_do_not_explode():
    # Ten columns with the same values: 10! permutations, capped, and still an answer.
    expected = table(*[(i,) * 10 for i in range(20)])
    assert same(expected, table(*[(i,) * 10 for i in reversed(range(20))]))
    assert not same(expected, table(*[(i,) * 9 + (i + 1,) for i in range(20)]))


# Values that sit near each other on the tolerance grid (0.01 here), of every kind a column
# may mix: the cases where sorting and pairing could go wrong.
NEAR = st.integers(0, 6).map(lambda n: n * 0.006)
COLUMN_VALUES = st.one_of(
    NEAR, st.sampled_from([None, math.nan, True, False, 0, 1, "a", "b", (0.0, 1.0), (0.004, 1.0), MIDNIGHT])
)


def pairs_of_columns(values):
    return st.integers(0, 5).flatmap(lambda n: st.tuples(*[st.lists(values, min_size=n, max_size=n)] * 2))


@settings(max_examples=400, deadline=None)
@given(st.one_of(pairs_of_columns(NEAR), pairs_of_columns(COLUMN_VALUES)))
def test_columns_match_when_any_pairing_of_their_values_does(columns):
    # The sorted pairing, against every pairing: one column's multiset needs no search.
    left, right = ([normalize(v) for v in column] for column in columns)
    some_pairing = any(
        all(_values_equal(a, b, 0.01) for a, b in zip(left, pairing)) for pairing in itertools.permutations(right)
    )
    assert _same_column(left, right, 0.01) == some_pairing


ROWS = st.lists(st.tuples(COLUMN_VALUES, COLUMN_VALUES), min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(ROWS, ROWS, st.booleans())
def test_an_unexplained_difference_is_the_same_verdict(expected, actual, order_matters):
    # Datasets after the first failure skip the explanation, never the judgement.
    expected, actual = table(*expected), table(*actual)
    told, untold = (
        compare(expected, actual, order_matters=order_matters, tolerance=0.01, show_rows=False, explain=explain)
        for explain in (True, False)
    )
    assert (told is None) == (untold is None)
    assert told is None or told.kind == untold.kind


# ---- whole answers through the checker -----------------------------------------------------

SCHEMA = """
CREATE TABLE t (id INTEGER, name VARCHAR, amount DECIMAL(10, 2), score DOUBLE, day DATE, flag BOOLEAN);
"""
SAMPLE = """
INSERT INTO t VALUES
  (1, 'ann', 10.50, 0.25, DATE '2024-01-01', true),
  (2, 'bob', 20.25, NULL, DATE '2024-01-02', false),
  (3, 'bob', NULL, 1.5, DATE '2024-01-02', NULL);
"""
HIDDEN = """
INSERT INTO t VALUES
  (1, 'cy', 1.00, 2.0, DATE '2025-06-30', true),
  (2, 'cy', 2.00, 3.0, DATE '2025-06-30', true);
"""


def task(solution, *, order_matters=False, tolerance=1e-6, schema=SCHEMA, sample=SAMPLE, hidden=HIDDEN):
    return SqlTask(
        schema=schema,
        datasets=[Dataset("sample", sample, visible=True), Dataset("hidden-pair", hidden)],
        solution=solution,
        order_matters=order_matters,
        tolerance=tolerance,
    )


def grade(checker, solution, answer, **task_options):
    return checker.check_sync(task(solution, **task_options), answer)


CASES = [
    # (id, solution, answer, task options, verdict)
    ("multiset-any-order", "SELECT id, name FROM t", "SELECT id, name FROM t ORDER BY id DESC", {}, "correct"),
    ("duplicates-count", "SELECT name FROM t", "SELECT DISTINCT name FROM t", {}, "incorrect"),
    ("duplicates-kept", "SELECT name FROM t", "SELECT name FROM t UNION ALL SELECT name FROM t WHERE false", {}, "correct"),
    ("extra-duplicate", "SELECT DISTINCT name FROM t", "SELECT name FROM t", {}, "incorrect"),
    ("columns-permuted", "SELECT id, name, day FROM t", "SELECT day, name, id FROM t", {}, "correct"),
    ("names-ignored", "SELECT id AS customer_id FROM t", 'SELECT id AS "whatever you like" FROM t', {}, "correct"),
    ("no-permutation-matches", "SELECT id, name FROM t", "SELECT 4 - id, name FROM t", {}, "incorrect"),
    ("integer-vs-decimal", "SELECT 30::INTEGER", "SELECT 30.00::DECIMAL(10, 2)", {}, "correct"),
    ("decimal-vs-double", "SELECT SUM(amount) FROM t", "SELECT SUM(amount)::DOUBLE FROM t", {}, "correct"),
    ("integer-vs-double", "SELECT COUNT(*) FROM t", "SELECT COUNT(*)::DOUBLE FROM t", {}, "correct"),
    ("hugeint-vs-bigint", "SELECT SUM(id) FROM t", "SELECT SUM(id)::BIGINT FROM t", {}, "correct"),
    ("within-tolerance", "SELECT AVG(score) FROM t", "SELECT ROUND(AVG(score), 7) FROM t", {}, "correct"),
    ("outside-tolerance", "SELECT AVG(score) FROM t", "SELECT ROUND(AVG(score), 2) + 0.001 FROM t", {}, "incorrect"),
    ("task-tolerance", "SELECT 1.0 / 3", "SELECT 0.33", {"tolerance": 0.01}, "correct"),
    ("task-tolerance-outside", "SELECT 1.0 / 3", "SELECT 0.32", {"tolerance": 0.01}, "incorrect"),
    ("date-vs-midnight", "SELECT day FROM t", "SELECT day::TIMESTAMP FROM t", {}, "correct"),
    ("date-vs-10am", "SELECT day FROM t", "SELECT day + INTERVAL 10 HOUR FROM t", {}, "incorrect"),
    ("date-vs-text", "SELECT day FROM t", "SELECT strftime(day, '%Y-%m-%d') FROM t", {}, "incorrect"),
    ("null-equals-null", "SELECT amount FROM t", "SELECT CASE WHEN amount IS NULL THEN NULL ELSE amount END FROM t", {}, "correct"),
    ("null-is-not-zero", "SELECT amount FROM t", "SELECT COALESCE(amount, 0) FROM t", {}, "incorrect"),
    ("empty-vs-empty", "SELECT id FROM t WHERE false", "SELECT id FROM t WHERE id > 99", {}, "correct"),
    ("empty-vs-rows", "SELECT id FROM t WHERE false", "SELECT id FROM t", {}, "incorrect"),
    ("rows-vs-empty", "SELECT id FROM t", "SELECT id FROM t WHERE false", {}, "incorrect"),
    ("boolean-vs-one", "SELECT flag FROM t", "SELECT flag::INTEGER FROM t", {}, "incorrect"),
    ("boolean-vs-boolean", "SELECT flag FROM t", "SELECT NOT NOT flag FROM t", {}, "correct"),
    ("order-ignored", "SELECT id FROM t ORDER BY id", "SELECT id FROM t ORDER BY id DESC", {}, "correct"),
    ("order-matters", "SELECT id FROM t ORDER BY id", "SELECT id FROM t ORDER BY id DESC", {"order_matters": True}, "incorrect"),
    ("order-matters-right", "SELECT id FROM t ORDER BY id", "SELECT id FROM t ORDER BY -id DESC", {"order_matters": True}, "correct"),
    ("infinity-equal", "SELECT 'inf'::DOUBLE AS x", "SELECT 'infinity'::DOUBLE", {}, "correct"),
    ("infinity-vs-number", "SELECT MAX(score) FROM t", "SELECT 'inf'::DOUBLE", {}, "incorrect"),
    ("minus-infinity", "SELECT '-inf'::DOUBLE", "SELECT 'inf'::DOUBLE", {}, "incorrect"),
    ("nan-equal", "SELECT 'nan'::DOUBLE", "SELECT 'NaN'::DOUBLE", {}, "correct"),
    ("nan-vs-null", "SELECT 'nan'::DOUBLE", "SELECT NULL::DOUBLE", {}, "incorrect"),
    ("column-count", "SELECT id, name FROM t", "SELECT id FROM t", {}, "incorrect"),
]


@pytest.mark.parametrize("solution, answer, options, verdict", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rules_through_the_checker(checker, solution, answer, options, verdict):
    result = grade(checker, solution, answer, **options)
    assert result.verdict.value == verdict, result.message
    assert result.message
    if verdict == "correct":
        assert all(d.passed for d in result.datasets)
    else:
        assert not all(d.passed for d in result.datasets)


def test_the_message_says_what_differs(checker):
    rows = grade(checker, "SELECT name FROM t", "SELECT DISTINCT name FROM t")
    assert "row count: expected 3 rows, got 2" in rows.message
    columns = grade(checker, "SELECT id, name FROM t", "SELECT id FROM t")
    assert "column count" in columns.message
    order = grade(checker, "SELECT id FROM t ORDER BY id", "SELECT id FROM t ORDER BY id DESC", order_matters=True)
    assert "order" in order.message
    values = grade(checker, "SELECT id FROM t", "SELECT id + 1 FROM t")
    assert "values" in values.message
    assert "on the sample" in values.message  # the first dataset that differs, by name


def test_an_infinite_result_is_graded_not_crashed(checker):
    # 'inf' once broke round() in the sort key; now it sorts to the end.
    result = grade(checker, "SELECT id FROM t", "SELECT 'inf'::DOUBLE FROM t")
    assert result.verdict is Verdict.INCORRECT
    assert "inf" in result.message  # the sample's unexpected row
    mixed = "SELECT x FROM (VALUES ('inf'::DOUBLE), ('-inf'::DOUBLE), ('nan'::DOUBLE), (1.5)) v(x)"
    assert grade(checker, mixed, mixed.replace("1.5", "1.5000000001")).verdict is Verdict.CORRECT
    assert grade(checker, mixed, mixed.replace("'-inf'", "'inf'")).verdict is Verdict.INCORRECT


def test_failing_only_on_hidden_data_names_the_dataset(checker):
    # The answer agrees with the solution on the sample; on hidden-pair it drops a row.
    result = grade(checker, "SELECT name FROM t", "SELECT DISTINCT name FROM t WHERE name = 'cy' UNION ALL SELECT name FROM t WHERE name <> 'cy'")
    assert result.verdict is Verdict.INCORRECT
    assert "hidden-pair" in result.message
    assert "cy" not in result.message  # hidden rows never shown
    assert [(d.name, d.passed) for d in result.datasets] == [("sample", True), ("hidden-pair", False)]


async def test_the_async_entry_point_grades_the_same(checker):
    result = await checker.check(task("SELECT id, name FROM t"), "SELECT name, id FROM t")
    assert result.verdict is Verdict.CORRECT
    assert result.correct
    assert result.to_json()["datasets"] == [{"name": "sample", "passed": True}, {"name": "hidden-pair", "passed": True}]
