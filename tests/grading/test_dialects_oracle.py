"""Oracle answers keep Oracle's meaning, or are refused by name.

Oracle's '' is NULL: a text value that is '' in the question's data, a '' literal, and a
string function that returns '' are all NULL, and || and CONCAT skip NULLs.
"""

from dialect_cases import assert_cannot_keep, assert_correct, assert_incorrect


def test_empty_string_is_null(checker):
    answer = "SELECT name FROM staff WHERE nick IS NULL"
    assert_correct(checker, "SELECT name FROM staff WHERE nick IS NULL OR nick = ''", answer, "oracle")
    assert_incorrect(checker, "SELECT name FROM staff WHERE nick IS NULL", answer, "oracle")
    assert_correct(checker, "SELECT name FROM staff WHERE false", "SELECT name FROM staff WHERE nick = ''", "oracle")
    assert_correct(checker, "SELECT COUNT(NULLIF(nick, '')) FROM staff", "SELECT COUNT(nick) FROM staff", "oracle")
    assert_correct(checker, "SELECT name, COALESCE(NULLIF(nick, ''), '-') FROM staff",
                   "SELECT name, NVL(nick, '-') FROM staff", "oracle")
    assert_correct(checker, "SELECT NULL", "SELECT SUBSTR('abc', 2, 0) FROM dual", "oracle")
    assert_correct(checker, "SELECT NULL", "SELECT TRIM('  ') FROM dual", "oracle")


def test_empty_is_null_in_every_shape_of_query(checker):
    # CASE branches, a select alias in ORDER BY over a join, windows and WITHIN GROUP
    assert_correct(checker, "SELECT CASE WHEN NULLIF(nick, '') IS NULL THEN 'n' ELSE nick END FROM staff",
                   "SELECT CASE WHEN nick IS NULL THEN 'n' ELSE nick END FROM staff", "oracle")
    assert_correct(checker, "SELECT NULLIF(a.nick, '') AS n FROM staff a JOIN staff b USING (id) ORDER BY n NULLS LAST",
                   "SELECT a.nick AS n FROM staff a JOIN staff b USING (id) ORDER BY n", "oracle", order_matters=True)
    assert_correct(checker, "SELECT name, string_agg(NULLIF(nick, ''), ',' ORDER BY nick) OVER (PARTITION BY dept) FROM staff",
                   "SELECT name, LISTAGG(nick, ',') WITHIN GROUP (ORDER BY nick) OVER (PARTITION BY dept) FROM staff", "oracle")
    assert_correct(checker, "SELECT dept, COUNT(NULLIF(nick, '')) FROM staff GROUP BY dept",
                   "WITH s AS (SELECT dept, nick FROM staff) SELECT dept, COUNT(nick) FROM s GROUP BY dept", "oracle")


def test_concatenation_skips_null(checker):
    assert_correct(checker, "SELECT concat(name, NULLIF(nick, '')) FROM staff", "SELECT name || nick FROM staff", "oracle")
    assert_correct(checker, "SELECT concat(name, NULLIF(nick, '')) FROM staff", "SELECT CONCAT(name, nick) FROM staff", "oracle")
    assert_correct(checker, "SELECT NULL", "SELECT NULL || '' FROM dual", "oracle")
    assert_correct(checker, "SELECT replace(name, 'a', '') FROM staff", "SELECT REPLACE(name, 'a', '') FROM staff", "oracle")


def test_substr_from_zero_starts_at_one(checker):
    answer = "SELECT name, SUBSTR(name, 0, 2), SUBSTR(name, id - 1, 2), SUBSTR(name, -2, 1) FROM staff"
    assert_correct(checker, "SELECT name, substring(name, 1, 2), substring(name, greatest(id - 1, 1), 2), substring(name, -2, 1) FROM staff", answer, "oracle")
    assert_incorrect(checker, "SELECT name, substring(name, 0, 2), substring(name, id - 1, 2), substring(name, -2, 1) FROM staff", answer, "oracle")


