"""Streaks, counted over a group's rounds (so days off and pauses never break them).

A bonus round (posted on a day that was not a study day) counts when answered and is
ignored when missed: whatever is posted on a day off, it never breaks a streak, and a
full week is the week's regular rounds, all answered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from .scoring import FREEZES_MAX, FULL_WEEK_MIN_ROUNDS


@dataclass(frozen=True)
class Streak:
    current: int
    best: int
    freezes: int  # banked, ready to spend
    freezes_spent: int


@dataclass(frozen=True)
class RoundDay:
    study_date: dt.date
    answered: bool  # answered before the reveal
    open: bool  # not revealed yet: missing it does not count (yet)
    bonus: bool = False  # posted on a day off


def compute_streak(days: list[RoundDay]) -> Streak:
    """Walk the rounds in date order, spending freezes on misses and earning them by full weeks."""
    current = best = freezes = spent = 0
    days = sorted(days, key=lambda d: d.study_date)
    for _, week in groupby(days, key=lambda d: d.study_date.isocalendar()[:2]):
        week = list(week)
        for day in week:
            if day.answered:
                current += 1
                best = max(best, current)
            elif day.open or day.bonus:
                continue
            elif freezes:
                freezes -= 1
                spent += 1
            else:
                current = 0
        regular = [d for d in week if not d.bonus]
        if len(regular) >= FULL_WEEK_MIN_ROUNDS and all(d.answered and not d.open for d in regular):
            freezes = min(FREEZES_MAX, freezes + 1)
    return Streak(current, best, freezes, spent)
