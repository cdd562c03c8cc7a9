"""The study loop: every verb of /study and the "do what is due" step.

Adapters call these coroutines with an `Actor` and render the `Response`. Database
work runs in a thread (`Database.run`), SQL checks in the grading pool: nothing here
blocks the event loop. Rules live here and in scoring, streaks and picker; no
platform is known.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator, Callable, Collection
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.bank import AnyQuestion, Bank, SqlQuestion
from bot.grading import Checker, TaskError, Verdict, extract_sql
from bot.store import Answer, Database, Digest, Group, HintUse, Member, Review, Round, ScoreEntry

from . import scoring
from .digest import WeekData, build_digest, render_chart, week_of
from .group_settings import OPEN_ENDED, UTC, Calendar, SettingError, format_local, parse_settings
from .picker import NoQuestions, pick_question
from .replies import Code, Outbound, Reply, Response, ReviewForm, TableBlock, refuse
from .standings import leaderboard_rows, member_stats
from .views import question_post, reveal_post, settings_reply, standings_table

MAX_ANSWER_CHARS = 4000
LATE_POST_NOTE_AFTER = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Actor:
    """Who is asking, where: the adapter fills it from the platform's event."""

    platform: str
    channel_id: str
    user_id: str
    name: str
    is_admin: bool = False  # the platform's manage-channel right (Discord) or workspace admin (Slack)
    workspace_id: str = ""


def answer_problem(text: str) -> str | None:
    """Why an answer's text can't be taken (empty, too long), or None: for forms to check inline."""
    text = (text or "").strip()
    if not text:
        return "Your answer is empty. Write it after the verb, like `/study answer SELECT …`, or in the thread."
    if len(text) > MAX_ANSWER_CHARS:
        return f"Your answer is {len(text):,} characters; the limit is {MAX_ANSWER_CHARS:,}. Trim it and send it again."
    return None


NO_GROUP = "This channel has no study group yet. An admin can start one with `/study setup`."
NO_ROUND = "No question has been posted in this group yet. The next one comes at the group's post time; an admin can post one now with `/study post`."


