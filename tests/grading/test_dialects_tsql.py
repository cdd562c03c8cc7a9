"""T-SQL (SQL Server) answers keep T-SQL's meaning, or are refused by name.

Each rule is graded against a DuckDB reference that spells the T-SQL meaning out, and
against the naive reference sqlglot's plain translation would match, which must fail.
"""

from dialect_cases import assert_cannot_keep, assert_correct, assert_incorrect, task


def test_integer_division_truncates(checker):
    answer = "SELECT SUM(salary) / COUNT(*) FROM staff"
    assert_correct(checker, "SELECT SUM(salary) // COUNT(*) FROM staff", answer, "tsql")
    assert_incorrect(checker, "SELECT SUM(salary) / COUNT(*) FROM staff", answer, "tsql")
    assert_correct(checker, "SELECT -7 // 2", "SELECT -7 / 2", "tsql")  # toward zero: -3
    assert_correct(checker, "SELECT SUM(salary) / 4.0 FROM staff", "SELECT SUM(salary) / 4.0 FROM staff", "tsql")


def test_avg_of_integers_is_an_integer(checker):
    answer = "SELECT dept, AVG(salary) FROM staff GROUP BY dept"
    assert_correct(checker, "SELECT dept, SUM(salary) // COUNT(salary) FROM staff GROUP BY dept", answer, "tsql")
    assert_incorrect(checker, "SELECT dept, AVG(salary) FROM staff GROUP BY dept", answer, "tsql")
    # toward zero (-3.5 is -3), with DISTINCT, over a window, and a fraction where the input is one
    assert_correct(checker, "SELECT -3", "SELECT AVG(v) FROM (VALUES (-3), (-4)) AS x(v)", "tsql")
    assert_correct(checker, "SELECT SUM(DISTINCT salary) // COUNT(DISTINCT salary) FROM staff",
                   "SELECT AVG(DISTINCT salary) FROM staff", "tsql")
    assert_correct(checker, "SELECT name, (SUM(salary) OVER (PARTITION BY dept)) // (COUNT(*) OVER (PARTITION BY dept)) FROM staff",
                   "SELECT name, AVG(salary) OVER (PARTITION BY dept) FROM staff", "tsql")
    assert_correct(checker, "SELECT AVG(rate) FROM staff", "SELECT AVG(rate) FROM staff", "tsql")


def test_top_is_limit(checker):
    assert_correct(checker, "SELECT name FROM staff ORDER BY salary DESC, name LIMIT 2",
                   "SELECT TOP 2 name FROM staff ORDER BY salary DESC, name", "tsql", order_matters=True)
    assert_correct(checker, "SELECT name FROM staff ORDER BY salary DESC, name LIMIT 2",
                   "SELECT TOP (2) name FROM staff ORDER BY salary DESC, name", "tsql", order_matters=True)


def test_top_percent_and_with_ties_are_refused_by_name(checker):
    # SQL Server rounds TOP 50 PERCENT of 3 rows up to 2, DuckDB's LIMIT 50% down to 1;
    # sqlglot writes TOP 1 WITH TIES as a LIMIT DuckDB cannot parse.
    assert_cannot_keep(checker, "SELECT TOP 50 PERCENT name FROM staff ORDER BY salary", "tsql", "TOP", "PERCENT")
    assert_cannot_keep(checker, "SELECT TOP 1 WITH TIES name FROM staff ORDER BY salary DESC", "tsql", "TOP", "WITH TIES", "RANK()")


def test_isnull_is_coalesce(checker):
    assert_correct(checker, "SELECT name, COALESCE(bonus, 0) FROM staff", "SELECT name, ISNULL(bonus, 0) FROM staff", "tsql")


def test_plus_concatenates_text(checker):
    assert_correct(checker, "SELECT name || '@' || dept FROM staff", "SELECT name + '@' + dept FROM staff", "tsql")
    # NULL + text is NULL in T-SQL (CONCAT_NULL_YIELDS_NULL), as || in DuckDB
    assert_correct(checker, "SELECT name || nick FROM staff", "SELECT name + nick FROM staff", "tsql")
    assert_correct(checker, "SELECT salary + bonus FROM staff", "SELECT salary + bonus FROM staff", "tsql")
    # text + number converts the text to a number in SQL Server: refused, with what to write instead
    assert_cannot_keep(checker, "SELECT name + salary FROM staff", "tsql", "+", "CAST")


def test_len_ignores_trailing_spaces(checker):
    answer = "SELECT name, LEN(nick) FROM staff"
    assert_correct(checker, "SELECT name, length(rtrim(nick)) FROM staff", answer, "tsql")
    assert_incorrect(checker, "SELECT name, length(nick) FROM staff", answer, "tsql")


def test_datepart_weekday_counts_sunday_as_one(checker):
    answer = "SELECT name, DATEPART(weekday, hired) FROM staff"
    assert_correct(checker, "SELECT name, dayofweek(hired) + 1 FROM staff", answer, "tsql")
    assert_incorrect(checker, "SELECT name, dayofweek(hired) FROM staff", answer, "tsql")
    assert_correct(checker, "SELECT name, (dayofweek(hired) + 1) * 10 FROM staff",
                   "SELECT name, DATEPART(dw, hired) * 10 FROM staff", "tsql")


def test_offset_fetch_and_brackets(checker):
    assert_correct(checker, "SELECT name FROM staff ORDER BY id LIMIT 2 OFFSET 1",
                   "SELECT [name] FROM staff ORDER BY id OFFSET 1 ROWS FETCH NEXT 2 ROWS ONLY", "tsql", order_matters=True)


def test_aliases_name_tsql(checker):
    for fence in ("tsql", "mssql", "sqlserver", "t-sql"):
        result = checker.check_sync(task("SELECT 3"), f"```{fence}\nSELECT 7 / 2\n```", dialect="duckdb")
        assert result.dialect == "tsql" and result.correct, (fence, result.message)


def test_cast_of_a_fraction_to_an_integer_truncates(checker):
    # rate holds 1.5, 2.0, 0.5 …: SQL Server truncates (1, 2, 0), DuckDB rounds to even (2, 2, 0)
    answer = "SELECT name, CAST(rate AS INT), CONVERT(INT, rate * 3), CAST(-2.7 AS INT) FROM staff"
    assert_correct(checker, "SELECT name, CAST(trunc(rate) AS INT), CAST(trunc(rate * 3) AS INT), -2 FROM staff", answer, "tsql")
    assert_incorrect(checker, "SELECT name, CAST(rate AS INT), CAST(rate * 3 AS INT), -3 FROM staff", answer, "tsql")
    assert_correct(checker, "SELECT name, salary FROM staff", "SELECT name, CAST(salary AS BIGINT) FROM staff", "tsql")
