"""What the platforms owe and what they confirmed: posts, reveals, digests and button
edits made but not confirmed are sent again; confirmations are recorded; a channel or
workspace the bot lost pauses its groups."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.store import Digest, Group, Round

from .digest import WeekData
from .core import outbound
from .due import DueWork, close_edit, post_edit, with_charts
from .group_settings import OPEN_ENDED
from .replies import Outbound, Reply, Response
from .scoring import REVIEW_WINDOW


class OwedWork(DueWork):
    async def undelivered(self, older_than: dt.timedelta = dt.timedelta(minutes=2)) -> list[Outbound]:
        """Posts, reveals, digests and button edits made but not confirmed by an adapter:
        send them again.

        A question goes out even when its reveal has passed meanwhile (members may still
        review and practise until its review window closes), and its reveal after it. An
        edit is owed for a review window after its claim; a question or reveal confirmed
        only after its round moved on is owed the edit too (it went out with old buttons,
        or with the new ones: an edit to the same buttons changes nothing)."""
        now = self.now()
        bank = await self.bank()
        charts: dict[int, WeekData] = {}

        def work(session: Session) -> list[Outbound]:
            out = []
            stale = now - older_than
            for round_ in session.scalars(self.served(select(Round).join(Group).where(
                Round.delivered_at.is_(None), Round.posted_at <= stale, Round.reveal_at > now - REVIEW_WINDOW,
            ).order_by(Round.id))):
                group = session.get(Group, round_.group_id)
                question = bank.get(round_.question_id)
                if question is not None and group.lost_at is None:
                    out.append(self._post_outbound(group, round_, question))
            for round_ in session.scalars(self.served(select(Round).join(Group).where(Round.revealed_at.is_not(None), Round.reveal_delivered_at.is_(None), Round.delivered_at.is_not(None), Round.revealed_at <= stale))):
                group = session.get(Group, round_.group_id)
                question = bank.get(round_.question_id)
                if question is not None and group.lost_at is None:
                    out.append(self._reveal_outbound(session, group, round_, question))
            for digest in session.scalars(self.served(select(Digest).join(Group).where(Digest.delivered_at.is_(None), Digest.created_at <= stale))):
                group = session.get(Group, digest.group_id)
                if group.lost_at is None:
                    out.append(self._digest_outbound(session, group, bank, digest.week_start, charts))
            recent = now - REVIEW_WINDOW
            for round_ in session.scalars(self.served(select(Round).join(Group).where(
                Round.revealed_at.is_not(None), Round.post_edited_at.is_(None), Round.message_ref.is_not(None),
                Round.revealed_at <= stale, Round.revealed_at > recent,
            ))):
                group = session.get(Group, round_.group_id)
                question = bank.get(round_.question_id)
                if question is not None and group.lost_at is None:
                    out.append(post_edit(group, round_, question))
            for round_ in session.scalars(self.served(select(Round).join(Group).where(
                Round.closed_at.is_not(None), Round.reveal_edited_at.is_(None), Round.reveal_ref.is_not(None),
                Round.closed_at <= stale, Round.closed_at > recent,
            ))):
                group = session.get(Group, round_.group_id)
                if group.lost_at is None:
                    out.append(close_edit(group, round_))
            return out

        return await with_charts(await self.db.run(work), charts)

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
            return [outbound(group, "dm", Reply(text=text), user_id=owner) for owner in group.owners or []]

        out = await self.db.run(work)
        self._changed(Response(Reply()))
        return out

    async def workspace_lost(self, platform: str, workspace_id: str) -> int:
        """The bot was removed from a workspace (uninstalled, its token revoked): pause all
        its groups. Nobody there can be told any more; an admin resumes after reinstalling."""
        now = self.now()

        def work(session: Session) -> int:
            return session.execute(
                update(Group)
                .where(Group.platform == platform, Group.workspace_id == workspace_id, Group.lost_at.is_(None))
                .values(lost_at=now, paused_until=OPEN_ENDED)
            ).rowcount

        paused = await self.db.run(work)
        self._changed(Response(Reply()))
        return paused

    async def delivered(self, post: Outbound, message_ref: str | None = None, thread_ref: str | None = None) -> None:
        """The adapter posted a round's question or reveal, or a digest: remember where."""
        await self.delivered_all([(post, message_ref, thread_ref)])

    async def delivered_all(self, confirmed: list[tuple[Outbound, str | None, str | None]]) -> None:
        """`delivered` for many posts (post, message_ref, thread_ref) in one transaction."""
        now = self.now()

        def work(session: Session) -> None:
            edited = {stamp: [post.round_id for post, _, _ in confirmed if post.kind == "edit" and post.round_id is not None
                              and post.in_thread == in_thread]
                      for stamp, in_thread in (("post_edited_at", False), ("reveal_edited_at", True))}
            for stamp, round_ids in edited.items():
                if round_ids:  # one statement for each kind of edit, however many were made
                    session.execute(update(Round).where(Round.id.in_(round_ids)).values({stamp: now}))
            for post, message_ref, thread_ref in confirmed:
                if post.kind == "digest" and post.digest_id is not None:
                    session.execute(update(Digest).where(Digest.id == post.digest_id).values(delivered_at=now))
                elif post.kind == "question" and post.round_id is not None:
                    values = dict(delivered_at=now)
                    if message_ref:
                        values["message_ref"] = message_ref
                    if thread_ref:
                        values["thread_ref"] = thread_ref
                    session.execute(update(Round).where(Round.id == post.round_id).values(**values))
                elif post.kind == "reveal" and post.round_id is not None:
                    session.execute(update(Round).where(Round.id == post.round_id).values(reveal_delivered_at=now, reveal_ref=message_ref))

        await self.db.run(work)
