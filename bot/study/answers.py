"""Answers and checks: storing an answer before acknowledging it, checking SQL, hints, the playground."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.bank import Bank, SqlQuestion
from bot.grading import PLAYGROUND, TaskError, Verdict, extract_sql
from bot.store import Answer, DatabaseUnavailable, Group, HintUse, Round

from .core import Actor, Refused, StudyCore
from .group_settings import format_local
from .ledger import RAN, hold, rescore
from .replies import Button, Reply, Response, TableBlock, refuse

MAX_ANSWER_CHARS = 4000
EDITED_LATE = (
    "You edited your answer after the reveal, so the edit does not count: what you sent before the reveal stands. "
    "A new message in the thread counts as late practice."
)


def answer_problem(text: str) -> str | None:
    """Why an answer's text can't be taken (empty, too long), or None: for forms to check inline."""
    text = (text or "").strip()
    if not text:
        return "Your answer is empty. Write it after the verb, like `/study answer SELECT …`, or in the thread."
    if len(text) > MAX_ANSWER_CHARS:
        return f"Your answer is {len(text):,} characters; the limit is {MAX_ANSWER_CHARS:,}. Trim it and send it again."
    return None


class AnswerVerbs(StudyCore):
    async def answer(
        self, actor: Actor, text: str, via: str = "private", thread_ref: str | None = None,
        message_ref: str | None = None, round_id: int | None = None, edited: bool = False,
    ) -> Response:
        """Store an answer (before acknowledging it), check SQL at once, rescore.

        `edited`: the member edited a message of theirs in the thread; before the reveal
        the new text is a revision, after it the edit changes nothing."""
        text = (text or "").strip()
        problem = answer_problem(text)
        if problem:
            return Response(refuse(problem))
        now = self.now()
        bank = await self.bank()

        def store(session: Session):
            group = self.group_of(session, actor)
            round_ = None
            if thread_ref:
                round_ = session.scalar(select(Round).where(Round.group_id == group.id, Round.thread_ref == thread_ref))
            round_ = round_ or self.round_of(session, group, round_id)
            question = bank.get(round_.question_id)
            if question is None:
                raise Refused("This round's question is no longer in the bank; answers can't be taken for it.")
            if edited and round_.revealed_at is not None:
                raise Refused(EDITED_LATE)
            member = self.member_of(session, group, actor, now)
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
                rescore(session, bank, round_, member.id)
            return row.id, question, group.dialect, round_.reveal_at, row.late, revision, group.timezone, member.id, group

        for attempt in range(3):
            try:
                stored = await self.transact(store)
                break
            except IntegrityError:  # raced another revision, or another worker's copy of the message: again, which sees it
                if attempt == 2:
                    raise
        if isinstance(stored, Response):
            return stored
        answer_id, question, dialect, reveal_at, late, revision, zone, member_id, group = stored
        if not isinstance(question, SqlQuestion):
            when = "It was after the reveal, so it counts as late practice." if late else f"Your last revision before the reveal ({format_local(reveal_at, zone)}) counts; peers review it after the reveal."
            return Response(Reply(text=f"Answer saved (revision {revision}). {when}", mark="received"))
        return await self._check_answer(answer_id, question, text, dialect, member_id, bank, on_slow=self.taking_long(group, actor.user_id))

    async def _check_answer(
        self, answer_id: int, question: SqlQuestion, text: str, dialect: str, member_id: int, bank: Bank, on_slow=None,
    ) -> Response:
        """Check a stored answer and record its verdict, scored with `bank` (the caller's:
        one look at the bank's files an answer). Members take turns in the checker, so one
        member's many answers delay only them."""
        try:
            result = await self.checker.check(question.task(), text, dialect, member=member_id, on_slow=on_slow)
            verdict, message = result.verdict.value, result.message
        except TaskError as error:
            verdict, message = Verdict.ERROR.value, f"This question's check is broken ({error}); your answer is saved and will be checked when it is fixed."

        def record(session: Session):
            row = session.get(Answer, answer_id)
            row.verdict, row.feedback = verdict, message
            rescore(session, bank, session.get(Round, row.round_id), row.member_id)
            return row.revision, row.late

        try:
            revision, late = await self.db.run(record)
        except DatabaseUnavailable:  # stored, but its verdict could not be: checked again later
            return Response(Reply(text=f"{message} The database stopped answering before this verdict was recorded; your answer is saved and will be checked again.", mark="received"))
        suffix = f" (revision {revision}" + (", late: practice points only)" if late else ")")
        if verdict not in RAN and not late:
            suffix += " It did not run to a result, so it is not a wrong try: only a query that runs and returns the wrong rows costs points."
        # Before the reveal the thread's mark never says right or wrong: that would be a spoiler.
        mark = ("correct" if verdict == Verdict.CORRECT.value else "incorrect") if late else "received"
        return Response(Reply(text=message + suffix, mark=mark, ok=True))

    async def recheck_pending(self, older_than: dt.timedelta | None = None) -> int:
        """Check SQL answers stored but never checked (the bot stopped mid-check, or the
        database went away before the verdict was recorded); with `older_than`, only
        answers stored that long ago, so a check still in flight is left alone."""
        stored_before = self.now() - older_than if older_than else None

        def pending(session: Session):
            query = (
                select(Answer.id, Answer.question_id, Answer.text, Group.dialect, Answer.member_id)
                .join(Round, Round.id == Answer.round_id).join(Group, Group.id == Round.group_id)
                .where(Answer.verdict.is_(None), Answer.dialect.is_not(None))
            )
            if stored_before is not None:
                query = query.where(Answer.created_at <= stored_before)
            return list(session.execute(self.served(query)).all())

        rows = await self.db.run(pending)
        bank = await self.bank()
        for answer_id, question_id, text, dialect, member_id in rows:
            question = bank.get(question_id)
            if isinstance(question, SqlQuestion):
                await self._check_answer(answer_id, question, text, dialect, member_id, bank)
        return len(rows)

    async def hint(self, actor: Actor, round_id: int | None = None, number: int | None = None) -> Response:
        """The next hint; with `number` (a Hint button), hint `number`, taken only once
        however often the click arrives. Each reply offers the next one as a button."""
        now = self.now()
        bank = await self.bank()

        def work(session: Session) -> Reply:
            group = self.group_of(session, actor)
            round_ = self.round_of(session, group, round_id)
            question = bank.get(round_.question_id)
            if question is None or not question.hints:
                raise Refused("This question has no hints. The thread is a good place to ask.")
            member = self.member_of(session, group, actor, now)
            hold(session, [member.id])  # two clicks at once: the second sees the first's hint
            taken = session.scalar(select(func.count()).select_from(HintUse).where(HintUse.round_id == round_.id, HintUse.member_id == member.id, HintUse.question_id == question.id))
            total = len(question.hints)
            wanted = taken + 1 if number is None else max(1, min(number, taken + 1))
            if wanted > total:
                raise Refused(f"You have seen all {total} hints for this question.")
            cost = ""
            if wanted > taken:
                session.add(HintUse(round_id=round_.id, member_id=member.id, question_id=question.id, hint_index=taken, created_at=now))
                cost = "" if round_.revealed_at else " (a hint taken before a correct answer costs 1 point)"
            more = (Button("hint", f"Hint {wanted + 1} of {total}", round_.id, number=wanted + 1),) if wanted < total else ()
            return Reply(text=f"Hint {wanted} of {total}{cost}: {question.hints[wanted - 1]}", buttons=more)

        return await self.transact(work)

    async def run_sql(self, actor: Actor, sql: str, round_id: int | None = None) -> Response:
        if not (sql or "").strip():
            return Response(refuse("Give the query to run, like `/study run SELECT * FROM orders`."))
        if problem := answer_problem(sql):
            return Response(refuse(problem.replace("Your answer", "Your query")))
        bank = await self.bank()

        def find(session: Session):
            group = self.group_of(session, actor)
            question = bank.get(self.round_of(session, group, round_id).question_id)
            if not isinstance(question, SqlQuestion):
                raise Refused("Today's question is not a SQL question, so there is no sample to run on.")
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
        more = " (first rows only)" if result.truncated else ""
        table = TableBlock(result.columns, result.rows, caption=f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''} on the sample{more}", truncated=result.truncated)
        return Response(Reply(text="Ran on the visible sample (not graded).", sections=(table,)))


def _again(answer: Answer) -> Reply:
    """The reply to a message already stored as an answer: nothing new (the first delivery was answered)."""
    verdict = f" {answer.feedback}" if answer.feedback else ""
    return Reply(text=f"Already received as revision {answer.revision}.{verdict}", repeated=True)
