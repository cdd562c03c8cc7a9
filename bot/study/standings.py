"""Standings: leaderboards by window, a member's stats and the group's history, read from the score ledger."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.bank import Bank
from bot.store import Answer, Group, Member, Round, ScoreEntry

from .core import Actor, Refused, StudyCore
from .group_settings import Calendar
from .inputs import InputError, read_window
from .progress import practice_sections
from .replies import Reply, Response, TableBlock, ThreadLink, refuse
from .streaks import RoundDay, compute_streak
from .views import standings_table


def window_start(window: str, today: dt.date) -> dt.date | None:
    if window == "week":
        return today - dt.timedelta(days=today.weekday())
    if window == "month":
        return today.replace(day=1)
    return None


def leaderboard_rows(session: Session, group: Group, window: str, today: dt.date) -> tuple[list[tuple[str, int]], str]:
    start = window_start(window, today)
    total = func.sum(ScoreEntry.points).label("points")
    query = select(ScoreEntry.member_id, total).where(ScoreEntry.group_id == group.id)
    if start is not None:
        query = query.where(ScoreEntry.study_date >= start, ScoreEntry.study_date <= today)
    query = query.group_by(ScoreEntry.member_id).having(total > 0).order_by(total.desc()).limit(25)
    ranked = session.execute(query).all()
    names = dict(session.execute(select(Member.id, Member.display_name).where(Member.id.in_([m for m, _ in ranked]))).all())
    rows = sorted(((names.get(m, "?"), int(p)) for m, p in ranked), key=lambda r: (-r[1], r[0].lower()))
    caption = {"week": f"this week (from {start})", "month": f"this month ({today:%B %Y})", "all": "all time"}[window]
    return rows, caption


def _members_rounds(session: Session, group: Group, member_ids: list[int], since: dt.date | None = None) -> dict[int, list]:
    """For each member, the group's rounds in date order, each with the member's answers
    in it (to any of its questions: an answer given before an admin's skip still counts
    as having studied that day). Two queries, however many members."""
    query = select(Round.id, Round.study_date, Round.question_id, Round.revealed_at, Round.bonus).where(Round.group_id == group.id)
    if since is not None:
        query = query.where(Round.study_date >= since)
    rounds = session.execute(query.order_by(Round.study_date)).all()
    by_member: dict[int, dict[int, list]] = {m: {} for m in member_ids}
    for a in session.execute(
        select(Answer.member_id, Answer.round_id, Answer.question_id, Answer.late, Answer.verdict)
        .join(Round, Round.id == Answer.round_id)
        .where(Answer.member_id.in_(member_ids), Round.group_id == group.id, Round.study_date >= (since or dt.date.min))
        .order_by(Answer.round_id, Answer.revision)
    ):
        by_member[a.member_id].setdefault(a.round_id, []).append(a)
    return {m: [(r, answers.get(r.id, [])) for r in rounds] for m, answers in by_member.items()}


def _member_rounds(session: Session, group: Group, member: Member):
    return _members_rounds(session, group, [member.id])[member.id]


def _round_day(round_, mine) -> RoundDay:
    return RoundDay(round_.study_date, any(not a.late for a in mine), round_.revealed_at is None, round_.bonus)


def streak_days(session: Session, group: Group, member_ids: list[int], since: dt.date | None = None) -> dict[int, list[RoundDay]]:
    """What streaks are counted on, for each member: each round (from `since`), answered on time or not."""
    return {m: [_round_day(r, mine) for r, mine in rounds] for m, rounds in _members_rounds(session, group, member_ids, since).items()}


def member_days(session: Session, group: Group, member: Member) -> list[RoundDay]:
    return streak_days(session, group, [member.id])[member.id]


def member_stats(session: Session, group: Group, member: Member, bank: Bank) -> Reply:
    history = _member_rounds(session, group, member)
    days = [_round_day(r, mine) for r, mine in history]
    # Accuracy is about the questions that stood: answers to a skipped one do not count.
    history = [(r, [a for a in mine if a.question_id == r.question_id]) for r, mine in history]
    per_category: dict[str, list[int]] = {}
    for r, mine in history:
        q = bank.get(r.question_id)
        if q and mine:
            stat = per_category.setdefault(q.category, [0, 0, 0])  # answered, correct, first try
            stat[0] += 1
            if q.category == "sql":
                stat[1] += any(a.verdict == "correct" for a in mine)
                stat[2] += mine[0].verdict == "correct"
    streak = compute_streak(days)
    points = session.scalar(select(func.coalesce(func.sum(ScoreEntry.points), 0)).where(ScoreEntry.member_id == member.id)) or 0
    rows = []
    for category, (n, correct, first) in sorted(per_category.items()):
        accuracy = f"{correct}/{n} correct ({100 * correct // n}%), {first} first try" if category == "sql" else "-"
        rows.append((category, n, accuracy))
    text = (
        f"Streak: **{streak.current}** (best {streak.best}); freezes banked: {streak.freezes}"
        f"{f', spent: {streak.freezes_spent}' if streak.freezes_spent else ''}.\n"
        f"Rounds answered: {sum(1 for d in days if d.answered)} of {len(days)}; points all time: {points}."
    )
    return Reply(title=f"Stats for {member.display_name}", text=text, sections=(TableBlock(("category", "answered", "SQL accuracy"), tuple(rows)),) if rows else ())


class StandingVerbs(StudyCore):
    async def leaderboard(self, actor: Actor, window: str = "week") -> Response:
        try:
            window = read_window(window)
        except InputError as error:
            return Response(refuse(f"{error}."))
        now = self.now()

        def work(session: Session) -> Reply:
            group = self.group_of(session, actor)
            rows, caption = leaderboard_rows(session, group, window, Calendar.of(group).today(now))
            if not rows:
                return Reply(text=f"No points yet {caption}.", private=False)
            return Reply(title=f"Leaderboard {caption}", sections=(standings_table(rows),), private=False)

        return await self.transact(work)

    async def stats(self, actor: Actor, name: str | None = None) -> Response:
        bank = await self.bank()
        now = self.now()

        def work(session: Session) -> Reply:
            group = self.group_of(session, actor)
            if name:
                member = session.scalar(select(Member).where(Member.group_id == group.id, func.lower(Member.display_name) == name.lstrip("@").lower()))
                if member is None:
                    raise Refused(f"No member called {name!r} has answered in this group.")
            else:
                member = session.scalar(select(Member).where(Member.group_id == group.id, Member.user_id == actor.user_id))
                if member is None:
                    raise Refused("You have not answered in this group yet, so there are no stats. Today's question: `/study today`.")
            reply = member_stats(session, group, member, bank)
            if member.user_id != actor.user_id:
                return reply  # practice is private: only its member sees it
            return dataclasses.replace(reply, sections=reply.sections + practice_sections(session, bank, member.id, now))

        return await self.transact(work)

    async def history(self, actor: Actor, limit: int = 10) -> Response:
        bank = await self.bank()

        def work(session: Session) -> Reply:
            group = self.group_of(session, actor)
            rounds = session.scalars(select(Round).where(Round.group_id == group.id).order_by(Round.study_date.desc()).limit(limit)).all()
            if not rounds:
                self.round_of(session, group)  # refuses: no round yet
            counts = dict(session.execute(  # answers to the question that stood, not to a skipped one
                select(Answer.round_id, func.count(func.distinct(Answer.member_id))).join(Round, Round.id == Answer.round_id)
                .where(Answer.round_id.in_([r.id for r in rounds]), Answer.question_id == Round.question_id).group_by(Answer.round_id)
            ).all())
            rows = []
            for r in rounds:
                q = bank.get(r.question_id)
                rows.append((r.study_date.isoformat(), q.title if q else r.question_id, q.category if q else "?", counts.get(r.id, 0), ThreadLink(r.thread_ref) if r.thread_ref else "-"))
            return Reply(title="Past rounds", sections=(TableBlock(("date", "question", "category", "answers", "thread"), tuple(rows)),))

        return await self.transact(work)
