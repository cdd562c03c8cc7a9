"""Pydantic models of the question file format (v1).

These are the format itself: what `studybot check` accepts for a file anywhere on
disk. The bank's house style (rubric length, hidden datasets, ...) is enforced on top
by `bot.bank.lint`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from bot.grading import Dataset, SqlTask

CATEGORIES = (
    "sql",
    "statistics",
    "experimentation",
    "ml",
    "ml-system-design",
    "product-metrics",
    "python",
    "behavioral",
)
TRACKS = ("product-analytics", "data-analytics", "data-science", "ml-engineering", "ml-research")
DIFFICULTIES = ("easy", "medium", "hard")

Category = Literal[
    "sql", "statistics", "experimentation", "ml", "ml-system-design", "product-metrics", "python", "behavioral"
]
Track = Literal["product-analytics", "data-analytics", "data-science", "ml-engineering", "ml-research"]
Difficulty = Literal["easy", "medium", "hard"]
KebabCase = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Question(_Strict):
    """Fields every question has."""

    id: KebabCase
    title: Text
    category: Category
    difficulty: Difficulty
    tags: tuple[KebabCase, ...] = ()
    tracks: tuple[Track, ...] = TRACKS
    prompt: Text
    rubric: tuple[Text, ...] = Field(min_length=1)
    answer: Text
    hints: tuple[Text, ...] = ()
    source: str | None = None

    @field_validator("tracks")
    @classmethod
    def _some_track(cls, tracks: tuple[str, ...]) -> tuple[str, ...]:
        if not tracks:
            raise ValueError("list at least one track, or leave the field out for all of them")
        return tracks

    @property
    def is_sql(self) -> bool:
        return False


class SqlDataset(_Strict):
    name: KebabCase
    sql: str = ""
    visible: bool = False


class WrongAnswer(_Strict):
    sql: Text
    why: Text


class EquivalentMutant(_Strict):
    """A mutant of the solution no dataset can tell apart from it, and why."""

    mutant: Text  # its description, as `studybot content mutate` prints it
    reason: Text


Bound = int | float | dt.datetime | dt.date | str | None


class Constraint(_Strict):
    """What the prompt promises about one column (`table.column`) or one table (`table`)."""

    not_null: bool = False
    unique: bool | tuple[str, ...] = False  # true, or the columns it is unique together with
    range: tuple[Bound, Bound] | None = None  # [low, high], inclusive; null for no bound
    references: str | None = None  # "table.column" every non-NULL value appears in
    not_empty: bool = False  # a table key only: the table always has rows


_COLUMN_KEY = re.compile(r"^\w+\.\w+$")
_TABLE_KEY = re.compile(r"^\w+$")


def _check_constraints(constraints: dict[str, Constraint]) -> dict[str, Constraint]:
    for key, constraint in constraints.items():
        if _TABLE_KEY.match(key):
            if constraint.model_dump(exclude_defaults=True).keys() - {"not_empty"}:
                raise ValueError(f"{key}: a table takes only `not_empty`; column constraints go under `{key}.COLUMN`")
        elif _COLUMN_KEY.match(key):
            if constraint.not_empty:
                raise ValueError(f"{key}: `not_empty` belongs to the table, `{key.split('.')[0]}`")
            if constraint.references is not None and not _COLUMN_KEY.match(constraint.references):
                raise ValueError(f"{key}: references names `table.column`, not {constraint.references!r}")
        else:
            raise ValueError(f"{key!r}: name a column as `table.column` or a table as `table`")
    return constraints


class SqlQuestion(Question):
    """A SQL question: checked by running answers against its datasets."""

    category: Literal["sql"]
    schema_sql: Text = Field(alias="schema")
    datasets: tuple[SqlDataset, ...] = Field(min_length=1)
    solution: Text
    order_matters: bool = False
    tolerance: float = Field(default=1e-6, ge=0)
    wrong_answers: tuple[WrongAnswer, ...] = Field(min_length=2)
    equivalent_mutants: tuple[EquivalentMutant, ...] = ()
    constraints: dict[str, Constraint] = Field(default_factory=dict)

    @field_validator("constraints")
    @classmethod
    def _constraint_keys(cls, constraints: dict[str, Constraint]) -> dict[str, Constraint]:
        return _check_constraints(constraints)

    def __hash__(self) -> int:  # a dict field is not hashable; equal questions still hash alike
        return hash((self.id, self.schema_sql, self.solution, self.datasets, tuple(sorted(self.constraints.items()))))

    @field_validator("datasets")
    @classmethod
    def _one_visible_dataset(cls, datasets: tuple[SqlDataset, ...]) -> tuple[SqlDataset, ...]:
        visible = [d.name for d in datasets if d.visible]
        if len(visible) != 1:
            raise ValueError(f"exactly one dataset must have `visible: true` (found {len(visible)})")
        names = [d.name for d in datasets]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"names must be unique ({', '.join(repeated)} repeated)")
        return datasets

    @property
    def is_sql(self) -> bool:
        return True

    @property
    def sample(self) -> SqlDataset:
        return next(d for d in self.datasets if d.visible)

    def task(self) -> SqlTask:
        """What the checker needs to grade answers to this question."""
        return SqlTask(
            schema=self.schema_sql,
            datasets=tuple(Dataset(d.name, d.sql, d.visible) for d in self.datasets),
            solution=self.solution,
            order_matters=self.order_matters,
            tolerance=self.tolerance,
        )


class WrittenQuestion(Question):
    """Any other category: answered in prose or code, reviewed by peers on the rubric."""

    category: Literal[
        "statistics", "experimentation", "ml", "ml-system-design", "product-metrics", "python", "behavioral"
    ]


AnyQuestion = SqlQuestion | WrittenQuestion