class Study:
    def __init__(
        self,
        db: Database,
        bank: Callable[[], Bank],
        checker: Checker,
        clock: Callable[[], dt.datetime],
        platforms: Collection[str] | None = None,
    ):
        self.db = db
        # The platforms this process posts to; a Discord and a Slack bot may share one
        # database, and each must only do the due work of its own groups.
        self.platforms = frozenset(platforms) if platforms is not None else None
        self._bank = bank  # blocking loader (cached): only called in threads
        self.checker = checker
        self.clock = clock
        self.listeners: list[Callable[[], None]] = []  # told when schedules may have changed

    def _changed(self, response: Response) -> Response:
        if response.reply.ok:
            for listener in self.listeners:
                listener()
        return response

    # ---- helpers ------------------------------------------------------------------------

    def served(self, query):
        """Narrow a query over groups (or rounds joined to groups) to this process's platforms."""
        return query if self.platforms is None else query.where(Group.platform.in_(self.platforms))

    def now(self) -> dt.datetime:
        return self.clock().astimezone(UTC)

    def question(self, question_id: str) -> AnyQuestion | None:
        return self._bank().get(question_id)

    @staticmethod
    def _group(session: Session, actor: Actor) -> Group | None:
        return session.scalar(select(Group).where(Group.platform == actor.platform, Group.channel_id == actor.channel_id))

    @staticmethod
    def _member(session: Session, group: Group, actor: Actor, now: dt.datetime) -> Member:
        member = session.scalar(select(Member).where(Member.group_id == group.id, Member.user_id == actor.user_id))
        if member is None:
            try:
                with session.begin_nested():
                    member = Member(group_id=group.id, user_id=actor.user_id, display_name=actor.name, joined_at=now)
                    session.add(member)
            except IntegrityError:  # another process added them first
                member = session.scalar(select(Member).where(Member.group_id == group.id, Member.user_id == actor.user_id))
        elif actor.name and member.display_name != actor.name:
            member.display_name = actor.name
        return member

    @staticmethod
    def _current_round(session: Session, group: Group, round_id: int | None = None) -> Round | None:
        """The round a button names (if it is this group's: buttons of older posts act on
        their own round), else the group's latest."""
        if round_id is not None:
            named = session.get(Round, round_id)
            if named is not None and named.group_id == group.id:
                return named
        return session.scalar(select(Round).where(Round.group_id == group.id).order_by(Round.study_date.desc()).limit(1))

    @staticmethod
    def _is_admin(group: Group | None, actor: Actor) -> bool:
        return actor.is_admin or (group is not None and actor.user_id in (group.owners or []))

    # ---- setup and settings ---------------------------------------------------------------

    async def setup(self, actor: Actor, settings: dict[str, str]) -> Response:
        try:
            values = parse_settings(settings)
        except SettingError as error:
            return Response(refuse(f"{error}. Nothing was changed."))
        now = self.now()

        def work(session: Session) -> Response:
            group = self._group(session, actor)
            if not self._is_admin(group, actor):
                return Response(refuse("Only an admin (manage channel) or one of the group's owners can change its settings. Ask one of them, or see `/study settings`."))
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

        return self._changed(await self.db.run(work))

    async def settings(self, actor: Actor) -> Response:
        now = self.now()

        def work(session: Session) -> Response:
            group = self._group(session, actor)
            return Response(settings_reply(group, now) if group else refuse(NO_GROUP))

        return await self.db.run(work)

    async def pause(self, actor: Actor, until: str | None = None) -> Response:
        now = self.now()
        try:
            end = dt.date.fromisoformat(until) if until else OPEN_ENDED
        except ValueError:
            return Response(refuse(f"{until!r} is not a date; use YYYY-MM-DD, like 2026-12-31, or no date to pause until /study resume."))

        def work(session: Session) -> Response:
            group = self._group(session, actor)
            if group is None:
                return Response(refuse(NO_GROUP))
            if not self._is_admin(group, actor):
                return Response(refuse("Only an admin can pause the group."))
            if end < Calendar.of(group).today(now):
                return Response(refuse(f"{end.isoformat()} is in the past; give a date from today on."))
            group.paused_until = end
            shown = "further notice (/study resume to restart)" if end == OPEN_ENDED else end.isoformat()
            return Response(Reply(text=f"Paused until {shown}. No questions will be posted, and no streak breaks meanwhile.", private=False))

        return self._changed(await self.db.run(work))

    async def resume(self, actor: Actor) -> Response:
        now = self.now()

        def work(session: Session) -> Response:
            group = self._group(session, actor)
            if group is None:
                return Response(refuse(NO_GROUP))
            if not self._is_admin(group, actor):
                return Response(refuse("Only an admin can resume the group."))
            if group.paused_until is None:
                return Response(refuse("The group is not paused."))
            group.paused_until = None
            group.lost_at = None
            nxt = Calendar.of(group).next_post(now)
            when = format_local(nxt, group.timezone) if nxt else "not scheduled"
            return Response(Reply(text=f"Resumed. Next question: {when}.", private=False))

        return self._changed(await self.db.run(work))

    # ---- posting ----------------------------------------------------------------------------

    async def post_now(self, actor: Actor) -> Response:
        """`/study post`: open today's round now (an admin's manual post)."""
        now = self.now()
        bank = await self._bank_async()

        def work(session: Session) -> Response:
            group = self._group(session, actor)
            if group is None:
                return Response(refuse(NO_GROUP))
            if not self._is_admin(group, actor):
                return Response(refuse("Only an admin can post a question now."))
            today = Calendar.of(group).today(now)
            if session.scalar(select(Round.id).where(Round.group_id == group.id, Round.study_date == today)):
                return Response(refuse("Today's question is already posted. `/study skip` replaces it."))
            outbound = self._open_round(session, group, bank, today, due_at=now, now=now)
            if outbound is None:
                return Response(refuse("No question matches this group's categories and tracks; widen them with /study setup."))
            return Response(Reply(text="Posted."), (outbound,))

        return self._changed(await self.db.run(work))

    async def skip(self, actor: Actor) -> Response:
        now = self.now()
        bank = await self._bank_async()

        def work(session: Session) -> Response:
            group = self._group(session, actor)
            if group is None:
                return Response(refuse(NO_GROUP))
            if not self._is_admin(group, actor):
                return Response(refuse("Only an admin can replace today's question."))
            current = self._current_round(session, group)
            if current is None or current.study_date != Calendar.of(group).today(now):
                return Response(refuse("There is no question today to replace; `/study post` posts one."))
            if current.revealed_at is not None:
                return Response(refuse("Today's question has been revealed; it can't be replaced any more."))
            try:
                question = self._pick(session, group, bank, today=current.study_date, exclude=[current.question_id, *current.skipped])
            except NoQuestions:
                return Response(refuse("There is no other question matching this group's settings."))
            current.skipped = [*current.skipped, current.question_id]
            current.question_id = question.id
            session.execute(ScoreEntry.__table__.delete().where(ScoreEntry.round_id == current.id))
            post = self._post_outbound(group, current, question, note="An admin replaced today's question.")
            return Response(Reply(text=f"Replaced today's question with “{question.title}”."), (post,))

        return await self.db.run(work)

    def _pick(self, session: Session, group: Group, bank: Bank, today: dt.date, exclude=()) -> AnyQuestion:
        history = [qid for (qid,) in session.execute(select(Round.question_id).where(Round.group_id == group.id).order_by(Round.study_date))]
        return pick_question(
            bank,
            categories=group.categories or [],
            tracks=group.tracks or [],
            mix=group.difficulty_mix or None,
            history=history,
            seed=f"{group.platform}:{group.channel_id}:{today.isoformat()}",
            exclude=exclude,
        )

    def _open_round(self, session: Session, group: Group, bank: Bank, day: dt.date, due_at: dt.datetime, now: dt.datetime) -> Outbound | None:
        """Insert the round for `day`; None when another process did, or nothing matches."""
        try:
            question = self._pick(session, group, bank, today=day)
        except NoQuestions:
            return None
        calendar = Calendar.of(group)
        round_ = Round(
            group_id=group.id,
            study_date=day,
            question_id=question.id,
            skipped=[],
            due_at=due_at,
            posted_at=now,
            reveal_at=calendar.reveal_at(max(now, due_at)),
        )
        try:
            with session.begin_nested():
                session.add(round_)
        except IntegrityError:  # the unique (group, study_date) says someone else posted it
            return None
        late = now - due_at
        note = ""
        if late > LATE_POST_NOTE_AFTER:
            minutes = int(late.total_seconds() // 60)
            note = f"Posted {minutes} min late (the bot was away at {format_local(due_at, group.timezone)}); the reveal moves with it."
        return self._post_outbound(group, round_, question, note)

    def _post_outbound(self, group: Group, round_: Round, question: AnyQuestion, note: str = "") -> Outbound:
        reply = question_post(question, round_.id, round_.reveal_at, group.timezone, note)
        return Outbound(
            group.id, group.platform, group.channel_id, "question", reply,
            round_id=round_.id, thread_title=question.title[:100],
        )

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
        bank = await self._bank_async()
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

    def _reveal_outbound(self, session: Session, group: Group, round_: Round, question: AnyQuestion) -> Outbound:
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
        bank = await self._bank_async()

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

    async def round_of_thread(self, platform: str, channel_id: str, thread_ref: str) -> int | None:
        """The round whose thread this is, or None (another thread in the channel)."""
        return await self.db.run(lambda session: session.scalar(
            select(Round.id).join(Group).where(Group.platform == platform, Group.channel_id == channel_id, Round.thread_ref == thread_ref)
        ))

    async def groups_of(self, platform: str, user_id: str, workspace_id: str = "") -> list[str]:
        """Channels of the groups a member belongs to, then the workspace's other groups (oldest first)."""
        def work(session: Session) -> list[str]:
            mine = session.scalars(
                select(Group.channel_id).join(Member, Member.group_id == Group.id)
                .where(Group.platform == platform, Member.user_id == user_id, Group.active.is_(True)).order_by(Group.id)
            ).all()
            others = session.scalars(
                select(Group.channel_id).where(Group.platform == platform, Group.workspace_id == workspace_id, Group.active.is_(True)).order_by(Group.id)
            ).all() if workspace_id else []
            return list(dict.fromkeys([*mine, *others]))

        return await self.db.run(work)

    async def thread_of(self, round_id: int) -> str | None:
        return await self.db.run(lambda session: session.scalar(select(Round.thread_ref).where(Round.id == round_id)))

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

    # ---- answering ---------------------------------------------------------------------------

    async def answer(
        self, actor: Actor, text: str, via: str = "private", thread_ref: str | None = None,
        message_ref: str | None = None, round_id: int | None = None,
    ) -> Response:
        """Store an answer (before acknowledging it), check SQL at once, rescore."""
        text = (text or "").strip()
        problem = answer_problem(text)
        if problem:
            return Response(refuse(problem))
        now = self.now()
        bank = await self._bank_async()

        def store(session: Session):
            group = self._group(session, actor)
            if group is None:
                return refuse(NO_GROUP)
            round_ = None
            if thread_ref:
                round_ = session.scalar(select(Round).where(Round.group_id == group.id, Round.thread_ref == thread_ref))
            round_ = round_ or self._current_round(session, group, round_id)
            if round_ is None:
                return refuse(NO_ROUND)
            question = bank.get(round_.question_id)
            if question is None:
                return refuse("This round's question is no longer in the bank; answers can't be taken for it.")
            member = self._member(session, group, actor, now)
            if message_ref:  # the platform delivered the same message again (a retry): store it once
                earlier = session.scalar(select(Answer).where(
                    Answer.round_id == round_.id, Answer.member_id == member.id, Answer.message_ref == message_ref,
                ).order_by(Answer.revision).limit(1))
                if earlier is not None:
                    return _again(earlier)
            revision = (session.scalar(
                select(func.max(Answer.revision)).where(Answer.round_id == round_.id, Answer.member_id == member.id, Answer.question_id == question.id)
            ) or 0) + 1
            dialect = None
            if isinstance(question, SqlQuestion):
                _, dialect = extract_sql(text, group.dialect)
            row = Answer(
                round_id=round_.id, member_id=member.id, question_id=question.id, revision=revision, text=text,
                dialect=dialect, late=round_.revealed_at is not None, via=via, message_ref=message_ref, created_at=now,
            )
            session.add(row)
            session.flush()
            if not isinstance(question, SqlQuestion):
                self._rescore(session, round_, member.id, bank)
            return row.id, question, group.dialect, round_.reveal_at, row.late, revision, group.timezone

        for attempt in range(3):
            try:
                stored = await self.db.run(store)
                break
            except IntegrityError:  # raced another revision, or another worker's copy of the message: again, which sees it
                if attempt == 2:
                    raise
        if isinstance(stored, Reply):
            return Response(stored)
        answer_id, question, dialect, reveal_at, late, revision, zone = stored
        if not isinstance(question, SqlQuestion):
            when = "It was after the reveal, so it counts as late practice." if late else f"Your last revision before the reveal ({format_local(reveal_at, zone)}) counts; peers review it after the reveal."
            return Response(Reply(text=f"Answer saved (revision {revision}). {when}", mark="received"))
        return await self._check_answer(answer_id, question, text, dialect)

    async def _check_answer(self, answer_id: int, question: SqlQuestion, text: str, dialect: str) -> Response:
        try:
            result = await self.checker.check(question.task(), text, dialect)
            verdict, message = result.verdict.value, result.message
        except TaskError as error:
            verdict, message = Verdict.ERROR.value, f"This question's check is broken ({error}); your answer is saved and will be checked when it is fixed."
        bank = await self._bank_async()

        def record(session: Session):
            row = session.get(Answer, answer_id)
            row.verdict, row.feedback = verdict, message
            round_ = session.get(Round, row.round_id)
            self._rescore(session, round_, row.member_id, bank)
            return row.revision, row.late

        revision, late = await self.db.run(record)
        correct = verdict == Verdict.CORRECT.value
        suffix = f" (revision {revision}" + (", late: practice points only)" if late else ")")
        return Response(Reply(text=message + suffix, mark="correct" if correct else "incorrect", ok=True))

    async def recheck_pending(self) -> int:
        """Check SQL answers stored but never checked (the bot stopped mid-check)."""
        def pending(session: Session):
            rows = session.execute(
                select(Answer.id, Answer.question_id, Answer.text, Group.dialect)
                .join(Round, Round.id == Answer.round_id).join(Group, Group.id == Round.group_id)
                .where(Answer.verdict.is_(None), Answer.dialect.is_not(None))
            ).all()
            return list(rows)

        rows = await self.db.run(pending)
        bank = await self._bank_async()
        for answer_id, question_id, text, dialect in rows:
            question = bank.get(question_id)
            if isinstance(question, SqlQuestion):
                await self._check_answer(answer_id, question, text, dialect)
        return len(rows)

    # ---- hints and the playground ------------------------------------------------------------

    async def hint(self, actor: Actor, round_id: int | None = None) -> Response:
        now = self.now()
        bank = await self._bank_async()

        def work(session: Session) -> Reply:
            group = self._group(session, actor)
            if group is None:
                return refuse(NO_GROUP)
            round_ = self._current_round(session, group, round_id)
            if round_ is None:
                return refuse(NO_ROUND)
            question = bank.get(round_.question_id)
            if question is None or not question.hints:
                return refuse("This question has no hints. The thread is a good place to ask.")
            member = self._member(session, group, actor, now)
            taken = session.scalar(select(func.count()).select_from(HintUse).where(HintUse.round_id == round_.id, HintUse.member_id == member.id, HintUse.question_id == question.id))
            if taken >= len(question.hints):
                return refuse(f"You have seen all {len(question.hints)} hints for this question.")
            session.add(HintUse(round_id=round_.id, member_id=member.id, question_id=question.id, hint_index=taken, created_at=now))
            cost = "" if round_.revealed_at else " (a hint taken before a correct answer costs 1 point)"
            return Reply(text=f"Hint {taken + 1} of {len(question.hints)}{cost}: {question.hints[taken]}")

        return Response(await self.db.run(work))

    async def run_sql(self, actor: Actor, sql: str, round_id: int | None = None) -> Response:
        if not sql.strip():
            return Response(refuse("Give the query to run, like `/study run SELECT * FROM orders`."))
        bank = await self._bank_async()

        def find(session: Session):
            group = self._group(session, actor)
            if group is None:
                return refuse(NO_GROUP)
            round_ = self._current_round(session, group, round_id)
            if round_ is None:
                return refuse(NO_ROUND)
            question = bank.get(round_.question_id)
            if not isinstance(question, SqlQuestion):
                return refuse("Today's question is not a SQL question, so there is no sample to run on.")
            return question, group.dialect

        found = await self.db.run(find)
        if isinstance(found, Reply):
            return Response(found)
        question, dialect = found
        try:
            result = await self.checker.run(question.task(), sql, dialect)
        except TaskError as error:
            return Response(refuse(f"The sample data of this question does not load ({error})."))
        if result.error:
            return Response(refuse(result.error))
        more = " (first rows only)" if result.truncated else ""
        table = TableBlock(result.columns, result.rows, caption=f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''} on the sample{more}", truncated=result.truncated)
        return Response(Reply(text="Ran on the visible sample (not graded).", sections=(table,)))

    # ---- the current round ------------------------------------------------------------------

    async def today(self, actor: Actor) -> Response:
        now = self.now()
        bank = await self._bank_async()

        def work(session: Session):
            group = self._group(session, actor)
            if group is None:
                return refuse(NO_GROUP)
            round_ = self._current_round(session, group)
            if round_ is None:
                return refuse(NO_ROUND)
            question = bank.get(round_.question_id)
            answered = session.scalar(select(func.count(func.distinct(Answer.member_id))).where(Answer.round_id == round_.id, Answer.question_id == round_.question_id))
            return question, round_.id, round_.reveal_at, round_.revealed_at, answered, group.timezone

        found = await self.db.run(work)
        if isinstance(found, Reply):
            return Response(found)
        question, round_id, reveal_at, revealed_at, answered, zone = found
        if revealed_at is not None:
            state = f"Revealed {format_local(revealed_at, zone)}; late answers count as practice, and peer review is open."
        else:
            left = reveal_at - now
            hours, minutes = divmod(int(left.total_seconds() // 60), 60)
            state = f"{hours} h {minutes} min until the reveal ({format_local(reveal_at, zone)})."
        post = await asyncio.to_thread(question_post, question, round_id, reveal_at, zone)
        return Response(Reply(title=post.title, text=post.text, sections=(*post.sections[:-1], f"{state} {answered} answered so far."), buttons=post.buttons))

    # ---- peer review -------------------------------------------------------------------------

    async def review(self, actor: Actor, round_id: int | None = None) -> Response:
        """Hand the member someone else's answer: the one with the fewest reviews first."""
        now = self.now()
        bank = await self._bank_async()

        def work(session: Session) -> Reply:
            group = self._group(session, actor)
            if group is None:
                return refuse(NO_GROUP)
            round_ = self._current_round(session, group, round_id)
            if round_ is None:
                return refuse(NO_ROUND)
            if round_.revealed_at is None:
                return refuse(f"Peer review opens at the reveal ({format_local(round_.reveal_at, group.timezone)}).")
            question = bank.get(round_.question_id)
            member = self._member(session, group, actor, now)
            target = self._next_to_review(session, round_, member.id)
            if target is None:
                return refuse("There is no answer left for you to review in this round (you can't review your own, or one twice).")
            author = session.get(Member, target.member_id)
            rubric = "\n".join(f"{i}. {p}" for i, p in enumerate(question.rubric, 1))
            return Reply(
                title=f"Review answer #{target.id} by {author.display_name}",
                text=f"Mark which rubric points this answer meets.\n\n**Rubric**\n{rubric}",
                sections=(_shown_answer(target), f"Send: `/study review {target.id} 1,3 optional comment` (or `none` if no point is met)."),
                review=ReviewForm(target.id, tuple(question.rubric)),
            )

        return Response(await self.db.run(work))

    @staticmethod
    def _next_to_review(session: Session, round_: Round, reviewer_id: int) -> Answer | None:
        latest = (
            select(Answer.member_id, func.max(Answer.revision).label("revision"))
            .where(Answer.round_id == round_.id, Answer.question_id == round_.question_id, Answer.member_id != reviewer_id)
            .group_by(Answer.member_id)
            .subquery()
        )
        reviews = (
            select(Review.author_id, func.count().label("n")).where(Review.round_id == round_.id).group_by(Review.author_id).subquery()
        )
        already = select(Review.author_id).where(Review.round_id == round_.id, Review.reviewer_id == reviewer_id)
        return session.scalar(
            select(Answer)
            .join(latest, (Answer.member_id == latest.c.member_id) & (Answer.revision == latest.c.revision))
            .outerjoin(reviews, reviews.c.author_id == Answer.member_id)
            .where(Answer.round_id == round_.id, Answer.question_id == round_.question_id, Answer.member_id.not_in(already))
            .order_by(func.coalesce(reviews.c.n, 0), Answer.created_at, Answer.id)
            .limit(1)
        )

    async def submit_review(self, actor: Actor, answer_id: int, points_met: list[int], comment: str = "") -> Response:
        """Record a review: rubric points are numbered from 1 as shown."""
        now = self.now()
        bank = await self._bank_async()

        def work(session: Session) -> Response:
            group = self._group(session, actor)
            if group is None:
                return Response(refuse(NO_GROUP))
            answer = session.get(Answer, answer_id)
            round_ = session.get(Round, answer.round_id) if answer else None
            if answer is None or round_.group_id != group.id:
                return Response(refuse(f"There is no answer #{answer_id} in this group. `/study review` gives you one to review."))
            if round_.revealed_at is None:
                return Response(refuse("Peer review opens at the reveal."))
            reviewer = self._member(session, group, actor, now)
            if answer.member_id == reviewer.id:
                return Response(refuse("You can't review your own answer. `/study review` gives you someone else's."))
            question = bank.get(answer.question_id)
            size = len(question.rubric) if question else 0
            bad = [p for p in points_met if not 1 <= p <= size]
            if bad:
                return Response(refuse(f"The rubric has points 1 to {size}; {', '.join(map(str, bad))} is not one of them."))
            exists = session.scalar(select(Review.id).where(Review.round_id == round_.id, Review.author_id == answer.member_id, Review.reviewer_id == reviewer.id))
            if exists:
                return Response(refuse("You have already reviewed this member's answer in this round."))
            try:
                with session.begin_nested():
                    session.add(Review(
                        round_id=round_.id, author_id=answer.member_id, reviewer_id=reviewer.id, answer_id=answer.id,
                        points_met=sorted(set(p - 1 for p in points_met)), rubric_size=size, comment=comment.strip() or None, created_at=now,
                    ))
            except IntegrityError:
                return Response(refuse("You have already reviewed this member's answer in this round."))
            self._rescore(session, round_, answer.member_id, bank)
            self._rescore(session, round_, reviewer.id, bank)
            author = session.get(Member, answer.member_id)
            met = len(set(points_met))
            note = f"{reviewer.display_name} reviewed your answer to “{question.title if question else answer.question_id}”: {met} of {size} rubric points met."
            if comment.strip():
                note += f"\n> {comment.strip()}"
            dm = Outbound(group.id, group.platform, group.channel_id, "dm", Reply(text=note), round_id=round_.id, user_id=author.user_id)
            return Response(Reply(text=f"Review saved: {met} of {size} points met. Thanks: reviewing earns points too."), (dm,))

        return await self.db.run(work)

    # ---- scores ------------------------------------------------------------------------------

    def _rescore(self, session: Session, round_: Round, member_id: int, bank: Bank) -> None:
        """Recompute one member's points in one round from the facts."""
        question = bank.get(round_.question_id)
        answers = session.scalars(
            select(Answer).where(Answer.round_id == round_.id, Answer.member_id == member_id, Answer.question_id == round_.question_id).order_by(Answer.revision)
        ).all()
        hints = sorted(session.scalars(
            select(HintUse.created_at).where(HintUse.round_id == round_.id, HintUse.member_id == member_id, HintUse.question_id == round_.question_id)
        ).all())
        attempts = [
            scoring.Attempt(
                correct=(a.verdict == Verdict.CORRECT.value) if a.dialect is not None else None,
                late=a.late,
                hints_before=sum(1 for h in hints if h <= a.created_at),
            )
            for a in answers
            if a.dialect is None or a.verdict is not None
        ]
        if isinstance(question, SqlQuestion):
            answer_points = scoring.sql_points(attempts)
        else:
            shares = [
                len(r.points_met) / r.rubric_size
                for r in session.scalars(select(Review).where(Review.round_id == round_.id, Review.author_id == member_id))
                if r.rubric_size
            ]
            answer_points = scoring.written_points(attempts, shares)
        given = session.scalar(select(func.count()).select_from(Review).where(Review.round_id == round_.id, Review.reviewer_id == member_id))
        for kind, points in (("answer", answer_points), ("review", scoring.review_points(given))):
            entry = session.scalar(select(ScoreEntry).where(ScoreEntry.round_id == round_.id, ScoreEntry.member_id == member_id, ScoreEntry.kind == kind))
            if entry is None and points:
                session.add(ScoreEntry(group_id=round_.group_id, round_id=round_.id, member_id=member_id, study_date=round_.study_date, kind=kind, points=points))
            elif entry is not None:
                entry.points = points

    async def leaderboard(self, actor: Actor, window: str = "week") -> Response:
        window = (window or "week").lower()
        if window not in ("week", "month", "all"):
            return Response(refuse(f"{window!r} is not a window; use week, month or all."))
        now = self.now()

        def work(session: Session) -> Reply:
            group = self._group(session, actor)
            if group is None:
                return refuse(NO_GROUP)
            rows, caption = leaderboard_rows(session, group, window, Calendar.of(group).today(now))
            if not rows:
                return Reply(text=f"No points yet {caption}.", private=False)
            return Reply(title=f"Leaderboard {caption}", sections=(standings_table(rows),), private=False)

        return Response(await self.db.run(work))

    async def stats(self, actor: Actor, name: str | None = None) -> Response:
        bank = await self._bank_async()

        def work(session: Session) -> Reply:
            group = self._group(session, actor)
            if group is None:
                return refuse(NO_GROUP)
            if name:
                member = session.scalar(select(Member).where(Member.group_id == group.id, func.lower(Member.display_name) == name.lstrip("@").lower()))
                if member is None:
                    return refuse(f"No member called {name!r} has answered in this group.")
            else:
                member = session.scalar(select(Member).where(Member.group_id == group.id, Member.user_id == actor.user_id))
                if member is None:
                    return refuse("You have not answered in this group yet, so there are no stats. Today's question: `/study today`.")
            return member_stats(session, group, member, bank)

        return Response(await self.db.run(work))

    async def history(self, actor: Actor, limit: int = 10) -> Response:
        bank = await self._bank_async()

        def work(session: Session) -> Reply:
            group = self._group(session, actor)
            if group is None:
                return refuse(NO_GROUP)
            rounds = session.scalars(select(Round).where(Round.group_id == group.id).order_by(Round.study_date.desc()).limit(limit)).all()
            if not rounds:
                return refuse(NO_ROUND)
            counts = dict(session.execute(
                select(Answer.round_id, func.count(func.distinct(Answer.member_id))).where(Answer.round_id.in_([r.id for r in rounds])).group_by(Answer.round_id)
            ).all())
            rows = []
            for r in rounds:
                q = bank.get(r.question_id)
                rows.append((r.study_date.isoformat(), q.title if q else r.question_id, q.category if q else "?", counts.get(r.id, 0), r.thread_ref or "-"))
            return Reply(title="Past rounds", sections=(TableBlock(("date", "question", "category", "answers", "thread"), tuple(rows)),))

        return Response(await self.db.run(work))

    async def _bank_async(self) -> Bank:
        return await asyncio.to_thread(self._bank)


def _again(answer: Answer) -> Reply:
    """The reply to a message already stored as an answer: nothing new (the first delivery was answered)."""
    verdict = f" {answer.feedback}" if answer.feedback else ""
    return Reply(text=f"Already received as revision {answer.revision}.{verdict}", repeated=True)


def _shown_answer(answer: Answer):
    """An answer as a reviewer reads it: SQL as a code block, prose as it was written."""
    if answer.dialect:
        return Code(extract_sql(answer.text, answer.dialect)[0], "sql")
    return answer.text
