"""Mock interviews: a timed, private set shaped like a track's interview loop, and its report.

`/study mock [track] [minutes]` chooses one question per slot of the track's loop
(`LOOPS`, the one table of them; the practice chooser picks each, due questions
first) and shows them one at a time with the clock. Answers are collected as they
come (SQL is checked, its verdict kept for the report); `mock next` skips a question,
`mock stop` ends early. When the last question is answered, the member stops, or the
time is up (the core closes it on the clock, in `run_due`, and sends the report as a
DM), the report gives the SQL verdicts, each written answer beside its rubric for
self-review, the time spent on each question and what to practise next. Questions
missed or left unanswered join the repetition schedule.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.bank import Bank, SqlQuestion
from bot.grading import Verdict
from bot.store import Group, Member, Practice, PracticeAnswer, PracticeItem

from . import drill
from .answers import answer_problem
from .core import Actor, Refused
from .group_settings import format_local
from .inputs import InputError, read_choices, read_minutes
from .personal import private_question, rubric_text
from .practice import PracticeVerbs
from .progress import mastery, member_zone, refresh, weakest
from .replies import Outbound, Reply, Response, TableBlock, refuse

# track: the categories of its loop, in order, and the default time limit in minutes
LOOPS = {
    "product-analytics": (("sql", "sql", "experimentation", "product-metrics"), 60),
    "data-analytics": (("sql", "sql", "statistics", "product-metrics"), 60),
    "data-science": (("sql", "statistics", "experimentation", "ml"), 60),
    "ml-engineering": (("sql", "ml", "ml-system-design"), 45),
    "ml-research": (("statistics", "ml", "ml", "python"), 60),
}
DEFAULT_TRACK = "product-analytics"


def minutes(delta: dt.timedelta) -> int:
    return max(0, round(delta.total_seconds() / 60))


class MockVerbs(PracticeVerbs):
    async def mock(self, actor: Actor, track: str | None = None, limit: int | str | None = None) -> Response:
        """Start a mock interview of `track` (default: the group's first, else DEFAULT_TRACK)
        lasting `limit` minutes (default: the track's); while one is open, show where it stands."""
        try:
            tracks = read_choices(track, tuple(LOOPS), "track") if track is not None else []
            if len(tracks) > 1:
                raise InputError("one track at a time")
            limit = read_minutes(str(limit)) if limit is not None else None
        except InputError as error:
            return Response(refuse(f"{error}. Start one like `/study mock product-analytics 45`."))
        track = tracks[0] if tracks else None
        now = self.now()
        bank = await self.bank()

        def work(session: Session):
            group, member = self.member_here(session, actor, now)
            sitting = self.open_sitting(session, member.id)
            if sitting is not None and sitting.kind == "mock":
                return sitting.id, "Your mock interview is under way."
            chosen_track = track or (group.tracks[0] if group.tracks else DEFAULT_TRACK)
            slots, default = LOOPS[chosen_track]
            questions = self._loop_questions(session, bank, group, member, chosen_track, slots, now)
            if not questions:
                raise Refused(f"The bank has no question left for a {chosen_track} mock (you may have mastered them). Try another track: {', '.join(LOOPS)}.")
            if sitting is not None:
                self.close(session, sitting, "replaced", now)
            opened = Practice(member_id=member.id, kind="mock", track=chosen_track, topic=chosen_track, opened_at=now,
                              ends_at=now + dt.timedelta(minutes=limit or default))
            session.add(opened)
            session.flush()
            for position, question in enumerate(questions):
                session.add(PracticeItem(practice_id=opened.id, member_id=member.id, position=position, question_id=question.id,
                                         shown_at=now if position == 0 else None, hints_taken=0))
            loop = ", ".join(q.category for q in questions)
            return opened.id, f"Mock interview, {chosen_track}: {len(questions)} questions like its loop ({loop}), {limit or default} minutes."

        found = await self.transact(work)
        if isinstance(found, Response):
            return found
        return Response(await self._current_view(*found))

    def _loop_questions(self, session: Session, bank: Bank, group, member: Member, track: str, slots, now: dt.datetime) -> list:
        known, shown = self.known(session, member.id), self.shown(session, member.id)
        avoid = self.dailies_to_avoid(session, group, bank, now)
        chosen: list = []
        for i, category in enumerate(slots):
            exclude = avoid | {q.id for q in chosen}
            seed = f"mock:{member.id}:{len(shown)}:{i}"
            found = (drill.choose(bank, [(drill.CATEGORY, category), (drill.TRACK, track)], known, now, exclude=exclude, shown=shown, seed=seed)
                     or drill.choose(bank, [(drill.CATEGORY, category)], known, now, exclude=exclude, shown=shown, seed=seed))
            if found is not None:
                chosen.append(found[0])
        return chosen

    async def _current_view(self, practice_id: int, lead: str) -> Reply:
        """The question in front of the member, with the clock."""
        bank = await self.bank()

        def read(session: Session):
            sitting = session.get(Practice, practice_id)
            items = self.items_of(session, sitting)
            item = self.current_item(session, sitting)
            zone = member_zone(session, sitting.member_id)
            return sitting.ends_at, zone, item, len(items)

        ends_at, zone, item, total = await self.db.run(read)
        question = bank.get(item.question_id)
        left = minutes(ends_at - self.now())
        clock = f"⏱ {left} min left (ends {format_local(ends_at, zone)})."
        footer = f"{clock} Answer with `/study answer …`; `/study mock next` skips this question, `/study mock stop` ends the interview."
        heading = f"Mock {item.position + 1} of {total}"
        return await asyncio.to_thread(private_question, question, heading, lead, footer)

    async def mock_answer(self, actor: Actor, text: str, practice_id: int | None = None) -> Response:
        text = (text or "").strip()
        if problem := answer_problem(text):
            return Response(refuse(problem))
        now = self.now()
        bank = await self.bank()

        def store(session: Session):
            group, member = self.member_here(session, actor, now)
            sitting = self.sitting_of(session, member, practice_id, now)
            item = self.current_item(session, sitting)
            question = bank.get(item.question_id) if item else None
            if question is None:
                raise Refused("This question is no longer in the bank. `/study mock next` moves on.")
            row = self.store_answer(session, item, question, text, group.dialect, now)
            finished = self._advance(session, sitting, now)
            return row.id, question, row.dialect, sitting.id, minutes(now - item.shown_at), finished, member.id, group

        for attempt in range(3):
            try:
                stored = await self.transact(store)
                break
            except IntegrityError:
                if attempt == 2:
                    raise
        if isinstance(stored, Response):
            return stored
        answer_id, question, dialect, practice_id, took, finished, member_id, group = stored
        if isinstance(question, SqlQuestion):
            await self.check_practice(answer_id, question, text, dialect, member_id, self.taking_long(group, actor.user_id))  # the verdict waits for the report
        if finished:
            return Response(await self.db.run(lambda session: self._report(session, bank, session.get(Practice, practice_id))))
        return Response(await self._current_view(practice_id, f"Answer collected ({took} min on it). Next:"))

    def _advance(self, session: Session, sitting: Practice, now: dt.datetime) -> bool:
        """Show the next question; when there is none, finish the mock. True when finished."""
        following = next((i for i in self.items_of(session, sitting) if i.shown_at is None), None)
        if following is not None:
            following.shown_at = now
            return False
        self._finish(session, sitting, "finished", now)
        return True

    def _finish(self, session: Session, sitting: Practice, how: str, now: dt.datetime) -> bool:
        if not self.close(session, sitting, how, now):
            return False
        for item in self.items_of(session, sitting):  # what was missed or left unanswered joins the schedule
            if item.shown_at is not None:
                refresh(session, sitting.member_id, item.question_id)
        return True

    async def mock_next(self, actor: Actor) -> Response:
        """Skip the question in front of the member (a miss, once the mock ends)."""
        now = self.now()
        bank = await self.bank()

        def work(session: Session):
            _, member = self.member_here(session, actor, now)
            sitting = self._open_mock(session, member, now)
            if self._advance(session, sitting, now):
                return Response(self._report(session, bank, sitting))
            return sitting.id

        found = await self.transact(work)
        return found if isinstance(found, Response) else Response(await self._current_view(found, "Skipped. Next:"))

    async def mock_stop(self, actor: Actor) -> Response:
        now = self.now()
        bank = await self.bank()

        def work(session: Session) -> Reply:
            _, member = self.member_here(session, actor, now)
            sitting = self._open_mock(session, member, now)
            self._finish(session, sitting, "stopped", now)
            return self._report(session, bank, sitting)

        return await self.transact(work)

    def _open_mock(self, session: Session, member: Member, now: dt.datetime) -> Practice:
        sitting = self.open_sitting(session, member.id)
        if sitting is None or sitting.kind != "mock":
            raise Refused("You have no mock interview under way. `/study mock [track] [minutes]` starts one.")
        return self.sitting_of(session, member, sitting.id, now)

    # ---- time up -------------------------------------------------------------------------------

    def due_mock_reports(self, session: Session, bank: Bank, now: dt.datetime, size: int) -> list[Outbound]:
        """Close up to `size` mocks whose time is up, each once, and DM their reports."""
        out = []
        due = self.served(
            select(Practice, Member, Group).join(Member, Member.id == Practice.member_id).join(Group, Group.id == Member.group_id)
            .where(Practice.closed_at.is_(None), Practice.ends_at <= now)
        )
        for sitting, member, group in session.execute(due.order_by(Practice.ends_at, Practice.id).limit(size)).all():
            if self._finish(session, sitting, "timeout", sitting.ends_at):
                report = self._report(session, bank, sitting)
                out.append(Outbound(group.id, group.platform, group.channel_id, "dm", report, user_id=member.user_id))
        return out

    # ---- the report ----------------------------------------------------------------------------

    def _report(self, session: Session, bank: Bank, sitting: Practice) -> Reply:
        items = self.items_of(session, sitting)
        answers: dict[int, PracticeAnswer] = {}
        for answer in session.scalars(select(PracticeAnswer).where(PracticeAnswer.item_id.in_([i.id for i in items])).order_by(PracticeAnswer.revision)):
            answers.setdefault(answer.item_id, answer)
        end = sitting.closed_at or sitting.ends_at
        rows, written, missed = [], [], []
        sql_total = sql_correct = 0
        for n, item in enumerate(items):
            question = bank.get(item.question_id)
            title = question.title if question else item.question_id
            answer = answers.get(item.id)
            if item.shown_at is None:
                rows.append((n + 1, title, question.category if question else "?", "-", "not reached"))
                continue
            later = next((i.shown_at for i in items[n + 1:] if i.shown_at is not None), None)
            spent = minutes((item.answered_at or later or end) - item.shown_at)
            if answer is None:
                result = "not answered"
                missed.append(question)
            elif answer.dialect is not None:
                sql_total += 1
                sql_correct += answer.verdict == Verdict.CORRECT.value
                result = answer.verdict or "not checked yet"
                if answer.verdict != Verdict.CORRECT.value:
                    missed.append(question)
                    written.append(f"**{n + 1}. {title}**: {answer.feedback or result}")
            else:
                result = "written: self-review below"
                written.append(
                    f"**{n + 1}. {title}**\nYour answer:\n> " + answer.text.strip().replace("\n", "\n> ")
                    + f"\n**Rubric**\n{rubric_text(question)}\nTick what you met: `/study practice mark {item.id} 1,3` (or `none`)."
                )
            hints = f", {item.hints_taken} hint{'s' if item.hints_taken != 1 else ''}" if item.hints_taken else ""
            rows.append((n + 1, title, question.category if question else "?", f"{spent} min", result + hints))
        used = minutes(end - sitting.opened_at)
        limit = minutes(sitting.ends_at - sitting.opened_at)
        how = {"timeout": "Time was up.", "stopped": "You ended it early.", "finished": "You answered every question."}.get(sitting.closed_how or "", "")
        text = f"{how} Time used: {used} of {limit} min. SQL: {sql_correct} of {sql_total} correct."
        if any(q is not None for q in missed):
            text += f" {len(missed)} missed or unanswered: they join your repetition schedule (`/study due`)."
        sections = [TableBlock(("#", "question", "category", "time", "result"), tuple(rows)), *written, self._next_step(session, bank, sitting, missed)]
        return Reply(title=f"Mock interview report: {sitting.track}", text=text, sections=tuple(sections))

    @staticmethod
    def _next_step(session: Session, bank: Bank, sitting: Practice, missed: list) -> str:
        topics = Counter(t for q in missed if q is not None for t in (q.tags[:1] or (q.category,)))
        if topics:
            topic = min(topics, key=lambda t: (-topics[t], t))
            return f"Practise next: `/study practice {topic}`."
        scores = weakest(mastery(session, bank, sitting.member_id))
        if scores:
            return f"Practise next: your weakest topic, {scores[0].name} (`/study practice weak`)."
        return f"Practise next: another loop, `/study mock {sitting.track}`, or `/study practice hard`."
