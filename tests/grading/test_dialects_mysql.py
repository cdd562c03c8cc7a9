"""MySQL answers keep MySQL's meaning: the idioms sqlglot passes through unchanged.

Each rule is graded against a DuckDB reference that spells the MySQL meaning out.
"""

from dialect_cases import assert_correct


def test_group_by_with_rollup_is_rollup(checker):
    reference = "SELECT dept, name, SUM(salary) FROM staff GROUP BY ROLLUP (dept, name)"
    assert_correct(checker, reference, "SELECT dept, name, SUM(salary) FROM staff GROUP BY dept, name WITH ROLLUP", "mysql")
    assert_correct(checker, "SELECT dept, COUNT(*) FROM staff GROUP BY ROLLUP (dept)",
                   "SELECT dept, COUNT(*) FROM staff GROUP BY dept WITH ROLLUP", "mysql")


def test_a_comparison_is_a_number_in_sum_and_avg(checker):
    assert_correct(checker, "SELECT AVG(CASE WHEN salary > 90 THEN 1 ELSE 0 END) FROM staff",
                   "SELECT AVG(salary > 90) FROM staff", "mysql")
    assert_correct(checker, "SELECT dept, SUM(CASE WHEN bonus IS NULL THEN 1 ELSE 0 END) FROM staff GROUP BY dept",
                   "SELECT dept, SUM(bonus IS NULL) FROM staff GROUP BY dept", "mysql")
    assert_correct(checker, "SELECT AVG(CASE WHEN dept = 'eng' AND salary >= 100 THEN 1 ELSE 0 END) FROM staff",
                   "SELECT AVG(dept = 'eng' AND salary >= 100) FROM staff", "mysql")
