"""Dialects: answers in six SQL dialects, translated to DuckDB with their meaning kept.

Every answer here goes through the real checker (workers, sqlglot, DuckDB), except the
few pure functions at the end (fence parsing and dialect names).
"""

import pytest

from bot.grading import DEFAULT_DIALECT, DIALECTS, Dataset, SqlTask, Verdict, extract_sql, normalize_dialect

SCHEMA = "CREATE TABLE orders (id INTEGER, customer VARCHAR, amount INTEGER, discount INTEGER, placed DATE);"
SAMPLE = """
INSERT INTO orders VALUES
  (1, 'ann', 10, NULL, DATE '2024-01-05'),
  (2, 'ann', 20, 2, DATE '2024-02-10'),
  (3, 'bob', 5, NULL, DATE '2024-02-11');
"""
HIDDEN = """
INSERT INTO orders VALUES
  (1, 'cy', 7, 1, DATE '2023-12-31'),
  (2, 'cy', 3, NULL, DATE '2024-01-01'),
  (3, 'dee', 4, 1, DATE '2024-03-01'),
  (4, 'dee', 6, NULL, DATE '2024-03-02'),
  (5, 'eve', 1, NULL, DATE '2024-03-03');
"""


def task(solution: str, *, order_matters: bool = False) -> SqlTask:
    return SqlTask(
        schema=SCHEMA,
        datasets=[Dataset("sample", SAMPLE, visible=True), Dataset("five-orders", HIDDEN)],
        solution=solution,
        order_matters=order_matters,
    )


PER_CUSTOMER = task(
    "SELECT customer, SUM(amount) AS total, COUNT(discount) AS discounted, "
    "strftime(MIN(placed), '%Y-%m') AS first_month FROM orders GROUP BY customer"
)

# One answer per dialect, each in that dialect's own syntax. `raw_fails` marks the ones
# DuckDB itself cannot run, which proves the translation is what made them pass.
IN_ITS_DIALECT = [
    pytest.param(
        "duckdb",
        "SELECT customer, sum(amount), count(discount), strftime(min(placed), '%Y-%m') FROM orders GROUP BY ALL",
        False,
        id="duckdb-group-by-all",
    ),
    pytest.param(
        "postgres",
        "SELECT customer, SUM(amount)::bigint, COUNT(*) FILTER (WHERE discount IS NOT NULL), "
        "to_char(MIN(placed), 'YYYY-MM') FROM orders GROUP BY 1",
        True,
        id="postgres-to_char-filter",
    ),
    pytest.param(
        "mysql",
        "SELECT `customer`, SUM(`amount`), SUM(IF(discount IS NULL, 0, 1)), "
        "DATE_FORMAT(MIN(placed), '%Y-%m') FROM `orders` GROUP BY `customer`",
        True,
        id="mysql-date_format-if",
    ),
    pytest.param(
        "bigquery",
        "SELECT customer, SUM(amount), COUNTIF(discount IS NOT NULL), "
        "SUBSTR(CAST(DATE_TRUNC(MIN(placed), MONTH) AS STRING), 1, 7) FROM orders GROUP BY customer",
        True,
        id="bigquery-date_trunc-countif",
    ),
    pytest.param(
        "snowflake",
        "SELECT customer, SUM(amount), SUM(IFF(discount IS NULL, 0, 1)), "
        "LEFT(TO_VARCHAR(MIN(placed)), 7) FROM orders GROUP BY customer",
        True,
        id="snowflake-iff-to_varchar",
    ),
    pytest.param(
        "sqlite",
        "SELECT customer, SUM(amount), SUM(discount IS NOT NULL), strftime('%Y-%m', MIN(placed)) "
        "FROM orders GROUP BY customer",
        False,
        id="sqlite-strftime",
    ),
    pytest.param(
        "tsql",
        "SELECT TOP 10 [customer], SUM(amount), SUM(IIF(discount IS NULL, 0, 1)), "
        "FORMAT(MIN(placed), 'yyyy-MM') FROM orders GROUP BY customer ORDER BY customer",
        True,
        id="tsql-top-iif-format",
    ),
    pytest.param(
        "oracle",
        "SELECT customer, SUM(amount), SUM(NVL2(discount, 1, 0)), TO_CHAR(MIN(placed), 'YYYY-MM') "
        "FROM orders GROUP BY customer",
        True,
        id="oracle-nvl2-to_char",
    ),
    pytest.param(
        "redshift",
        "SELECT customer, SUM(amount), SUM(DECODE(discount, NULL, 0, 1)), TO_CHAR(MIN(placed), 'YYYY-MM') "
        "FROM orders GROUP BY customer",
        True,
        id="redshift-decode-to_char",
    ),
    pytest.param(
        "trino",
        "SELECT customer, SUM(amount), COUNT_IF(discount IS NOT NULL), date_format(MIN(placed), '%Y-%m') "
        "FROM orders GROUP BY customer",
        True,
        id="trino-count_if-date_format",
    ),
    pytest.param(
        "spark",
        "SELECT customer, SUM(amount), SUM(IF(discount IS NULL, 0, 1)), date_format(MIN(placed), 'yyyy-MM') "
        "FROM orders GROUP BY customer",
        True,
        id="spark-if-date_format",
    ),
]


