"""Which question a member practises next: the pure choice, no database.

From the bank's questions matching every word of the topic (a category, tag, track
or difficulty): never an excluded one (the group's current and next daily, the
question just left), never a mastered one, and not one waiting on the repetition
schedule before it is due. Questions due again come first (the longest overdue
first); then questions the member has no outcome on, those never shown to them
before first, in a stable pseudo-random order so each member sees their own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from bot.bank import CATEGORIES, DIFFICULTIES, TRACKS, AnyQuestion

CATEGORY, TAG, TRACK, DIFFICULTY, KEYWORD = "category", "tag", "track", "difficulty", "keyword"
WEAK, DUE = "weak", "due"


@dataclass(frozen=True)
class Known:
    """What the chooser needs of a member's progress on one question."""

    step: int | None
    due_at: dt.datetime | None
    mastered: bool

    def due(self, now: dt.datetime) -> bool:
        return self.step is not None and self.due_at is not None and self.due_at <= now


def vocabulary(questions: Iterable[AnyQuestion]) -> dict[str, str]:
    """Every word a topic may use, with its kind (a category or track wins over a tag of the same name)."""
    words = {tag: TAG for q in questions for tag in q.tags}
    words |= {d: DIFFICULTY for d in DIFFICULTIES} | {t: TRACK for t in TRACKS} | {c: CATEGORY for c in CATEGORIES}
    return words | {WEAK: KEYWORD, DUE: KEYWORD}


def matches(question: AnyQuestion, topic: Collection[tuple[str, str]]) -> bool:
    for kind, word in topic:
        if kind == CATEGORY and question.category != word:
            return False
        if kind == TAG and word not in question.tags:
            return False
        if kind == TRACK and word not in question.tracks:
            return False
        if kind == DIFFICULTY and question.difficulty != word:
            return False
    return True


def choose(
    questions: Iterable[AnyQuestion],
    topic: Collection[tuple[str, str]],
    known: dict[str, Known],
    now: dt.datetime,
    *,
    exclude: Collection[str] = (),
    shown: Collection[str] = (),
    seed: str = "",
    due_only: bool = False,
) -> tuple[AnyQuestion, bool] | None:
    """The next question and whether it is due again, or None when nothing is left."""
    pool = [q for q in questions if q.id not in exclude and matches(q, topic)]
    due = sorted((q for q in pool if q.id in known and known[q.id].due(now)), key=lambda q: (known[q.id].due_at, q.id))
    if due:
        return due[0], True
    if due_only:
        return None
    fresh = [q for q in pool if q.id not in known]
    unseen = [q for q in fresh if q.id not in shown]
    candidates = unseen or fresh
    if not candidates:
        return None
    return min(candidates, key=lambda q: _hash(seed, q.id)), False


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()
