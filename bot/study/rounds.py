"""Rounds: choosing and opening a group's question of the day, and finding rounds again."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Collection

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.bank import AnyQuestion, Bank
from bot.store import Answer, Group, Member, Round
from bot.store.db import insert_for

from .core import Actor, StudyCore, outbound
from .group_settings import Calendar, format_local
from .picker import NoQuestions, pick_question
from .replies import Outbound, Reply, Response
from .scoring import REVIEW_WINDOW
from .views import question_post

LATE_POST_NOTE_AFTER = dt.timedelta(minutes=5)
REPEAT_NOTE = (
    "Asked before: every question matching this group's categories, tracks and difficulty mix "
    "has been used up, so they come round again. An admin can widen them with /study setup."
)


class RoundVerbs(StudyCore):
    @staticmethod
    def _histories(session: Session, group_ids: Collection[int]) -> dict[int, list[str]]:
        """Each group's questions asked or skipped, oldest first: one query for a batch of groups."""
        histories: dict[int, list[str]] = {g: [] for g in group_ids}
        for group_id, skipped, asked in session.execute(
            select(Round.group_id, Round.skipped, Round.question_id).where(Round.group_id.in_(list(histories))).order_by(Round.group_id, Round.study_date)
        ):
            histories[group_id] += [*(skipped or []), asked]
        return histories

    def _pick(self, session: Session, group: Group, bank: Bank, today: dt.date, exclude=(), history: list[str] | None = None) -> tuple[AnyQuestion, str]:
        """The group's next question, and a note for its post when it is asked again."""
        if history is None:
            history = self._histories(session, [group.id])[group.id]
        question = pick_question(
            bank,
            categories=group.categories or [],
            tracks=group.tracks or [],
            mix=group.difficulty_mix or None,
            history=history,
            seed=f"{group.platform}:{group.channel_id}:{today.isoformat()}",
            exclude=exclude,
        )
        note = REPEAT_NOTE if question.id in history else ""
        return question, note

    def _open_round(
        self, session: Session, group: Group, bank: Bank, day: dt.date, due_at: dt.datetime, now: dt.datetime, history: list[str] | None = None,
    ) -> Outbound | None:
        """Insert the round for `day`; None when another process did, or nothing matches.
        `history`: the group's (from `_histories`), when the caller read it for a batch."""
        try:
            question, repeat = self._pick(session, group, bank, today=day, history=history)
        except NoQuestions:
            return None
        calendar = Calendar.of(group)
        values = dict(
            group_id=group.id,
            study_date=day,
            question_id=question.id,
            skipped=[],
            due_at=due_at,
            posted_at=now,
            reveal_at=calendar.reveal_at(max(now, due_at)),
            bonus=not calendar.is_study_day(day),
        )
        # One statement: the unique (group, study_date) says whether someone else posted it.
        round_id = session.execute(
            insert_for(session, Round).values(**values).on_conflict_do_nothing(index_elements=["group_id", "study_date"]).returning(Round.id)
        ).scalar()
        if round_id is None:
            return None
        round_ = Round(id=round_id, **values)  # not in the session: the row is written
        late = now - due_at
        notes = [repeat] if repeat else []
        if late > LATE_POST_NOTE_AFTER:
            minutes = int(late.total_seconds() // 60)
            notes.append(f"Posted {minutes} min late (the bot was away at {format_local(due_at, group.timezone)}); the reveal moves with it.")
        return self._post_outbound(group, round_, question, " ".join(notes))

    @staticmethod
    def _has_round_today(session: Session, group: Group, now: dt.datetime) -> bool:
        today = Calendar.of(group).today(now)
        return session.scalar(select(Round.id).where(Round.group_id == group.id, Round.study_date == today)) is not None

    @staticmethod
    def _post_outbound(group: Group, round_: Round, question: AnyQuestion, note: str = "") -> Outbound:
        reply = question_post(question, round_.id, round_.reveal_at, group.timezone, note, revealed=round_.revealed_at is not None)
        return outbound(group, "question", reply, round_id=round_.id, thread_title=question.title[:100])

    async def today(self, actor: Actor) -> Response:
        now = self.now()
        bank = await self.bank()

        def work(session: Session):
            group = self.group_of(session, actor)
            round_ = self.round_of(session, group)
            answered = session.scalar(select(func.count(func.distinct(Answer.member_id))).where(Answer.round_id == round_.id, Answer.question_id == round_.question_id))
            return bank.get(round_.question_id), round_.id, round_.reveal_at, round_.revealed_at, answered, group.timezone

        found = await self.transact(work)
        if isinstance(found, Response):
            return found
        question, round_id, reveal_at, revealed_at, answered, zone = found
        if revealed_at is not None and now >= revealed_at + REVIEW_WINDOW:
            state = f"Revealed {format_local(revealed_at, zone)}; late answers count as practice; peer review closed {format_local(revealed_at + REVIEW_WINDOW, zone)}."
        elif revealed_at is not None:
            state = f"Revealed {format_local(revealed_at, zone)}; late answers count as practice, and peer review is open."
        else:
            left = reveal_at - now
            hours, minutes = divmod(int(left.total_seconds() // 60), 60)
            state = f"{hours} h {minutes} min until the reveal ({format_local(reveal_at, zone)})."
        post = await asyncio.to_thread(question_post, question, round_id, reveal_at, zone, revealed=revealed_at is not None)
        return Response(Reply(title=post.title, text=post.text, sections=(*post.sections[:-1], f"{state} {answered} answered so far."), buttons=post.buttons))

    # ---- what the adapters look up -----------------------------------------------------------

    async def round_of_thread(self, platform: str, channel_id: str, thread_ref: str, workspace_id: str = "") -> int | None:
        """The round whose thread this is, or None (another thread in the channel)."""
        return await self.db.run(lambda session: session.scalar(
            select(Round.id).join(Group).where(in_channel(platform, workspace_id, channel_id), Round.thread_ref == thread_ref)
        ))

    async def timezone_of(self, platform: str, channel_id: str, workspace_id: str = "") -> str | None:
        """The timezone of a channel's group, or None when the channel has none."""
        return await self.db.run(lambda session: session.scalar(
            select(Group.timezone).where(in_channel(platform, workspace_id, channel_id))))

    async def thread_of(self, round_id: int) -> str | None:
        return await self.db.run(lambda session: session.scalar(select(Round.thread_ref).where(Round.id == round_id)))

    async def adapter_options(self, platform: str, channel_id: str, workspace_id: str = "") -> dict:
        """What the platform's adapter keeps for a channel's group ({} when none)."""
        return await self.db.run(lambda session: session.scalar(
            select(Group.adapter_options).where(in_channel(platform, workspace_id, channel_id)))) or {}

    async def set_adapter_options(self, actor: Actor, options: dict) -> bool:
        """Merge options into the actor's group (an admin's, as setup is); False when there is none or they may not."""
        def work(session: Session) -> bool:
            group = self.find_group(session, actor)
            if group is None or not self.is_admin(group, actor):
                return False
            group.adapter_options = {**(group.adapter_options or {}), **options}
            return True

        return await self.db.run(work)

    async def keep_adapter_options(self, group_id: int, options: dict) -> None:
        """The adapter's own bookkeeping on a group (who holds the role it hands out): nobody to ask."""
        def work(session: Session) -> None:
            group = session.get(Group, group_id)
            if group is not None:
                group.adapter_options = {**(group.adapter_options or {}), **options}

        await self.db.run(work)

    async def tell_owners_once(self, group_id: int, flag: str, text: str) -> list[Outbound]:
        """DMs telling a group's owners of a problem, unless `flag` (kept in the adapter's
        options) says they were told already: a problem that repeats every week is told once."""
        def work(session: Session) -> list[Outbound]:
            group = session.get(Group, group_id)
            if group is None or (group.adapter_options or {}).get(flag):
                return []
            group.adapter_options = {**(group.adapter_options or {}), flag: True}
            return [outbound(group, "dm", Reply(text=text), user_id=owner) for owner in group.owners or []]

        return await self.db.run(work)

    async def post_refs(self, round_id: int) -> tuple[str | None, str | None]:
        """Where a round's question went so far (its post, its thread): a post retried after a
        failure, or after a restart, resumes there instead of being sent twice."""
        row = await self.db.run(lambda session: session.execute(select(Round.message_ref, Round.thread_ref).where(Round.id == round_id)).first())
        return (row[0], row[1]) if row else (None, None)

    async def posted(self, round_id: int, message_ref: str) -> None:
        """The question's post exists: remember it at once, before its thread is opened (what
        `delivered` confirms once the whole post is done)."""
        await self.db.run(lambda session: session.execute(update(Round).where(Round.id == round_id).values(message_ref=message_ref)))

    async def groups_of(self, platform: str, workspace_id: str, user_id: str, channels: Collection[str]) -> list[str]:
        """Which of `channels` (those the platform says the member is in) hold a group of
        the workspace: the ones the member has taken part in first, then the oldest."""
        if not channels:
            return []

        def work(session: Session) -> list[str]:
            joined = select(Member.id).where(Member.group_id == Group.id, Member.user_id == user_id).exists()
            return list(session.scalars(
                select(Group.channel_id).where(
                    Group.platform == platform, Group.workspace_id == workspace_id, Group.channel_id.in_(list(channels)), Group.active.is_(True),
                ).order_by(joined.desc(), Group.id)
            ))

        return await self.db.run(work)


def in_channel(platform: str, workspace_id: str, channel_id: str):
    """The condition naming one channel's group: a channel id is unique within its workspace."""
    return (Group.platform == platform) & (Group.workspace_id == workspace_id) & (Group.channel_id == channel_id)
