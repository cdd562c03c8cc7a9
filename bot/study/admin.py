"""Setting a group up and running it: setup, settings, pause, resume, post, skip."""

from __future__ import annotations


from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store import Group, Round, ScoreEntry

from .core import Actor, Refused, StudyCore, admin_only
from .group_settings import OPEN_ENDED, Calendar, format_local, parse_settings
from .inputs import InputError, read_date
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
            except InputError as error:
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
                end = read_date(until) if until else OPEN_ENDED
            except InputError as error:
                raise Refused(f"{error}, or no date to pause until /study resume.") from None
            if end < Calendar.of(group).today(now):
                raise Refused(f"{end.isoformat()} is in the past; give a date from today on.")
            group.paused_until = end
            if end == OPEN_ENDED:
                return Reply(text="Paused until `/study resume`. No questions will be posted, and no streak breaks meanwhile.", private=False)
            nxt = Calendar.of(group).next_post(now)
            after = f" The next question comes {format_local(nxt, group.timezone)}." if nxt else ""
            return Reply(text=f"Paused through {end:%a} {end.day} {end:%b %Y}: no questions until then, and no streak breaks meanwhile.{after}", private=False)

        return self._changed(await self.transact(work))

    async def resume(self, actor: Actor) -> Response:
        now = self.now()

        def work(session: Session) -> Reply:
            group = self.group_of(session, actor, admin_to="resume the group")
            if group.paused_until is None:
                raise Refused("The group is not paused.")
            group.paused_until = None
            group.lost_at = None
            calendar = Calendar.of(group)
            late = calendar.late_post(now)
            if late and not self._has_round_today(session, group, now):  # what the scheduler does next
                return Reply(text=f"Resumed. Today's question now (it was due {format_local(late, group.timezone)}).", private=False)
            nxt = calendar.next_post(now)
            when = format_local(nxt, group.timezone) if nxt else "not scheduled"
            return Reply(text=f"Resumed. Next question: {when}.", private=False)

        return self._changed(await self.transact(work))

    async def post_now(self, actor: Actor) -> Response:
        """`/study post`: open today's round now (an admin's manual post)."""
        now = self.now()
        bank = await self.bank()

        def work(session: Session) -> Response:
            group = self.group_of(session, actor, admin_to="post a question now")
            if self._has_round_today(session, group, now):
                raise Refused("Today's question is already posted. `/study skip` replaces it.")
            outbound = self._open_round(session, group, bank, Calendar.of(group).today(now), due_at=now, now=now)
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
                question, repeat = self._pick(session, group, bank, today=current.study_date, exclude=[current.question_id, *current.skipped])
            except NoQuestions:
                raise Refused("There is no other question matching this group's settings.") from None
            current.skipped = [*current.skipped, current.question_id]
            current.question_id = question.id
            current.message_ref = current.thread_ref = None  # the replacement is a new post with its own thread
            # The points were the old question's; the new one has no facts yet.
            session.execute(ScoreEntry.__table__.delete().where(ScoreEntry.round_id == current.id))
            post = self._post_outbound(group, current, question, note=" ".join(filter(None, ["An admin replaced today's question.", repeat])))
            return Response(Reply(text=f"Replaced today's question with “{question.title}”."), (post,))

        return await self.transact(work)
