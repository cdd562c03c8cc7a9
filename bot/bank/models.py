"""Pydantic models of the question file format (v1).

These are the format itself: what `studybot check` accepts for a file anywhere on
disk. The bank's house style (rubric length, hidden datasets, ...) is enforced on top
by `bot.bank.lint`.
"""

from __future__ import annotations

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


class SqlQuestion(Question):
    """A SQL question: checked by running answers against its datasets."""

    category: Literal["sql"]
    schema_sql: Text = Field(alias="schema")
    datasets: tuple[SqlDataset, ...] = Field(min_length=1)
    solution: Text
    order_matters: bool = False
    tolerance: float = Field(default=1e-6, ge=0)
    wrong_answers: tuple[WrongAnswer, ...] = Field(min_length=2)

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
