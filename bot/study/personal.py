"""What a member's own loop shares: their sitting (an open practice question or mock),
the question in front of them, what practice must avoid, and checking their SQL.

A member has at most one open sitting (opened and closed under their member lock).
While it is open, their private `/study answer`, `/study hint` and `/study run`
act on its current question; the daily's thread and its buttons never do.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.bank import AnyQuestion, Bank, SqlQuestion
from bot.bank.present import sample_tables
from bot.grading import PLAYGROUND, TaskError, Verdict
from bot.store import DatabaseUnavailable, Group, Member, Practice, PracticeAnswer, PracticeItem, Progress, Round

from .answers import answer_problem
from .core import Actor, Refused
from .drill import Known
from .group_settings import Calendar, format_local
from .ledger import hold
from .picker import NoQuestions
from .progress import member_zone, refresh
from .replies import Button, Code, Reply, Response, TableBlock, refuse
from .rounds import RoundVerbs

TIMED_OUT_GRACE = dt.timedelta(minutes=10)  # answers this soon after a mock's time is up are refused, not taken as the daily's


class PersonalCore(RoundVerbs):
    def member_here(self, session: Session, actor: Actor, now: dt.datetime) -> tuple[Group, Member]:
        """The actor's group and member row, locked: their sitting changes one request at a time."""
        group = self.group_of(session, actor)
        member = self.member_of(session, group, actor, now)
        session.flush()
        hold(session, [member.id])
        return group, member

    @staticmethod
    def open_sitting(session: Session, member_id: int) -> Practice | None:
        return session.scalar(select(Practice).where(Practice.member_id == member_id, Practice.closed_at.is_(None)).order_by(Practice.id.desc()).limit(1))

    @staticmethod
    def items_of(session: Session, sitting: Practice) -> list[PracticeItem]:
        return list(session.scalars(select(PracticeItem).where(PracticeItem.practice_id == sitting.id).order_by(PracticeItem.position)))

    def current_item(self, session: Session, sitting: Practice) -> PracticeItem | None:
        """The question in front of the member while the sitting is open: a practice's
        one (tried until solved), a mock's last shown, until answered."""
        shown = [i for i in self.items_of(session, sitting) if i.shown_at is not None]
        if not shown or sitting.closed_at is not None:
            return None
        return shown[-1] if sitting.kind == "practice" or shown[-1].answered_at is None else None

    async def personal_target(self, actor: Actor) -> tuple[int, str] | None:
        """The sitting (id, kind) a private answer, hint or run goes to: the member's open
        one, or a mock whose time ran out moments ago (a late answer is refused, not misfiled)."""
        now = self.now()

        def find(session: Session) -> tuple[int, str] | None:
            group = self.find_group(session, actor)
            if group is None:
                return None
            member_id = session.scalar(select(Member.id).where(Member.group_id == group.id, Member.user_id == actor.user_id))
            if member_id is None:
                return None
            latest = session.scalar(select(Practice).where(Practice.member_id == member_id).order_by(Practice.id.desc()).limit(1))
            if latest is None:
                return None
            if latest.closed_at is None or (latest.closed_how == "timeout" and now - latest.closed_at < TIMED_OUT_GRACE):
                return latest.id, latest.kind
            return None

        try:
            return await self.db.run(find)
        except DatabaseUnavailable:
            return None  # the daily's verb says so

    def sitting_of(self, session: Session, member: Member, practice_id: int | None, now: dt.datetime) -> Practice:
        """The member's sitting a request names (a button's id), else their open one; refuse when none is open."""
        sitting = session.get(Practice, practice_id) if practice_id is not None else self.open_sitting(session, member.id)
        if sitting is None or sitting.member_id != member.id:
            raise Refused("You have no practice question open. `/study practice` gives you one; `/study mock` starts a mock interview.")
        if sitting.closed_at is not None:
            if sitting.closed_how == "timeout" or (sitting.ends_at and sitting.ends_at <= now):
                raise Refused(f"Time was up on your mock interview at {format_local(sitting.ends_at, member_zone_of(session, member))}, so this was not taken. Its report is in your messages.")
            raise Refused("That practice question is closed. `/study practice` gives you another.")
        if sitting.kind == "mock" and now >= sitting.ends_at:
            raise Refused(f"Time is up on your mock interview ({format_local(sitting.ends_at, member_zone_of(session, member))}), so this was not taken. Your report comes within a minute.")
        return sitting

    # ---- hints and the playground on the question in front of the member -----------------

    async def sitting_hint(self, actor: Actor, practice_id: int | None = None, number: int | None = None) -> Response:
        """The current question's next hint (free in practice, noted in a mock's report);
        with `number` (a button), that hint, taken once however often the click arrives."""
        now = self.now()
        bank = await self.bank()

        def work(session: Session) -> Reply:
            _, member = self.member_here(session, actor, now)
            sitting = self.sitting_of(session, member, practice_id, now)
            item = self.current_item(session, sitting)
            question = bank.get(item.question_id) if item else None
            if question is None or not question.hints:
                raise Refused("This question has no hints. Try `/study run` on the sample, or `/study practice next` for another.")
            total = len(question.hints)
            wanted = item.hints_taken + 1 if number is None else max(1, min(number, item.hints_taken + 1))
            if wanted > total:
                raise Refused(f"You have seen all {total} hints for this question.")
            item.hints_taken = max(item.hints_taken, wanted)
            cost = "free in practice" if sitting.kind == "practice" else "noted in your report"
            more = (Button("practice-hint", f"Hint {wanted + 1} of {total}", sitting.id, number=wanted + 1),) if wanted < total else ()
            return Reply(text=f"Hint {wanted} of {total} ({cost}): {question.hints[wanted - 1]}", buttons=more)

        return await self.transact(work)

    async def sitting_run(self, actor: Actor, sql: str, practice_id: int | None = None) -> Response:
        """Run SQL on the current question's visible sample (never graded)."""
        if problem := answer_problem(sql):
            return Response(refuse(problem.replace("Your answer", "Your query").replace("/study answer", "/study run")))
        now = self.now()
        bank = await self.bank()

        def find(session: Session):
            group, member = self.member_here(session, actor, now)
            item = self.current_item(session, self.sitting_of(session, member, practice_id, now))
            question = bank.get(item.question_id) if item else None
            if not isinstance(question, SqlQuestion):
                raise Refused("The question in front of you is not a SQL question, so there is no sample to run on.")
            return question, group.dialect

        found = await self.transact(find)
        if isinstance(found, Response):
            return found
        question, dialect = found
        try:
            member = (actor.platform, actor.workspace_id, actor.user_id)
            result = await self.checker.run(question.task(), sql, dialect, member=member, lane=PLAYGROUND)
        except TaskError as error:
            return Response(refuse(f"The sample data of this question does not load ({error})."))
        if result.error:
            return Response(refuse(result.error))
        rows = f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''} on the sample" + (" (first rows only)" if result.truncated else "")
        return Response(Reply(text="Ran on the visible sample (not graded).", sections=(TableBlock(result.columns, result.rows, caption=rows, truncated=result.truncated),)))

    # ---- what practice avoids and knows ---------------------------------------------------

    def dailies_to_avoid(self, session: Session, group: Group, bank: Bank, now: dt.datetime) -> set[str]:
        """The group's questions still to be revealed, and the one its next post will ask."""
        avoid = set(session.scalars(select(Round.question_id).where(Round.group_id == group.id, Round.revealed_at.is_(None))))
        calendar = Calendar.of(group)
        upcoming = calendar.next_post(now)
        if upcoming is not None and group.active:
            day = calendar.today(upcoming)
            if not self._has_round_on(session, group, day):
                try:
                    avoid.add(self._pick(session, group, bank, today=day)[0].id)
                except NoQuestions:
                    pass
        return avoid

    @staticmethod
    def _has_round_on(session: Session, group: Group, day: dt.date) -> bool:
        return session.scalar(select(Round.id).where(Round.group_id == group.id, Round.study_date == day)) is not None

    @staticmethod
    def known(session: Session, member_id: int) -> dict[str, Known]:
        rows = session.execute(select(Progress.question_id, Progress.step, Progress.due_at, Progress.mastered).where(Progress.member_id == member_id))
        return {q: Known(step, due, mastered) for q, step, due, mastered in rows}

    @staticmethod
    def shown(session: Session, member_id: int) -> set[str]:
        return set(session.scalars(select(PracticeItem.question_id).where(PracticeItem.member_id == member_id).distinct()))

    @staticmethod
    def close(session: Session, sitting: Practice, how: str, now: dt.datetime) -> bool:
        """Close a sitting once (a sweep and a member may race): True for the one that closed it."""
        closed = session.execute(
            update(Practice).where(Practice.id == sitting.id, Practice.closed_at.is_(None)).values(closed_at=now, closed_how=how)
        ).rowcount
        session.refresh(sitting)
        return bool(closed)

    # ---- checking a practice SQL answer -------------------------------------------------------

    async def check_practice(
        self, answer_id: int, question: SqlQuestion, text: str, dialect: str, member_id: int, on_slow=None,
    ) -> tuple[str, str, bool]:
        """Check and record a verdict: (verdict, feedback, solved: the sitting closed with it).
        `member_id` takes the member's turn in the checker, as their daily answers do."""
        try:
            result = await self.checker.check(question.task(), text, dialect, member=member_id, on_slow=on_slow)
            verdict, message = result.verdict.value, result.message
        except TaskError as error:
            verdict, message = Verdict.ERROR.value, f"This question's check is broken ({error}); your answer is saved and will be checked when it is fixed."
        now = self.now()

        def record(session: Session) -> bool:
            row = session.get(PracticeAnswer, answer_id)
            row.verdict, row.feedback = verdict, message
            item = session.get(PracticeItem, row.item_id)
            sitting = session.get(Practice, item.practice_id)
            solved = sitting.kind == "practice" and verdict == Verdict.CORRECT.value and self.close(session, sitting, "solved", now)
            refresh(session, item.member_id, item.question_id)
            return solved

        try:
            solved = await self.db.run(record)
        except DatabaseUnavailable:
            message += " The database stopped answering before this verdict was recorded; your answer is saved and will be checked again."
            solved = False
        return verdict, message, solved

    async def recheck_pending(self, older_than: dt.timedelta | None = None) -> int:
        """The daily's unchecked answers (AnswerVerbs), then practice answers left unchecked."""
        count = await super().recheck_pending(older_than)
        stored_before = self.now() - older_than if older_than else None

        def pending(session: Session):
            query = (
                select(PracticeAnswer.id, PracticeItem.question_id, PracticeAnswer.text, PracticeAnswer.dialect, PracticeItem.member_id)
                .join(PracticeItem, PracticeItem.id == PracticeAnswer.item_id)
                .join(Member, Member.id == PracticeItem.member_id).join(Group, Group.id == Member.group_id)
                .where(PracticeAnswer.verdict.is_(None), PracticeAnswer.dialect.is_not(None))
            )
            if stored_before is not None:
                query = query.where(PracticeAnswer.created_at <= stored_before)
            return list(session.execute(self.served(query)).all())

        rows = await self.db.run(pending)
        bank = await self.bank()
        for answer_id, question_id, text, dialect, member_id in rows:
            question = bank.get(question_id)
            if isinstance(question, SqlQuestion):
                await self.check_practice(answer_id, question, text, dialect, member_id)
        return count + len(rows)


def member_zone_of(session: Session, member: Member) -> str:
    return member_zone(session, member.id)


def private_question(question: AnyQuestion, heading: str, note: str = "", footer: str = "", buttons: tuple[Button, ...] = ()) -> Reply:
    """A question shown to one member (blocking for SQL: the sample is rendered by DuckDB)."""
    sections: list = []
    if isinstance(question, SqlQuestion):
        sections.append(Code(question.schema_sql.strip(), "sql"))
        for table in sample_tables(question):
            sections.append(TableBlock(table.columns, table.rows, caption=f"{table.name} (sample)"))
    if footer:
        sections.append(footer)
    text = question.prompt.strip()
    if note:
        text = f"_{note}_\n\n{text}"
    return Reply(title=f"{heading}: {question.title} · {question.category} · {question.difficulty}", text=text, sections=tuple(sections), buttons=buttons)


def rubric_text(question: AnyQuestion) -> str:
    return "\n".join(f"{i}. {point}" for i, point in enumerate(question.rubric, 1))
