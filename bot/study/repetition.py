"""The repetition schedule, all of it, and the text `/study help practice` shows.

A question a member missed comes back after growing intervals until it sticks. The
schedule is a pure function of the member's outcomes on the question, so it can
always be recomputed from the stored facts (bot.study.progress does, and keeps the
result):

- An outcome is a miss when a SQL answer was not correct, or a written answer met
  fewer than half its rubric points (by peer review in a round, or by self-review in
  practice); a mock question left unanswered is a miss too.
- A miss puts the question on the ladder at its first step, or back there: due again
  `INTERVALS[0]` days later.
- A success when the question is due climbs one step: due again after the next
  interval. A success on the last step graduates it: mastered, off the schedule.
- A success before the question is due changes nothing (no credit for cramming).
- A question answered right the first time it was ever seen is mastered at once.

Days are the member's local days: a question due "in 3 days" is due from midnight,
their time, three days after the outcome.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

INTERVALS = (1, 3, 7, 21, 60)  # days until a missed question is due again, step by step
MISS_BELOW = 0.5  # a written answer meeting a smaller share of its rubric is a miss

UTC = dt.timezone.utc


@dataclass(frozen=True)
class Outcome:
    at: dt.datetime
    credit: float  # 1.0 or 0.0 for SQL, the rubric share met for a written answer


@dataclass(frozen=True)
class Standing:
    """Where a question stands for a member after all their outcomes."""

    step: int | None  # None: not on the ladder (never missed, or graduated)
    due_at: dt.datetime | None
    mastered: bool


def miss(credit: float) -> bool:
    return credit < MISS_BELOW


def day_start(moment: dt.datetime, days: int, zone: str) -> dt.datetime:
    """Local midnight `days` days after `moment`'s local date, in UTC (DST is zoneinfo's)."""
    local_day = moment.astimezone(ZoneInfo(zone)).date() + dt.timedelta(days=days)
    return dt.datetime.combine(local_day, dt.time(0, 0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def standing(outcomes: Iterable[Outcome], zone: str = "UTC") -> Standing:
    """Walk the outcomes in time order through the ladder."""
    step: int | None = None
    due: dt.datetime | None = None
    mastered = False
    for outcome in sorted(outcomes, key=lambda o: o.at):
        if miss(outcome.credit):
            step, due, mastered = 0, day_start(outcome.at, INTERVALS[0], zone), False
        elif step is None:
            mastered = True  # right the first time it was seen (or again after graduating)
        elif outcome.at >= due:
            if step + 1 < len(INTERVALS):
                step, due = step + 1, day_start(outcome.at, INTERVALS[step + 1], zone)
            else:
                step, due, mastered = None, None, True
    return Standing(step, due, mastered)


def intervals_text() -> str:
    return ", ".join(str(d) for d in INTERVALS)


HELP = f"""**Practice and the repetition schedule**
- `/study practice [topic]` gives you a question for you alone: a category, tag, track or difficulty (several words narrow it), `weak` for your weakest topic, `due` for questions due again. Never the group's current or next daily, never one you have mastered; questions due again come first.
- While it is open, `/study answer`, `/study hint` and `/study run` act on it (answers in the daily's thread, and the daily's buttons, always belong to the daily). SQL is checked as usual; try again until it is right, or `/study practice next` for another. A written answer shows the model answer and rubric: tick the points you met with `/study practice mark 1,3` (or `none`).
- A question you missed (SQL not correct, or under {MISS_BELOW:.0%} of the rubric met, in a round, practice or a mock) comes back after {intervals_text()} days: each success when it is due moves it one step on, a miss starts it again at {INTERVALS[0]} day, and a success on the last step masters it. A success before it is due changes nothing.
- `/study due` lists what is due. Practice never changes the group's leaderboards or streaks; `/study stats` shows its counts and your strongest and weakest topics.
- `/study mock [track] [minutes]`: a timed set shaped like the track's interview loop, one question at a time; `/study mock next` skips one, `/study mock stop` ends it. The report has your SQL verdicts, written answers beside their rubrics, time per question and what to practise next; questions missed or left unanswered join your schedule.
- `/study remind on [HH:MM]` (your time; `/study remind tz ZONE` sets your timezone): a reminder when you have not answered the day's question and its reveal is still to come, and one when questions are due again; at most one of each a day. `/study remind off` stops them."""