def test_every_dialect_has_an_answer_here():
    assert sorted(p.values[0] for p in IN_ITS_DIALECT) == sorted(DIALECTS)


@pytest.mark.parametrize("dialect, answer, raw_fails", IN_ITS_DIALECT)
def test_an_answer_in_its_dialect_is_correct(checker, dialect, answer, raw_fails):
    result = checker.check_sync(PER_CUSTOMER, answer, dialect=dialect)
    assert result.verdict is Verdict.CORRECT, result.message
    assert result.dialect == dialect
    if raw_fails:
        as_duckdb = checker.check_sync(PER_CUSTOMER, answer, dialect="duckdb")
        assert as_duckdb.verdict is Verdict.ERROR, as_duckdb.message


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_wrong_answer_stays_wrong_in_every_dialect(checker, dialect):
    # Translation must not make a wrong answer right: SUM vs MAX.
    answer = "SELECT customer, MAX(amount), COUNT(discount), '2024-01' FROM orders GROUP BY customer"
    result = checker.check_sync(PER_CUSTOMER, answer, dialect=dialect)
    assert result.verdict is Verdict.INCORRECT, result.message


# ---- integer division keeps each dialect's meaning ----------------------------------------

RATIO = "SELECT COUNT(discount) / COUNT(*) AS ratio FROM orders"  # 1/3 on the sample, 2/5 hidden
FRACTION = task("SELECT COUNT(discount) / COUNT(*) FROM orders")  # DuckDB: 0.333…, 0.4
TRUNCATED = task("SELECT COUNT(discount) // COUNT(*) FROM orders")  # 0 and 0


@pytest.mark.parametrize(
    "dialect, truncates",
    [("postgres", True), ("sqlite", True), ("tsql", True), ("redshift", True), ("trino", True), ("duckdb", False),
     ("mysql", False), ("bigquery", False), ("snowflake", False), ("oracle", False), ("spark", False)],
)
def test_count_over_count_is_integer_division_only_where_the_dialect_says(checker, dialect, truncates):
    as_fraction = checker.check_sync(FRACTION, RATIO, dialect=dialect)
    as_zero = checker.check_sync(TRUNCATED, RATIO, dialect=dialect)
    if truncates:
        assert as_zero.verdict is Verdict.CORRECT, as_zero.message
        assert as_fraction.verdict is Verdict.INCORRECT
        assert "unexpected row (0)" in as_fraction.message  # graded as 0, shown on the sample
    else:
        assert as_fraction.verdict is Verdict.CORRECT, as_fraction.message
        assert as_zero.verdict is Verdict.INCORRECT


@pytest.mark.parametrize("dialect", ["postgres", "sqlite"])
def test_integer_division_details(checker, dialect):
    def grade(solution, answer):
        return checker.check_sync(task(solution), answer, dialect=dialect).verdict

    # Integer columns and literals truncate toward zero, as in PostgreSQL and SQLite.
    assert grade("SELECT 3", "SELECT 7 / 2") is Verdict.CORRECT
    assert grade("SELECT -3", "SELECT -7 / 2") is Verdict.CORRECT
    assert grade("SELECT amount // 4 FROM orders", "SELECT amount / 4 FROM orders") is Verdict.CORRECT
    assert grade("SELECT SUM(amount) // COUNT(*) FROM orders", "SELECT SUM(amount) / COUNT(*) FROM orders") is Verdict.CORRECT
    # A non-integer on either side keeps the fraction.
    assert grade("SELECT 3.5", "SELECT 7 / 2.0") is Verdict.CORRECT
    assert grade("SELECT amount / 4 FROM orders", "SELECT CAST(amount AS REAL) / 4 FROM orders") is Verdict.CORRECT
    assert grade("SELECT COUNT(discount) / COUNT(*) FROM orders", "SELECT COUNT(discount) * 1.0 / COUNT(*) FROM orders") is Verdict.CORRECT


def test_duckdb_keeps_its_own_division(checker):
    assert checker.check_sync(task("SELECT 3.5"), "SELECT 7 / 2").verdict is Verdict.CORRECT
    assert checker.check_sync(task("SELECT 3"), "SELECT 7 // 2").verdict is Verdict.CORRECT


# ---- code fences name the dialect ----------------------------------------------------------


