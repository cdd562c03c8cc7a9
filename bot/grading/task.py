"""The checker's vocabulary: what is checked (a task) and what comes back (a result)."""

from __future__ import annotations

import enum
import functools
import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Dataset:
    """One named set of rows: `INSERT` statements run after the task's schema."""

    name: str
    sql: str
    visible: bool = False


@dataclass(frozen=True)
class SqlTask:
    """Everything needed to grade answers to one SQL question."""

    schema: str
    datasets: tuple[Dataset, ...]
    solution: str
    order_matters: bool = False
    tolerance: float = 1e-6

    def __post_init__(self) -> None:
        object.__setattr__(self, "datasets", tuple(self.datasets))

    @functools.cached_property
    def key(self) -> str:
        """A content hash: workers cache loaded databases under it (computed once per object)."""
        parts = [self.schema, self.solution, repr(self.order_matters), repr(self.tolerance)]
        parts += [f"{d.name}\x00{d.visible}\x00{d.sql}" for d in self.datasets]
        return hashlib.sha256("\x01".join(parts).encode()).hexdigest()[:24]

    @property
    def sample(self) -> Dataset:
        """The visible dataset (the first one when none is marked visible)."""
        return next((d for d in self.datasets if d.visible), self.datasets[0])


class Verdict(str, enum.Enum):
    CORRECT = "correct"
    INCORRECT = "incorrect"
    ERROR = "error"  # the query failed; the message is the database's, cleaned
    REFUSED = "refused"  # not one read-only query; it never ran
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class DatasetResult:
    name: str
    passed: bool


@dataclass(frozen=True)
class CheckResult:
    verdict: Verdict
    message: str
    datasets: tuple[DatasetResult, ...] = ()
    elapsed_ms: int = 0
    dialect: str = "duckdb"
    slow: bool = False  # it overran the quick budget and ran again in the slow lane

    @property
    def correct(self) -> bool:
        return self.verdict is Verdict.CORRECT

    def to_json(self) -> dict:
        return {
            "verdict": self.verdict.value,
            "message": self.message,
            "datasets": [{"name": d.name, "passed": d.passed} for d in self.datasets],
            "elapsed_ms": self.elapsed_ms,
        }


@dataclass(frozen=True)
class RunResult:
    """A query run on the visible sample: a playground result, never graded."""

    columns: tuple[str, ...] = ()
    rows: tuple[tuple, ...] = ()
    truncated: bool = False  # more rows existed than `rows` holds
    error: str | None = None  # why it did not run (refused, failed, timed out)
    elapsed_ms: int = 0
    notes: tuple[str, ...] = field(default=())
    slow: bool = False  # it overran the quick budget and ran again in the slow lane
