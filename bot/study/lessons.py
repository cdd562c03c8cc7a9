"""Feedback that teaches, after the reveal: the known mistake a member's answer made.

A SQL question lists the wrong answers real candidates write, each with its `why`.
When a member's answer that counts was wrong and gives the same result as one of
them on every dataset, the member is told that mistake privately at the reveal: never
before it, and never with the hidden data. A match is a check of the member's answer
against a task whose reference is the wrong answer, in the same sandbox.
"""

from __future__ import annotations

import asyncio
import dataclasses

from sqlalchemy.orm import Session

from bot.bank import Bank, SqlQuestion
from bot.grading import PLAYGROUND, TaskError, Verdict, extract_sql
from bot.store import Group, Member, Round

from .core import StudyCore, outbound
from .replies import Outbound, Reply
from .reviews import answers_under_review


class LessonWork(StudyCore):
    async def known_mistakes(self, round_ids: list[int], bank: Bank) -> list[Outbound]:
        """A private note for each member whose wrong answer repeats a listed mistake."""
        if not round_ids:
            return []

        def wrong_answers(session: Session) -> list[tuple]:
            found = []
            for round_id in round_ids:
                round_ = session.get(Round, round_id)
                question = bank.get(round_.question_id)
                if not isinstance(question, SqlQuestion):
                    continue
                group = session.get(Group, round_.group_id)
                for member_id, answer in answers_under_review(session, round_).items():
                    if answer.verdict == Verdict.INCORRECT.value and not answer.late:
                        found.append((group, round_.id, question, member_id, session.get(Member, member_id).user_id, answer.text, answer.dialect))
            return found

        pending = await self.db.run(wrong_answers)
        notes = await asyncio.gather(*(self._mistake_of(question, text, dialect, member_id) for _, _, question, member_id, _, text, dialect in pending))
        return [
            outbound(group, "dm", Reply(text=(
                f"About your answer to “{question.title}”: on every dataset it returns what a classic mistake returns. "
                f"{why[0].upper()}{why[1:]}. The model answer is in the thread."
            )), round_id=round_id, user_id=user_id)
            for (group, round_id, question, _, user_id, _, _), why in zip(pending, notes) if why
        ]

    async def _mistake_of(self, question: SqlQuestion, text: str, dialect: str, member_id: int) -> str | None:
        """The known mistake the answer matches, if any: checked in the playground lane, after
        every member's own answers, and in the member's turn."""
        for wrong in question.wrong_answers:
            sql, wrong_dialect = extract_sql(wrong.sql, "duckdb")
            if wrong_dialect != "duckdb":
                continue  # a reference runs as DuckDB SQL: a fenced one is not comparable here
            try:
                result = await self.checker.check(dataclasses.replace(question.task(), solution=sql), text, dialect, member=member_id, lane=PLAYGROUND)
            except TaskError:
                continue
            if result.verdict is Verdict.CORRECT:
                return wrong.why.rstrip(".")
        return None
