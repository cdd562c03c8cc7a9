"""Due work: what the clock makes happen (posts, reveals, digests) and what delivery reports."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.bank import AnyQuestion, Bank
from bot.store import Answer, Digest, Group, Round

from .digest import WeekData, build_digest, render_chart, week_of
from .group_settings import OPEN_ENDED, UTC, Calendar
from .replies import Outbound, Reply, Response
from .rounds import RoundVerbs
from .views import reveal_post


class DueWork(RoundVerbs):
    async def run_due(self, now: dt.datetime | None = None) -> list[Outbound]:
        """Open every round, do every reveal and send every digest due at `now`.

        The scheduler's one call (and the console clock's): it reads the database, so
        calling it twice, late, or from two processes does each thing once.
        """
        return [post async for batch in self.due_batches(now) for post in batch]

    async def due_batches(self, now: dt.datetime | None = None, size: int = 100) -> AsyncIterator[list[Outbound]]:
        """`run_due` in committed batches of about `size` groups, so the first posts can
        go out while later groups are still being opened (10,000 groups due at 09:00)."""
        now = (now or self.now()).astimezone(UTC)
        bank = await self.bank()
        after: int | None = 0
        opened = False
        while True:
            charts: dict[int, WeekData] = {}
            posts, after, revealed = await self.db.run(lambda session: self._due_batch(session, bank, now, charts, after, size))
            for i, post in enumerate(posts):
                if post.kind == "digest" and post.group_id in charts:
                    png = await asyncio.to_thread(render_chart, charts[post.group_id])
                    name = f"digest-{charts[post.group_id].week_start.isoformat()}.png"
                    posts[i] = dataclasses.replace(post, attachments=((name, png),))
            opened = opened or any(p.kind == "question" for p in posts)
            if posts:
                yield posts
            if after is None and revealed < size:
                break
        if opened:
            self._changed(Response(Reply()))  # new rounds: their reveals need alarms

    def _due_batch(self, session: Session, bank: Bank, now: dt.datetime, charts: dict, after: int | None, size: int):
        """Posts and digests due for the next `size` groups after id `after`, and up to
        `size` due reveals; returns (outbound, the next `after` or None, reveals claimed)."""
        out: list[Outbound] = []
        # Reveals first: when yesterday's reveal and today's post fall due together, in that order.
        revealed = 0
        due_reveals = self.served(select(Round).join(Group).where(Round.revealed_at.is_(None), Round.reveal_at <= now))
        for round_ in session.scalars(due_reveals.order_by(Round.reveal_at, Round.id).limit(size)):
            claimed = session.execute(
                update(Round).where(Round.id == round_.id, Round.revealed_at.is_(None)).values(revealed_at=now)
            ).rowcount
            if not claimed:
                continue
            revealed += 1
            question = bank.get(round_.question_id)
            group = session.get(Group, round_.group_id)
            if question is not None and group.lost_at is None:  # a lost channel gets no posts
                out.append(self._reveal_outbound(session, group, round_, question))
        next_after = None
        if after is not None:
            groups = session.scalars(
                self.served(select(Group).where(Group.active.is_(True), Group.id > after)).order_by(Group.id).limit(size)
            ).all()
            for group in groups:
                post = self._due_post(session, group, bank, now)
                if post:
                    out.append(post)
                digest = self._due_digest(session, group, bank, now, charts)
                if digest:
                    out.append(digest)
            next_after = groups[-1].id if len(groups) == size else None
        return out, next_after, revealed

    def _due_post(self, session: Session, group: Group, bank: Bank, now: dt.datetime) -> Outbound | None:
        calendar = Calendar.of(group)
        today = calendar.today(now)
        if not calendar.is_study_day(today):
            return None
        due_at = calendar.post_at(today)
        # Due, and not so late that the reveal would already have passed.
        if not due_at <= now < calendar.reveal_at(due_at):
            return None
        if session.scalar(select(Round.id).where(Round.group_id == group.id, Round.study_date == today)):
            return None
        return self._open_round(session, group, bank, today, due_at, now)

    @staticmethod
    def _reveal_outbound(session: Session, group: Group, round_: Round, question: AnyQuestion) -> Outbound:
        answered = session.scalar(
            select(func.count(func.distinct(Answer.member_id))).where(
                Answer.round_id == round_.id, Answer.question_id == round_.question_id, Answer.late.is_(False)
            )
        )
        reply = reveal_post(question, round_.id, answered)
        return Outbound(group.id, group.platform, group.channel_id, "reveal", reply, round_id=round_.id, in_thread=True)

    def _due_digest(self, session: Session, group: Group, bank: Bank, now: dt.datetime, charts: dict) -> Outbound | None:
        """A digest after the reveal of the group's last study day of the week."""
        if group.lost_at is not None:
            return None
        calendar = Calendar.of(group)
        today = calendar.today(now)
        week_start, week_end = week_of(today)
        study_days = [d for d in (week_start + dt.timedelta(days=i) for i in range(7)) if calendar.is_study_day(d)]
        if not study_days or today != study_days[-1] or now < calendar.reveal_at(calendar.post_at(today)):
            return None
        if not session.scalar(select(Round.id).where(Round.group_id == group.id, Round.study_date >= week_start, Round.study_date <= week_end).limit(1)):
            return None
        try:
            with session.begin_nested():
                session.add(Digest(group_id=group.id, week_start=week_start, created_at=now))
        except IntegrityError:
            return None  # already sent
        reply, data = build_digest(session, group, bank, today)
        charts[group.id] = data
        return Outbound(group.id, group.platform, group.channel_id, "digest", reply)

    async def undelivered(self, older_than: dt.timedelta = dt.timedelta(minutes=2)) -> list[Outbound]:
        """Posts and reveals the database says went out but no adapter confirmed: send again."""
        now = self.now()
        bank = await self.bank()

        def work(session: Session) -> list[Outbound]:
            out = []
            stale = now - older_than
            for round_ in session.scalars(self.served(select(Round).join(Group).where(Round.delivered_at.is_(None), Round.posted_at <= stale, Round.revealed_at.is_(None)))):
                group = session.get(Group, round_.group_id)
                question = bank.get(round_.question_id)
                if question is not None and group.lost_at is None:
                    out.append(self._post_outbound(group, round_, question))
            for round_ in session.scalars(self.served(select(Round).join(Group).where(Round.revealed_at.is_not(None), Round.reveal_delivered_at.is_(None), Round.delivered_at.is_not(None), Round.revealed_at <= stale))):
                group = session.get(Group, round_.group_id)
                question = bank.get(round_.question_id)
                if question is not None and group.lost_at is None:
                    out.append(self._reveal_outbound(session, group, round_, question))
            return out

        return await self.db.run(work)

    async def channel_lost(self, group_id: int, reason: str) -> list[Outbound]:
        """The platform says the channel is gone or closed to us: pause, and tell the owners once."""
        now = self.now()

        def work(session: Session) -> list[Outbound]:
            group = session.get(Group, group_id)
            if group is None or group.lost_at is not None:
                return []
            group.lost_at = now
            group.paused_until = OPEN_ENDED
            text = (
                f"I can no longer post in the study channel ({reason}), so I paused the group. "
                "Give me back access (or run /study setup in a new channel) and use /study resume."
            )
            return [Outbound(group.id, group.platform, group.channel_id, "dm", Reply(text=text), user_id=owner) for owner in group.owners or []]

        out = await self.db.run(work)
        self._changed(Response(Reply()))
        return out

    async def delivered(self, round_id: int, kind: str, message_ref: str | None = None, thread_ref: str | None = None) -> None:
        """The adapter posted a round's question or reveal: remember where."""
        now = self.now()

        def work(session: Session) -> None:
            round_ = session.get(Round, round_id)
            if round_ is None:
                return
            if kind == "question":
                round_.message_ref = message_ref or round_.message_ref
                round_.thread_ref = thread_ref or round_.thread_ref
                round_.delivered_at = now
            elif kind == "reveal":
                round_.reveal_delivered_at = now

        await self.db.run(work)