@pytest.mark.parametrize(
    "answer, default, graded_as",
    [
        pytest.param(f"```postgresql\n{RATIO}\n```", "duckdb", "postgres", id="postgresql-tag-over-duckdb"),
        pytest.param(f"```postgres\n{RATIO}\n```", "mysql", "postgres", id="postgres-tag-over-mysql"),
        pytest.param(f"```pg\n{RATIO}\n```", "duckdb", "postgres", id="pg-tag"),
        pytest.param(f"```PostgreSQL\n{RATIO};\n```", "duckdb", "postgres", id="tag-any-case"),
        pytest.param(f"```sqlite\n{RATIO}\n```", "duckdb", "sqlite", id="sqlite-tag"),
        pytest.param(f"```mysql\n{RATIO}\n```", "postgres", "mysql", id="mysql-tag-over-postgres"),
        pytest.param(f"```duckdb\n{RATIO}\n```", "postgres", "duckdb", id="duckdb-tag-over-postgres"),
        pytest.param(f"```sql\n{RATIO}\n```", "postgres", "postgres", id="sql-tag-keeps-default-postgres"),
        pytest.param(f"```sql\n{RATIO}\n```", "duckdb", "duckdb", id="sql-tag-keeps-default-duckdb"),
        pytest.param(f"```\n{RATIO}\n```", "sqlite", "sqlite", id="no-tag-keeps-default"),
        pytest.param(f"```python\n{RATIO}\n```", "postgres", "postgres", id="unknown-tag-keeps-default"),
        pytest.param(f"Here is mine:\n\n```postgresql\n{RATIO}\n```\nthanks!", "duckdb", "postgres", id="text-around-fence"),
        pytest.param(f"`{RATIO}`", "postgres", "postgres", id="inline-backticks"),
        pytest.param(RATIO, "postgres", "postgres", id="bare-sql"),
    ],
)
def test_a_code_fence_names_the_dialect(checker, answer, default, graded_as):
    result = checker.check_sync(TRUNCATED, answer, dialect=default)
    assert result.dialect == graded_as
    expected = Verdict.CORRECT if graded_as in ("postgres", "sqlite") else Verdict.INCORRECT
    assert result.verdict is expected, result.message


@pytest.mark.parametrize("name", ["db2", "teradata", "postgres9", "sql server"])
def test_an_unknown_dialect_is_a_clear_error(checker, name):
    with pytest.raises(ValueError) as caught:
        checker.check_sync(FRACTION, "SELECT 1", dialect=name)
    message = str(caught.value)
    assert repr(name) in message
    assert "unknown SQL dialect" in message
    for known in DIALECTS:
        assert known in message


async def test_an_unknown_dialect_fails_before_reaching_a_worker(checker):
    with pytest.raises(ValueError):
        await checker.check(FRACTION, "SELECT 1", dialect="cobol")
    result = await checker.check(FRACTION, RATIO)  # the pool is untouched
    assert result.verdict is Verdict.CORRECT


def test_a_syntax_error_names_the_dialect(checker):
    result = checker.check_sync(FRACTION, "SELECT FROM WHERE orders (", dialect="mysql")
    assert result.verdict is Verdict.ERROR
    assert result.message.startswith("mysql syntax error")


def test_refusals_in_other_dialects_say_what_was_refused(checker):
    # sqlglot names these statements oddly (INSTALL parses as an alias, LOAD as a command);
    # the refusal must still name what the member wrote.
    for answer, word in [("INSTALL httpfs", "INSTALL"), ("LOAD httpfs", "LOAD"), ("CHECKPOINT", "CALL"),
                         ("TRUNCATE orders", "DELETE"), ("GRANT SELECT ON orders TO bob", "GRANT"),
                         ("DELETE FROM orders", "DELETE"), ("SET search_path = x", "SET")]:
        result = checker.check_sync(FRACTION, answer, dialect="postgres")
        assert result.verdict is Verdict.REFUSED, (answer, result.message)
        assert word in result.message, (answer, result.message)
        assert "ALIAS" not in result.message and "COMMAND" not in result.message


@pytest.mark.parametrize("dialect", ["postgres", "sqlite", "snowflake"])
def test_values_is_a_query_in_other_dialects_too(checker, dialect):
    result = checker.check_sync(task("SELECT 1, 'a' UNION ALL SELECT 2, 'b'"), "VALUES (2, 'b'), (1, 'a')", dialect=dialect)
    assert result.verdict is Verdict.CORRECT, result.message


# ---- the pure functions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, canonical",
    [(None, "duckdb"), ("", "duckdb"), ("duckdb", "duckdb"), ("PostgreSQL", "postgres"), ("psql", "postgres"),
     ("pg", "postgres"), (" mysql ", "mysql"), ("mariadb", "mysql"), ("bq", "bigquery"), ("BigQuery", "bigquery"),
     ("snowflake", "snowflake"), ("sqlite3", "sqlite")],
)
def test_normalize_dialect(name, canonical):
    assert normalize_dialect(name) == canonical


def test_extract_sql():
    assert DEFAULT_DIALECT == "duckdb"
    assert extract_sql("SELECT 1") == ("SELECT 1", "duckdb")
    assert extract_sql("  SELECT 1 \n", "mysql") == ("SELECT 1", "mysql")
    assert extract_sql("```pg\nSELECT 1\n```") == ("SELECT 1", "postgres")
    assert extract_sql("```sql\nSELECT 1\n```", "sqlite") == ("SELECT 1", "sqlite")
    assert extract_sql("```bigquery\nSELECT 1") == ("SELECT 1", "bigquery")  # unclosed fence
    # the first fenced block wins over the prose and over later blocks
    text = "try this\n```snowflake\nSELECT 2\n```\nor\n```mysql\nSELECT 3\n```"
    assert extract_sql(text, "postgres") == ("SELECT 2", "snowflake")
