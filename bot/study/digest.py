"""The weekly digest: the week's leaderboard, streaks, the hardest question (its chart: chart.py).

It goes out when the week's scores are complete: after the review window of the
week's last round has closed (written answers are scored by their reviews), so a
Monday-to-Friday group with a 09:00 post and a 9-hour reveal gets it on Sunday at 18:00.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.bank import Bank
from bot.store import Answer, Group, Member, Round, ScoreEntry

from .group_settings import Calendar
from .replies import Reply, TableBlock
from .scoring import REVIEW_WINDOW
from .standings import leaderboard_rows, member_days
from .streaks import compute_streak
from .views import standings_table


@dataclass(frozen=True)
class WeekData:
    week_start: dt.date
    days: tuple[dt.date, ...]
    points: dict[str, dict[dt.date, int]]  # member -> day -> points
    winner: str | None = None  # the first place's platform user id (the table's first row)


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day - dt.timedelta(days=day.weekday())
    return start, start + dt.timedelta(days=6)


def scheduled_digest_at(calendar: Calendar, week_start: dt.date) -> dt.datetime:
    """When the digest of a week is due by the calendar alone: the review window of its
    last study day (or, with none, of its Sunday) closed. Rounds posted late move it on."""
    days = [week_start + dt.timedelta(days=i) for i in range(7)]
    last = next((d for d in reversed(days) if calendar.is_study_day(d)), days[-1])
    return calendar.reveal_at(calendar.post_at(last)) + REVIEW_WINDOW


def pending_week(calendar: Calendar, now: dt.datetime) -> dt.date:
    """The latest week whose digest the calendar says is due at `now` (or is about to be)."""
    this_week = week_of(calendar.today(now))[0]
    return this_week if now >= scheduled_digest_at(calendar, this_week) else this_week - dt.timedelta(days=7)


def build_digest(session: Session, group: Group, bank: Bank, day: dt.date) -> tuple[Reply, WeekData]:
    """The digest of the week (Monday to Sunday) holding `day`."""
    start, end = week_of(day)
    rows, _ = leaderboard_rows(session, group, "week", end)
    sections: list = []
    sections.append(standings_table(rows) if rows else "Nobody scored this week.")

    streaks = []
    for member in session.scalars(select(Member).where(Member.group_id == group.id)):
        streak = compute_streak(member_days(session, group, member))
        if streak.current:
            streaks.append((member.display_name, streak.current, streak.best))
    if streaks:
        streaks.sort(key=lambda s: (-s[1], s[0].lower()))
        sections.append(TableBlock(("member", "streak", "best"), tuple(streaks[:10]), caption="Streaks"))

    hardest = _hardest(session, group, bank, start, end)
    if hardest:
        sections.append(hardest)

    points: dict[str, dict[dt.date, int]] = defaultdict(dict)
    for name, study_date, total in session.execute(
        select(Member.display_name, ScoreEntry.study_date, func.sum(ScoreEntry.points))
        .join(Member, Member.id == ScoreEntry.member_id)
        .where(ScoreEntry.group_id == group.id, ScoreEntry.study_date >= start, ScoreEntry.study_date <= end)
        .group_by(Member.display_name, ScoreEntry.study_date)
    ):
        points[name][study_date] = int(total)
    data = WeekData(start, tuple(start + dt.timedelta(days=i) for i in range(7)), dict(points), _winner(session, group, start, end))
    title = f"Week of {start:%d %b %Y}: the digest"
    return Reply(title=title, text="The week in one post.", sections=tuple(sections), private=False), data


def _winner(session, group, start, end) -> str | None:
    """The week's first place as the standings table ranks it (points, then name), or None."""
    total = func.sum(ScoreEntry.points)
    ranked = session.execute(
        select(Member.user_id, Member.display_name, total).join(Member, Member.id == ScoreEntry.member_id)
        .where(ScoreEntry.group_id == group.id, ScoreEntry.study_date >= start, ScoreEntry.study_date <= end)
        .group_by(Member.user_id, Member.display_name).having(total > 0)
    ).all()
    return min(ranked, key=lambda r: (-r[2], r[1].lower()), default=(None,))[0]


def _hardest(session, group, bank, start, end) -> str | None:
    """The SQL question of the week with the lowest share of members who got it right."""
    worst = None
    for round_ in session.scalars(
        select(Round).where(Round.group_id == group.id, Round.study_date >= start, Round.study_date <= end)
    ):
        verdicts = session.execute(
            select(Answer.member_id, Answer.verdict).where(Answer.round_id == round_.id, Answer.question_id == round_.question_id, Answer.verdict.is_not(None))
        ).all()
        members = {m for m, _ in verdicts}
        if not members:
            continue
        right = {m for m, v in verdicts if v == "correct"}
        rate = len(right) / len(members)
        if worst is None or rate < worst[0]:
            worst = (rate, round_.question_id, len(right), len(members))
    if worst is None:
        return None
    question = bank.get(worst[1])
    title = question.title if question else worst[1]
    return f"Hardest question: “{title}”, solved by {worst[2]} of {worst[3]} ({worst[0]:.0%})."
