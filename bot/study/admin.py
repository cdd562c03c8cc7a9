"""Setting a group up and running it: setup, settings, pause, resume, post, skip."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store import Group, Round, ScoreEntry

from .core import Actor, Refused, StudyCore, admin_only
from .group_settings import OPEN_ENDED, Calendar, SettingError, format_local, parse_settings
from .picker import NoQuestions
from .replies import Reply, Response
from .views import settings_reply


class AdminVerbs(StudyCore):
    async def setup(self, actor: Actor, settings: dict[str, str]) -> Response:
        now = self.now()

        def work(session: Session) -> Response:
            group = self.find_group(session, actor)
            if not self.is_admin(group, actor):  # before reading the settings: they are admin input
                raise Refused(admin_only("change the group's settings"))
            try:
                values = parse_settings(settings)
            except SettingError as error:
                raise Refused(f"{error}. Nothing was changed.") from None
            created = group is None
            if created:
                group = Group(
                    platform=actor.platform,
                    workspace_id=actor.workspace_id,
                    channel_id=actor.channel_id,
                    owners=[actor.user_id],
                    created_at=now,
                    categories=[],
                    tracks=[],
                    difficulty_mix={},
                )
                session.add(group)
            for attribute, value in values.items():
                setattr(group, attribute, value)
            if not created and not values:
                return Response(settings_reply(group, now))
            session.flush()
            reply = settings_reply(group, now)
            intro = "Study group created. " if created else "Settings saved. "
            return Response(Reply(title=reply.title, text=intro + "Change any of these with `/study setup key=value …`.\n" + reply.text))

        return self._changed(await self.transact(work))

    async def settings(self, actor: Actor) -> Response:
        now = self.now()
        return await self.transact(lambda session: settings_reply(self.group_of(session, actor), now))

    async def pause(self, actor: Actor, until: str | None = None) -> Response:
        now = self.now()

        def work(session: Session) -> Reply:
            group = self.group_of(session, actor, admin_to="pause the group")
            try:
                end = dt.date.fromisoformat(until) if until else OPEN_ENDED
            except ValueError:
                raise Refused(f"{until!r} is not a date; use YYYY-MM-DD, like 2026-12-31, or no date to pause until /study resume.") from None
            if end < Calendar.of(group).today(now):
                raise Refused(f"{end.isoformat()} is in the past; give a date from today on.")
            group.paused_until = end
            shown = "further notice (/study resume to restart)" if end == OPEN_ENDED else end.isoformat()
            return Reply(text=f"Paused until {shown}. No questions will be posted, and no streak breaks meanwhile.", private=False)

        return self._changed(await self.transact(work))

    async def resume(self, actor: Actor) -> Response:
        now = self.now()

        def work(session: Session) -> Reply:
            group = self.group_of(session, actor, admin_to="resume the group")
            if group.paused_until is None:
                raise Refused("The group is not paused.")
            group.paused_until = None
            group.lost_at = None
            nxt = Calendar.of(group).next_post(now)
            when = format_local(nxt, group.timezone) if nxt else "not scheduled"
            return Reply(text=f"Resumed. Next question: {when}.", private=False)

        return self._changed(await self.transact(work))

    async def post_now(self, actor: Actor) -> Response:
        """`/study post`: open today's round now (an admin's manual post)."""
        now = self.now()
        bank = await self.bank()

        def work(session: Session) -> Response:
            group = self.group_of(session, actor, admin_to="post a question now")
            today = Calendar.of(group).today(now)
            if session.scalar(select(Round.id).where(Round.group_id == group.id, Round.study_date == today)):
                raise Refused("Today's question is already posted. `/study skip` replaces it.")
            outbound = self._open_round(session, group, bank, today, due_at=now, now=now)
            if outbound is None:
                raise Refused("No question matches this group's categories and tracks; widen them with /study setup.")
            return Response(Reply(text="Posted."), (outbound,))

        return self._changed(await self.transact(work))

    async def skip(self, actor: Actor) -> Response:
        now = self.now()
        bank = await self.bank()

        def work(session: Session) -> Response:
            group = self.group_of(session, actor, admin_to="replace today's question")
            current = session.scalar(select(Round).where(Round.group_id == group.id).order_by(Round.study_date.desc()).limit(1))
            if current is None or current.study_date != Calendar.of(group).today(now):
                raise Refused("There is no question today to replace; `/study post` posts one.")
            if current.revealed_at is not None:
                raise Refused("Today's question has been revealed; it can't be replaced any more.")
            try:
                question = self._pick(session, group, bank, today=current.study_date, exclude=[current.question_id, *current.skipped])
            except NoQuestions:
                raise Refused("There is no other question matching this group's settings.") from None
            current.skipped = [*current.skipped, current.question_id]
            current.question_id = question.id
            session.execute(ScoreEntry.__table__.delete().where(ScoreEntry.round_id == current.id))
            post = self._post_outbound(group, current, question, note="An admin replaced today's question.")
            return Response(Reply(text=f"Replaced today's question with “{question.title}”."), (post,))

        return await self.transact(work)
