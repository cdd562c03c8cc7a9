"""SQL answer checking: sandboxed DuckDB, dialect translation, result comparison.

A library of its own: it imports nothing else from `bot`.

    from bot.grading import Checker, Dataset, SqlTask

    task = SqlTask(schema=..., datasets=[Dataset("sample", ..., visible=True), ...], solution=...)
    with Checker() as checker:
        result = checker.check_sync(task, "SELECT ...", dialect="postgres")
        # or, on an event loop: result = await checker.check(task, answer, member=key)
"""

from .compare import Difference, Table, compare
from .dialects import DEFAULT_DIALECT, DIALECTS, extract_sql, normalize_dialect
from .pool import ANSWER, PLAYGROUND, Checker, TaskError
from .sandbox import Limits
from .task import CheckResult, Dataset, DatasetResult, RunResult, SqlTask, Verdict

__all__ = [
    "ANSWER",
    "PLAYGROUND",
    "DEFAULT_DIALECT",
    "DIALECTS",
    "CheckResult",
    "Checker",
    "Dataset",
    "DatasetResult",
    "Difference",
    "Limits",
    "RunResult",
    "SqlTask",
    "Table",
    "TaskError",
    "Verdict",
    "compare",
    "extract_sql",
    "normalize_dialect",
]
