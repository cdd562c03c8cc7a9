"""Redshift, Trino (Presto) and Spark SQL (Databricks) answers keep their meaning.

Integer division truncates in Redshift and Trino but not in Spark; AVG of integers is an
integer in Redshift only; Spark counts Sunday as day 1 and sorts NULLs first.
"""

import pytest

from bot.grading import Verdict
from dialect_cases import assert_cannot_keep, assert_correct, assert_incorrect, grade, task

RATIO = "SELECT SUM(salary) / COUNT(*) FROM staff"


@pytest.mark.parametrize("dialect, truncates", [("redshift", True), ("trino", True), ("spark", False)])
def test_integer_division(checker, dialect, truncates):
    truncated, fraction = "SELECT SUM(salary) // COUNT(*) FROM staff", RATIO
    assert_correct(checker, truncated if truncates else fraction, RATIO, dialect)
    assert_incorrect(checker, fraction if truncates else truncated, RATIO, dialect)
    assert_correct(checker, "SELECT -3" if truncates else "SELECT -3.5", "SELECT -7 / 2", dialect)


@pytest.mark.parametrize("dialect, integer", [("redshift", True), ("trino", False), ("spark", False)])
def test_avg_of_integers(checker, dialect, integer):
    answer = "SELECT dept, AVG(salary) FROM staff GROUP BY dept"
    truncated = "SELECT dept, SUM(salary) // COUNT(salary) FROM staff GROUP BY dept"
    fraction = "SELECT dept, AVG(salary) FROM staff GROUP BY dept"
    assert_correct(checker, truncated if integer else fraction, answer, dialect)
    assert_incorrect(checker, fraction if integer else truncated, answer, dialect)


QUALIFY = "SELECT dept, name FROM staff QUALIFY ROW_NUMBER() OVER (PARTITION BY dept ORDER BY salary DESC, name) = 1"


@pytest.mark.parametrize("dialect", ["redshift", "spark"])
def test_qualify(checker, dialect):
    assert_correct(checker, QUALIFY, QUALIFY, dialect)


def test_trino_has_no_qualify(checker):
    # Trino itself has none: a syntax error in Trino's terms, with its place
    result = grade(checker, QUALIFY, QUALIFY, "trino")
    assert result.verdict is Verdict.ERROR
    assert result.message.startswith("trino syntax error at line 1, column ")


def test_redshift_top_nvl_decode_and_datediff(checker):
    assert_correct(checker, "SELECT name FROM staff ORDER BY salary DESC, name LIMIT 2",
                   "SELECT TOP 2 name FROM staff ORDER BY salary DESC, name", "redshift", order_matters=True)
    assert_correct(checker, "SELECT name, COALESCE(bonus, 0), CASE WHEN bonus IS NULL THEN 'none' ELSE 'some' END FROM staff",
                   "SELECT name, NVL(bonus, 0), DECODE(bonus, NULL, 'none', 'some') FROM staff", "redshift")
    # DATEDIFF counts the boundaries crossed, as DuckDB's date_diff
    assert_correct(checker, "SELECT name, date_diff('year', hired, DATE '2024-12-31') FROM staff",
                   "SELECT name, DATEDIFF(year, hired, '2024-12-31') FROM staff", "redshift")


def test_trino_fetch_first_with_ties_is_refused(checker):
    assert_correct(checker, "SELECT name FROM staff ORDER BY salary, name LIMIT 2",
                   "SELECT name FROM staff ORDER BY salary, name FETCH FIRST 2 ROWS ONLY", "trino", order_matters=True)
    assert_cannot_keep(checker, "SELECT name FROM staff ORDER BY salary DESC FETCH FIRST 1 ROWS WITH TIES", "trino", "Trino", "WITH TIES")


def test_spark_weekdays(checker):
    # dayofweek and EXTRACT(DOW): Sunday 1 … Saturday 7; weekday(): Monday 0 … Sunday 6
    answer = "SELECT name, dayofweek(hired), extract(DOW FROM hired), weekday(hired) * 10 FROM staff"
    assert_correct(checker, "SELECT name, dayofweek(hired) + 1, dayofweek(hired) + 1, (isodow(hired) - 1) * 10 FROM staff", answer, "spark")
    assert_incorrect(checker, "SELECT name, dayofweek(hired), dayofweek(hired), weekday(hired) * 10 FROM staff", answer, "spark")


def test_spark_div_and_null_ordering(checker):
    assert_correct(checker, "SELECT SUM(salary) // COUNT(*) FROM staff", "SELECT SUM(salary) DIV COUNT(*) FROM staff", "spark")
    # Spark sorts NULLs first ascending; DuckDB last
    assert_correct(checker, "SELECT bonus FROM staff ORDER BY bonus NULLS FIRST",
                   "SELECT bonus FROM staff ORDER BY bonus", "spark", order_matters=True)
    assert_incorrect(checker, "SELECT bonus FROM staff ORDER BY bonus NULLS LAST",
                     "SELECT bonus FROM staff ORDER BY bonus", "spark", order_matters=True)


@pytest.mark.parametrize("fence, dialect", [("redshift", "redshift"), ("presto", "trino"), ("trino", "trino"),
                                            ("databricks", "spark"), ("sparksql", "spark"), ("plsql", "oracle")])
def test_fences_name_the_new_dialects(checker, fence, dialect):
    result = checker.check_sync(task("SELECT 1"), f"```{fence}\nSELECT 1\n```", dialect="duckdb")
    assert result.dialect == dialect and result.correct, result.message


@pytest.mark.parametrize("dialect, truncates", [("spark", True), ("sqlite", True), ("trino", False), ("redshift", False), ("oracle", False)])
def test_cast_of_a_fraction_to_an_integer(checker, dialect, truncates):
    # 1.7 and 1.8: Spark and SQLite truncate (1, 1), the others round (2, 2); no halves,
    # where DuckDB's DOUBLE casts round to even and the dialects differ among themselves
    answer = "SELECT name, CAST(rate + 0.2 AS INT), CAST(rate * 1.2 AS INT) FROM staff"
    truncated = "SELECT name, CAST(trunc(rate + 0.2) AS INT), CAST(trunc(rate * 1.2) AS INT) FROM staff"
    rounded = "SELECT name, CAST(round(rate + 0.2) AS INT), CAST(round(rate * 1.2) AS INT) FROM staff"
    assert_correct(checker, truncated if truncates else rounded, answer, dialect)
    assert_incorrect(checker, rounded if truncates else truncated, answer, dialect)