def test_division_keeps_the_fraction(checker):
    answer = "SELECT SUM(salary) / COUNT(*) FROM staff"
    assert_correct(checker, "SELECT SUM(salary) / COUNT(*) FROM staff", answer, "oracle")
    assert_incorrect(checker, "SELECT SUM(salary) // COUNT(*) FROM staff", answer, "oracle")
    assert_correct(checker, "SELECT 3.5", "SELECT 7 / 2 FROM dual", "oracle")


def test_nvl_nvl2_and_decode(checker):
    assert_correct(checker, "SELECT name, COALESCE(bonus, 0) FROM staff", "SELECT name, NVL(bonus, 0) FROM staff", "oracle")
    assert_correct(checker, "SELECT name, CASE WHEN bonus IS NULL THEN 'no' ELSE 'yes' END FROM staff",
                   "SELECT name, NVL2(bonus, 'yes', 'no') FROM staff", "oracle")
    # DECODE matches NULL with NULL, unlike =
    assert_correct(checker, "SELECT name, CASE WHEN bonus IS NULL THEN 'none' WHEN bonus = 5 THEN 'five' ELSE 'other' END FROM staff",
                   "SELECT name, DECODE(bonus, NULL, 'none', 5, 'five', 'other') FROM staff", "oracle")


def test_fetch_first(checker):
    assert_correct(checker, "SELECT name FROM staff ORDER BY salary, name LIMIT 2",
                   "SELECT name FROM staff ORDER BY salary, name FETCH FIRST 2 ROWS ONLY", "oracle", order_matters=True)
    assert_correct(checker, "SELECT name FROM staff ORDER BY id LIMIT 1 OFFSET 1",
                   "SELECT name FROM staff ORDER BY id OFFSET 1 ROWS FETCH NEXT 1 ROWS ONLY", "oracle", order_matters=True)


def test_what_cannot_be_kept_is_refused_by_name(checker):
    # sqlglot writes these as a plain LIMIT: another answer, silently
    assert_cannot_keep(checker, "SELECT name FROM staff ORDER BY salary DESC FETCH FIRST 1 ROWS WITH TIES", "oracle", "WITH TIES")
    assert_cannot_keep(checker, "SELECT name FROM staff ORDER BY salary FETCH FIRST 50 PERCENT ROWS ONLY", "oracle", "PERCENT")
    assert_cannot_keep(checker, "SELECT name FROM staff WHERE ROWNUM <= 2", "oracle", "ROWNUM", "FETCH FIRST")
    assert_cannot_keep(checker, "SELECT a.name FROM staff a, staff b WHERE a.id = b.bonus(+)", "oracle", "(+)", "LEFT JOIN")
    # TO_CHAR with a format sqlglot cannot write for DuckDB would lose its format
    assert_cannot_keep(checker, "SELECT TO_CHAR(hired, 'Mon') FROM staff", "oracle", "TO_CHAR")


def test_dates(checker):
    assert_correct(checker, "SELECT name, strftime(hired, '%Y-%m') FROM staff",
                   "SELECT name, TO_CHAR(hired, 'YYYY-MM') FROM staff", "oracle")
    assert_correct(checker, "SELECT name, CAST(date_trunc('month', hired) AS DATE) FROM staff",
                   "SELECT name, TRUNC(hired, 'MM') FROM staff", "oracle")
    assert_correct(checker, "SELECT name, hired FROM staff", "SELECT name, TRUNC(hired) FROM staff", "oracle")
    assert_cannot_keep(checker, "SELECT TRUNC(hired, 'CC') FROM staff", "oracle", "TRUNC", "'CC'")


def test_minus_and_null_ordering(checker):
    assert_correct(checker, "SELECT dept FROM staff EXCEPT SELECT 'ops'",
                   "SELECT dept FROM staff MINUS SELECT 'ops' FROM dual", "oracle")
    # Oracle sorts NULLs last ascending and first descending
    assert_correct(checker, "SELECT bonus FROM staff ORDER BY bonus DESC NULLS FIRST",
                   "SELECT bonus FROM staff ORDER BY bonus DESC", "oracle", order_matters=True)
