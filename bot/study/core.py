"""What every verb family shares: who is asking, the refusal, and the lookups.

A verb's database work is a function of one session, run in a thread in one
transaction (`StudyCore.transact`). When it cannot go on, it raises `Refused`: the
transaction rolls back, so a refusal never leaves anything behind, and the member
gets the refusal's reply. "Find the channel's group or refuse" and "refuse a
non-admin" are `group_of`, once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.bank import AnyQuestion, Bank, BankError
from bot.grading import Checker
from bot.store import Clock, Database, DatabaseUnavailable, Group, Member, Round
from bot.store.db import insert_ignore, upsert

from .group_settings import UTC
from .replies import Outbound, Reply, Response, refuse

T = TypeVar("T")
log = logging.getLogger(__name__)
BANK_RECHECK = 2.0  # seconds a loaded bank is trusted before its files are looked at again

NO_GROUP = "This channel has no study group yet. An admin can start one with `/study setup`."
UNAVAILABLE = "The bot cannot reach its database right now, so nothing was saved. Send it again in a minute."
NO_ROUND = "No question has been posted in this group yet. The next one comes at the group's post time; an admin can post one now with `/study post`."


@dataclass(frozen=True)
class Actor:
    """Who is asking, where: the adapter fills it from the platform's event."""

    platform: str
    channel_id: str
    user_id: str
    name: str
    is_admin: bool = False  # the platform's manage-channel right (Discord) or workspace admin (Slack)
    workspace_id: str = ""


class Refused(Exception):
    """A verb cannot go on; `reply` says why and what to do instead."""

    def __init__(self, text: str):
        super().__init__(text)
        self.reply = refuse(text)


