"""Due work: what the clock makes happen (posts, reveals, closes, digests); `owed.py` sends again what was not confirmed."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.bank import AnyQuestion, Bank
from bot.store import Answer, Digest, Group, Member, Round
from bot.store.db import insert_ignore

from .chart import render_off_loop
from .digest import (
    WeekData,
    build_digest,
    pending_week,
    scheduled_digest_at,
    week_of,
)
from .group_settings import UTC, Calendar
from .core import outbound
from .lessons import LessonWork
from .progress import track_round
from .replies import Outbound, Reply, Response
from .rounds import RoundVerbs, in_channel
from .scoring import REVIEW_WINDOW
from .standings import streak_days
from .streaks import compute_streak
from .views import post_buttons, reveal_buttons, reveal_post

FREEZE_LOOKBACK = dt.timedelta(days=30)  # a member with no answer this long has no streak to keep
FREEZE_WEEKS = dt.timedelta(weeks=9)  # the history a spent freeze is judged on


class DueWork(RoundVerbs, LessonWork):
    async def run_due(self, now: dt.datetime | None = None) -> list[Outbound]:
        """Open every round, do every reveal and close, and send every digest due at `now`.

        The scheduler's one call (and the console clock's): it reads the database, so
        calling it twice, late, or from two processes does each thing once.
        """
        return [post async for batch in self.due_batches(now) for post in batch]

    async def due_batches(self, now: dt.datetime | None = None, size: int = 100) -> AsyncIterator[list[Outbound]]:
        """`run_due` in committed batches, so the first posts can go out while later ones
        are still being made (10,000 groups due at 09:00): every due reveal first, in
        batches of `size` (when yesterday's reveal and today's post fall due together,
        in that order), then the rounds whose review window closed (before the digests
        that wait for it), then the groups' posts and digests, `size` groups at a time."""
        now = (now or self.now()).astimezone(UTC)
        bank = await self.bank()
        while True:
            reveals, claimed = await self.db.run(lambda session: self._due_reveals(session, bank, now, size))
            if reveals:
                yield reveals
            if lessons := await self.known_mistakes([p.round_id for p in reveals if p.kind == "reveal"], bank):
                yield lessons  # after the reveals they explain
            if claimed < size:
                break
        while True:
            edits, claimed = await self.db.run(lambda session: self._due_closes(session, now, size))
            if edits:
                yield edits
            if claimed < size:
                break
        after: int | None = 0
        opened = False
        while after is not None:
            charts: dict[int, WeekData] = {}
            posts, after = await self.db.run(lambda session: self._due_groups(session, bank, now, charts, after, size))
            posts = await with_charts(posts, charts)
            opened = opened or any(p.kind == "question" for p in posts)
            if posts:
                yield posts
        async for posts in self.personal_due(now, bank, size):  # members' reminders, mocks whose time is up
            yield posts
        if opened:
            self._changed(Response(Reply()))  # new rounds: their reveals need alarms

    def _due_reveals(self, session: Session, bank: Bank, now: dt.datetime, size: int) -> tuple[list[Outbound], int]:
        """Claim up to `size` due reveals; their posts (and freeze notices), and how many were claimed."""
        due = self.served(select(Round).join(Group).where(Round.revealed_at.is_(None), Round.reveal_at <= now))
        rounds, groups = _claim(session, due.order_by(Round.reveal_at, Round.id).limit(size), Round.revealed_at, now)
        out: list[Outbound] = []
        for round_ in rounds:
            track_round(session, round_)  # its answers are final: misses join the repetition schedule
            question = bank.get(round_.question_id)
            group = groups[round_.group_id]
            if question is not None and group.lost_at is None:  # a lost channel gets no posts
                if round_.delivered_at is not None:  # else it follows its question (undelivered)
                    out.append(self._reveal_outbound(session, group, round_, question))
                if round_.message_ref is not None:  # the post's Answer now means late practice (else it goes out so)
                    out.append(post_edit(group, round_, question))
                out += freeze_notices(session, group, round_, question)
        return out, len(rounds)

    def _due_closes(self, session: Session, now: dt.datetime, size: int) -> tuple[list[Outbound], int]:
        """Claim up to `size` rounds whose review window has ended: their reveals' Review
        buttons are edited to disabled ones, once (the claim is the record)."""
        due = self.served(select(Round).join(Group).where(
            Round.revealed_at.is_not(None), Round.closed_at.is_(None), Round.revealed_at <= now - REVIEW_WINDOW))
        rounds, groups = _claim(session, due.order_by(Round.revealed_at, Round.id).limit(size), Round.closed_at, now)
        out: list[Outbound] = []
        for round_ in rounds:
            group = groups[round_.group_id]
            if round_.reveal_ref is not None and group.lost_at is None:  # a reveal not yet sent goes out closed
                out.append(close_edit(group, round_))
        return out, len(rounds)

    def _due_groups(self, session: Session, bank: Bank, now: dt.datetime, charts: dict, after: int, size: int):
        """Posts and digests due for the next `size` groups after id `after`; returns them and
        the next `after` (None after the last group)."""
        out: list[Outbound] = []
        groups = session.scalars(
            self.served(select(Group).where(Group.active.is_(True), Group.id > after)).order_by(Group.id).limit(size)
        ).all()
        out += self._due_posts(session, groups, bank, now)
        out += self._due_digests(session, groups, bank, now, charts)
        return out, (groups[-1].id if len(groups) == size else None)

    def _due_posts(self, session: Session, groups: list[Group], bank: Bank, now: dt.datetime) -> list[Outbound]:
        """Today's posts of these groups that are due and not yet made: two reads for
        the batch, then one insert a post."""
        due = {}  # group id: (group, today, post time)
        for group in groups:
            calendar = Calendar.of(group)
            due_at = calendar.late_post(now)  # due, and not so late that the reveal has passed
            if due_at is not None:
                due[group.id] = (group, calendar.today(now), due_at)
        if not due:
            return []
        made = set(session.execute(select(Round.group_id, Round.study_date).where(
            Round.group_id.in_(list(due)), Round.study_date.in_(sorted({today for _, today, _ in due.values()})))).all())
        owed = {g: v for g, v in due.items() if (g, v[1]) not in made}
        histories = self._histories(session, list(owed))
        out = []
        for group_id, (group, today, due_at) in owed.items():
            post = self._open_round(session, group, bank, today, due_at, now, history=histories[group_id])
            if post:
                out.append(post)
        return out

    @staticmethod
    def _reveal_outbound(session: Session, group: Group, round_: Round, question: AnyQuestion) -> Outbound:
        answered = session.scalar(
            select(func.count(func.distinct(Answer.member_id))).where(
                Answer.round_id == round_.id, Answer.question_id == round_.question_id, Answer.late.is_(False)
            )
        )
        reply = reveal_post(question, round_.id, answered, closed=round_.closed_at is not None)
        return outbound(group, "reveal", reply, round_id=round_.id, in_thread=True)

    def _due_digests(self, session: Session, groups: list[Group], bank: Bank, now: dt.datetime, charts: dict) -> list[Outbound]:
        """Digests of these groups' weeks whose scores are complete, each claimed once.

        Three queries for the whole batch: the calendar says which week each group may
        owe, then the digests already made and the weeks' rounds decide."""
        weeks = {g.id: pending_week(Calendar.of(g), now) for g in groups if g.lost_at is None}
        if not weeks:
            return []
        made = set(session.execute(select(Digest.group_id, Digest.week_start).where(
            Digest.group_id.in_(weeks), Digest.week_start >= min(weeks.values()))).all())
        owed = {g: w for g, w in weeks.items() if (g, w) not in made}
        if not owed:
            return []
        last_reveal: dict[int, dt.datetime] = {}
        for group_id, study_date, reveal_at, revealed_at in session.execute(
            select(Round.group_id, Round.study_date, Round.reveal_at, Round.revealed_at)
            .where(Round.group_id.in_(owed), Round.study_date >= min(owed.values()))
        ):
            if week_of(study_date)[0] == owed[group_id]:
                moment = max(reveal_at, revealed_at or reveal_at)
                last_reveal[group_id] = max(moment, last_reveal.get(group_id, moment))
        out = []
        for group in groups:
            week = owed.get(group.id)
            if week is None or group.id not in last_reveal:
                continue  # made already, or a week without rounds: nothing to tell
            if now < max(scheduled_digest_at(Calendar.of(group), week), last_reveal[group.id] + REVIEW_WINDOW):
                continue
            if insert_ignore(session, Digest, dict(group_id=group.id, week_start=week, created_at=now)):
                out.append(self._digest_outbound(session, group, bank, week, charts))
        return out

    def _digest_outbound(self, session: Session, group: Group, bank: Bank, week: dt.date, charts: dict) -> Outbound:
        digest_id = session.scalar(select(Digest.id).where(Digest.group_id == group.id, Digest.week_start == week))
        reply, charts[group.id] = build_digest(session, group, bank, week)
        return outbound(group, "digest", reply, digest_id=digest_id, winner_id=charts[group.id].winner)

    async def next_due(
        self, platform: str, channel_id: str, after: dt.datetime, until: dt.datetime, workspace_id: str = "",
    ) -> dt.datetime | None:
        """The first moment in (after, until] when a channel's group has something due
        (a post, a reveal, a digest): where a simulated clock must stop on its way."""
        def work(session: Session) -> dt.datetime | None:
            group = session.scalar(select(Group).where(in_channel(platform, workspace_id, channel_id)))
            if group is None:
                return None
            calendar = Calendar.of(group)
            moments = [calendar.next_post(after)]
            reveal = session.scalar(select(func.min(Round.reveal_at)).where(Round.group_id == group.id, Round.revealed_at.is_(None)))
            if reveal is not None:
                moments.append(max(reveal, after + dt.timedelta(seconds=1)))
            revealed = session.scalar(select(func.min(Round.revealed_at)).where(Round.group_id == group.id, Round.revealed_at.is_not(None), Round.closed_at.is_(None)))
            if revealed is not None:  # a review window closing
                moments.append(max(revealed + REVIEW_WINDOW, after + dt.timedelta(seconds=1)))
            week = pending_week(calendar, until)
            moments += [scheduled_digest_at(calendar, w) for w in (week, week - dt.timedelta(days=7))]
            moments += [max(m, after + dt.timedelta(seconds=1)) for m in self.personal_moments(session, group.id)]
            due = [m for m in moments if m is not None and after < m <= until]
            return min(due, default=None)

        return await self.db.run(work)


