"""One small table for the per-dialect rule tests (test_dialects_*.py).

`nick` holds an empty string and one with trailing spaces; `hired` days fall on Sundays,
a Friday and a Thursday, so the day-of-week rules are visible.
"""

from bot.grading import Dataset, SqlTask, Verdict

SCHEMA = (
    "CREATE TABLE staff (id INTEGER, name VARCHAR, dept VARCHAR, salary INTEGER, "
    "bonus INTEGER, hired DATE, nick VARCHAR, rate DOUBLE);"
)
ROWS = """
INSERT INTO staff VALUES
  (1, 'ann', 'eng', 100, NULL, DATE '2024-01-05', '', 1.5),
  (2, 'bob', 'eng', 100, 5, DATE '2024-01-07', 'bobby', 2.0),
  (3, 'cy', 'ops', 91, NULL, DATE '2024-02-29', 'c  ', 0.5),
  (4, 'dee', 'ops', 80, 2, DATE '2023-12-31', NULL, 1.0);
"""
MORE = """
INSERT INTO staff VALUES
  (1, 'eve', 'eng', 7, -3, DATE '2024-03-03', '', 1.0),
  (2, 'fay', 'eng', 8, -4, DATE '2024-03-04', ' ', 1.0),
  (3, 'gus', 'hr', 9, 1, DATE '2024-03-09', 'g', 3.0);
"""


def task(solution: str, *, order_matters: bool = False) -> SqlTask:
    return SqlTask(
        schema=SCHEMA,
        datasets=[Dataset("sample", ROWS, visible=True), Dataset("more", MORE)],
        solution=solution,
        order_matters=order_matters,
    )


def grade(checker, solution: str, answer: str, dialect: str, *, order_matters: bool = False):
    return checker.check_sync(task(solution, order_matters=order_matters), answer, dialect=dialect)


def assert_correct(checker, solution, answer, dialect, **kw):
    result = grade(checker, solution, answer, dialect, **kw)
    assert result.verdict is Verdict.CORRECT, result.message


def assert_incorrect(checker, solution, answer, dialect, **kw):
    result = grade(checker, solution, answer, dialect, **kw)
    assert result.verdict is Verdict.INCORRECT, result.message


def assert_cannot_keep(checker, answer, dialect, *words):
    """Refused with a message naming the construct; never graded with another meaning."""
    result = grade(checker, "SELECT 1", answer, dialect)
    assert result.verdict is Verdict.ERROR, result.message
    for word in words:
        assert word in result.message, (word, result.message)
    for internal in ("sqlglot", "<class", "Traceback"):
        assert internal not in result.message