class StudyCore:
    """The state every verb family reads: database, bank, checker, clock."""

    def __init__(
        self,
        db: Database,
        bank: Callable[[], Bank],
        checker: Checker,
        clock: Callable[[], dt.datetime],
        platforms: Collection[str] | None = None,
        workspaces: Collection[str] | None = None,
    ):
        self.db = db
        # The platforms (and, for a bot installed in one workspace only, the workspaces)
        # this process posts to: bots of several platforms and workspaces may share one
        # database, and each must only do the due work of its own groups.
        self.platforms = frozenset(platforms) if platforms is not None else None
        self.workspaces = frozenset(workspaces) if workspaces is not None else None
        self._load_bank = bank  # blocking loader (cached): only called in threads
        self._last_bank: Bank | None = None
        self.checker = checker
        self.clock = clock
        self.listeners: list[Callable[[], None]] = []  # told when schedules may have changed
        # Where a verb says something before its reply (an answer's check taking long):
        # the adapter's delivery; None says nothing.
        self.notify: Callable[[list[Outbound]], Awaitable[object]] | None = None
        self._notices: set[asyncio.Task] = set()  # held until sent, so none is collected mid-send

    def taking_long(self, group: Group, user_id: str) -> Callable[[], None] | None:
        """For the checker's `on_slow`: tell the member, privately, that their answer went
        to the slow lane, so a verdict that takes seconds is not mistaken for a lost one."""
        if self.notify is None:
            return None
        limit = self.checker.limits.timeout
        reply = Reply(text=f"Your answer is taking longer than most to check; its verdict follows within {limit:g} s.")
        notice = outbound(group, "dm", reply, user_id=user_id)

        def send() -> None:
            task = asyncio.ensure_future(self.notify([notice]))
            self._notices.add(task)
            task.add_done_callback(self._notices.discard)

        return send

    # ---- running a verb ---------------------------------------------------------------

    async def transact(self, work: Callable[[Session], T]) -> T | Response:
        """Run `work` in one transaction off the loop; a `Refused` becomes its reply."""
        try:
            result = await self.db.run(work)
        except Refused as refused:
            return Response(refused.reply)
        except DatabaseUnavailable:  # never acknowledge what is not stored
            return Response(refuse(UNAVAILABLE))
        return Response(result) if isinstance(result, Reply) else result

    def _changed(self, response: Response) -> Response:
        """Tell the scheduler that alarms may have moved (settings, pauses, new rounds)."""
        if response.reply.ok:
            for listener in self.listeners:
                listener()
        return response

    def _bank(self) -> Bank:
        """The bank as it is on disk; while an edit leaves it broken, the last good one."""
        try:
            self._last_bank = self._load_bank()
        except BankError as error:
            if self._last_bank is None:
                raise
            log.warning("the question bank does not load, so the last good one is used: %s", error)
        return self._last_bank

    async def bank(self) -> Bank:
        return await asyncio.to_thread(self._bank)

    def now(self) -> dt.datetime:
        return self.clock().astimezone(UTC)

    def question(self, question_id: str) -> AnyQuestion | None:
        return self._bank().get(question_id)

    async def clock_reading(self, name: str) -> dt.datetime | None:
        """A simulated clock kept in the database (the console's), or None."""
        return await self.db.run(lambda session: session.scalar(select(Clock.now).where(Clock.name == name)))

    async def keep_clock(self, name: str, moment: dt.datetime) -> None:
        await self.db.run(lambda session: upsert(session, Clock, dict(name=name, now=moment), key=("name",), update=("now",)))

    def served(self, query):
        """Narrow a query over groups (or rounds joined to groups) to this process's platforms and workspaces."""
        if self.platforms is not None:
            query = query.where(Group.platform.in_(self.platforms))
        if self.workspaces is not None:
            query = query.where(Group.workspace_id.in_(self.workspaces))
        return query

    async def reachable(self) -> bool:
        """Whether the database answers now (a health check)."""
        return await asyncio.to_thread(self.db.ping)

    # ---- lookups inside a transaction ----------------------------------------------------

    @staticmethod
    def find_group(session: Session, actor: Actor) -> Group | None:
        return session.scalar(select(Group).where(
            Group.platform == actor.platform, Group.workspace_id == actor.workspace_id, Group.channel_id == actor.channel_id,
        ))

    @staticmethod
    def is_admin(group: Group | None, actor: Actor) -> bool:
        return actor.is_admin or (group is not None and actor.user_id in (group.owners or []))

    def group_of(self, session: Session, actor: Actor, admin_to: str | None = None) -> Group:
        """The channel's group, or refuse; with `admin_to` ("pause the group"), only for admins."""
        group = self.find_group(session, actor)
        if group is None:
            raise Refused(NO_GROUP)
        if admin_to and not self.is_admin(group, actor):
            raise Refused(admin_only(admin_to))
        return group

    @staticmethod
    def member_of(session: Session, group: Group, actor: Actor, now: dt.datetime) -> Member:
        """The actor as a member of the group, added on first use (safe when two workers race)."""
        insert_ignore(session, Member, dict(group_id=group.id, user_id=actor.user_id, display_name=actor.name, joined_at=now))
        member = session.scalar(select(Member).where(Member.group_id == group.id, Member.user_id == actor.user_id))
        if actor.name and member.display_name != actor.name:
            member.display_name = actor.name
        return member

    @staticmethod
    def round_of(session: Session, group: Group, round_id: int | None = None) -> Round:
        """The round a button names (if it is this group's: buttons of older posts act on
        their own round), else the group's latest; refuse when there is none."""
        if round_id is not None:
            named = session.get(Round, round_id)
            if named is not None and named.group_id == group.id:
                return named
        latest = session.scalar(select(Round).where(Round.group_id == group.id).order_by(Round.study_date.desc()).limit(1))
        if latest is None:
            raise Refused(NO_ROUND)
        return latest


def outbound(group: Group, kind: str, reply: Reply, **fields) -> Outbound:
    """A post to a group's channel (or, for a "dm", to one of its members)."""
    return Outbound(group.id, group.platform, group.channel_id, kind, reply, workspace_id=group.workspace_id, **fields)


def admin_only(what: str) -> str:
    return f"Only an admin (manage channel) or one of the group's owners can {what}. Ask one of them; `/study settings` shows the group's settings."