def post_edit(group: Group, round_: Round, question: AnyQuestion) -> Outbound:
    """The question post's buttons once its round is revealed: Answer is late practice."""
    return outbound(group, "edit", Reply(buttons=post_buttons(question, round_.id, revealed=True)),
                    round_id=round_.id, edit_ref=round_.message_ref)


def close_edit(group: Group, round_: Round) -> Outbound:
    """The reveal's buttons once its review window has ended (the reveal is in the thread)."""
    return outbound(group, "edit", Reply(buttons=reveal_buttons(round_.id, closed=True)),
                    round_id=round_.id, edit_ref=round_.reveal_ref, in_thread=True)


def _claim(session: Session, due, stamp, now: dt.datetime) -> tuple[list[Round], dict[int, Group]]:
    """The rounds of `due` this process claims by setting `stamp` (a Round column still
    NULL) to `now`, and their groups: three statements a batch, not two a round. A round
    another process claimed meanwhile is not returned by the UPDATE, so it is left out."""
    rounds = session.scalars(due).all()
    if not rounds:
        return [], {}
    claimed = set(session.scalars(
        update(Round).where(Round.id.in_([r.id for r in rounds]), stamp.is_(None)).values({stamp: now}).returning(Round.id)))
    rounds = [r for r in rounds if r.id in claimed]
    groups = {g.id: g for g in session.scalars(select(Group).where(Group.id.in_({r.group_id for r in rounds})))} if rounds else {}
    return rounds, groups


