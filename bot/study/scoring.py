"""The scoring rules, all of them, and the text `/study help scoring` shows.

Points are a pure function of facts (answers, hints, reviews); the store keeps the
result per round and member so leaderboards are one indexed SUM.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

SQL_CORRECT = 10  # a correct SQL answer before the reveal...
SQL_WRONG_TRY = 2  # ...minus this for each wrong try before it...
SQL_HINT = 1  # ...and this for each hint taken before it...
SQL_FLOOR = 4  # ...but never below this.
SQL_LATE_CORRECT = 3  # correct only after the reveal (practice)
SQL_TRIED = 1  # answered before the reveal but never correct

WRITTEN_ON_TIME = 3  # a written answer before the reveal...
WRITTEN_REVIEW_MAX = 7  # ...plus up to this, by the share of rubric points reviewers found met
WRITTEN_HINT = 1  # minus this per hint taken before answering (never below WRITTEN_ON_TIME)
WRITTEN_LATE = 1  # a written answer after the reveal

REVIEW = 2  # each review of someone else's answer...
REVIEWS_PAYING = 3  # ...for at most this many reviews per round
REVIEW_WINDOW = dt.timedelta(hours=48)  # peer review of a round stays open this long after its reveal

FREEZE_AFTER_FULL_WEEK = 1  # freezes earned by answering every round of a week (at least 3 rounds)
FULL_WEEK_MIN_ROUNDS = 3
FREEZES_MAX = 2


@dataclass(frozen=True)
class Attempt:
    correct: bool | None  # None for written answers
    late: bool
    hints_before: int  # hints taken before this attempt


def sql_points(attempts: list[Attempt]) -> int:
    """Points for a member's SQL attempts in one round, in the order made."""
    wrong = 0
    for attempt in attempts:
        if attempt.correct:
            if attempt.late:
                return SQL_LATE_CORRECT
            return max(SQL_FLOOR, SQL_CORRECT - SQL_WRONG_TRY * wrong - SQL_HINT * attempt.hints_before)
        wrong += 1
    return SQL_TRIED if any(not a.late for a in attempts) else 0


def written_points(attempts: list[Attempt], review_shares: list[float]) -> int:
    """Points for a written answer: being on time, then the reviewers' rubric scores."""
    if not attempts:
        return 0
    first_on_time = next((a for a in attempts if not a.late), None)
    if first_on_time is None:
        return WRITTEN_LATE
    from_reviews = round(WRITTEN_REVIEW_MAX * sum(review_shares) / len(review_shares)) if review_shares else 0
    hints = WRITTEN_HINT * first_on_time.hints_before
    return max(WRITTEN_ON_TIME, WRITTEN_ON_TIME + from_reviews - hints)


def review_points(reviews_given: int) -> int:
    return REVIEW * min(reviews_given, REVIEWS_PAYING)


HELP = f"""**How points work**
- SQL, before the reveal: {SQL_CORRECT} points for a correct answer, minus {SQL_WRONG_TRY} for each wrong try before it and {SQL_HINT} for each hint taken before it, never below {SQL_FLOOR}. A try that is never correct: {SQL_TRIED} point.
- SQL, after the reveal: {SQL_LATE_CORRECT} points for a correct answer (late practice).
- Written answers, before the reveal: {WRITTEN_ON_TIME} points, plus up to {WRITTEN_REVIEW_MAX} by the share of rubric points your reviewers found met (averaged over reviews), minus {WRITTEN_HINT} per hint taken before answering. After the reveal: {WRITTEN_LATE} point.
- Reviewing someone else's answer: {REVIEW} points each, for up to {REVIEWS_PAYING} reviews a round. Review opens at the reveal and closes {REVIEW_WINDOW // dt.timedelta(hours=1)} hours later; you see whose answer it was once your review is in. You can't review your own answer or one answer twice.
- SQL: a query that does not run (a syntax error, a refused statement, a timeout) is not a wrong try; only one that runs and returns the wrong rows is.
- Your last revision before the reveal is your answer; points follow it.

**Streaks**
- A streak counts the group's rounds you answered before the reveal, in a row. Days without a round (days off, pauses) never break it.
- Answer every round of a week (at least {FULL_WEEK_MIN_ROUNDS} rounds) to earn a streak freeze (you can hold {FREEZES_MAX}). A missed round spends a freeze instead of breaking your streak."""