async def with_charts(posts: list[Outbound], charts: dict[int, WeekData]) -> list[Outbound]:
    """Digests with their chart attached (rendered off the event loop, side by side)."""

    async def attach(post: Outbound) -> Outbound:
        if post.kind != "digest" or post.group_id not in charts:
            return post
        data = charts[post.group_id]
        png = await render_off_loop(data)
        return dataclasses.replace(post, attachments=((f"digest-{data.week_start.isoformat()}.png", png),))

    return list(await asyncio.gather(*map(attach, posts)))


def freeze_notices(session: Session, group: Group, round_: Round, question: AnyQuestion) -> list[Outbound]:
    """At a reveal: tell each member who missed the round that a streak freeze kept their streak."""
    if round_.bonus:
        return []
    answered = select(Answer.member_id).where(Answer.round_id == round_.id, Answer.late.is_(False))
    recent = (
        select(Answer.member_id).join(Round, Round.id == Answer.round_id)
        .where(Round.group_id == group.id, Round.study_date >= round_.study_date - FREEZE_LOOKBACK, Answer.member_id.not_in(answered))
        .distinct()
    )
    candidates = list(session.scalars(recent))
    out = []
    # A freeze is spent from what the last weeks banked (at most FREEZES_MAX): their
    # rounds decide it, and the work at a reveal stays flat however long the history.
    for member_id, days in streak_days(session, group, candidates, since=round_.study_date - FREEZE_WEEKS).items():
        before = compute_streak([dataclasses.replace(d, open=True) if d.study_date == round_.study_date else d for d in days])
        after = compute_streak(days)
        if after.freezes_spent > before.freezes_spent:
            after = compute_streak(streak_days(session, group, [member_id])[member_id])  # the whole streak, for the message
            member = session.get(Member, member_id)
            left = f"{after.freezes} freeze{'s' if after.freezes != 1 else ''} left"
            text = f"You missed “{question.title}”, so a streak freeze was spent: your streak of {after.current} stays ({left}). Answer the next question to keep it going."
            out.append(outbound(group, "dm", Reply(text=text), round_id=round_.id, user_id=member.user_id))
    return out
