"""Peer review: handing out someone else's answer, and recording a review against the rubric."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.grading import extract_sql
from bot.store import Answer, Member, Review, Round
from bot.store.db import insert_ignore

from . import scoring
from .core import Actor, Refused, StudyCore, outbound
from .group_settings import format_local
from .inputs import MAX_POINTS, InputError, read_id
from .ledger import hold, rescore
from .replies import Code, Reply, Response, ReviewForm, refuse

MAX_COMMENT = 1000  # characters of a review's comment kept for its author

def review_closes(round_: Round) -> dt.datetime | None:
    return round_.revealed_at + scoring.REVIEW_WINDOW if round_.revealed_at else None


def answers_under_review(session: Session, round_: Round) -> dict[int, Answer]:
    """Each member's answer that counts in a round: their last revision before the
    reveal, else (late practice only) their last one; answers to a skipped question never."""
    chosen: dict[int, Answer] = {}
    for answer in session.scalars(
        select(Answer).where(Answer.round_id == round_.id, Answer.question_id == round_.question_id).order_by(Answer.revision)
    ):
        current = chosen.get(answer.member_id)
        if current is None or not answer.late or current.late:
            chosen[answer.member_id] = answer
    return chosen


class ReviewVerbs(StudyCore):
    def _open_for_review(self, round_: Round, group, now: dt.datetime) -> None:
        if round_.revealed_at is None:
            raise Refused(f"Peer review opens at the reveal ({format_local(round_.reveal_at, group.timezone)}).")
        if now >= review_closes(round_):
            hours = scoring.REVIEW_WINDOW // dt.timedelta(hours=1)
            raise Refused(f"The review window of this round closed on {format_local(review_closes(round_), group.timezone)} ({hours} hours after its reveal), so its answers can no longer be reviewed; the next reveal opens a new window.")

    async def review(self, actor: Actor, round_id: int | None = None) -> Response:
        """Hand the member someone else's answer, without its author: the one with the fewest reviews first."""
        now = self.now()
        bank = await self.bank()

        def work(session: Session) -> Reply:
            group = self.group_of(session, actor)
            round_ = self.round_of(session, group, round_id)
            self._open_for_review(round_, group, now)
            question = bank.get(round_.question_id)
            member = self.member_of(session, group, actor, now)
            target = self._next_to_review(session, round_, member.id)
            if target is None:
                raise Refused("There is no answer left for you to review in this round (you can't review your own, or one twice).")
            rubric = "\n".join(f"{i}. {p}" for i, p in enumerate(question.rubric, 1))
            return Reply(
                title=f"Review answer #{target.id}",
                text=f"Mark which rubric points this answer meets. Whose it is, you see once your review is in.\n\n**Rubric**\n{rubric}",
                sections=(_shown_answer(target), f"Send: `/study review {target.id} 1,3 optional comment` (or `none` if no point is met)."),
                review=ReviewForm(target.id, tuple(question.rubric)),
            )

        return await self.transact(work)

    @staticmethod
    def _next_to_review(session: Session, round_: Round, reviewer_id: int) -> Answer | None:
        reviews = dict(session.execute(
            select(Review.author_id, func.count()).where(Review.round_id == round_.id).group_by(Review.author_id)
        ).all())
        already = set(session.scalars(select(Review.author_id).where(Review.round_id == round_.id, Review.reviewer_id == reviewer_id)))
        candidates = [a for m, a in answers_under_review(session, round_).items() if m != reviewer_id and m not in already]
        return min(candidates, key=lambda a: (reviews.get(a.member_id, 0), a.created_at, a.id), default=None)

    async def submit_review(self, actor: Actor, answer_id: int | str, points_met: list[int | str], comment: str = "") -> Response:
        """Record a review of the answer that counts: rubric points are numbered from 1 as shown.

        The answer id and points may come from a form's hidden fields as text: read here, once."""
        try:
            answer_id = read_id(str(answer_id))
            if len(points_met) > MAX_POINTS:
                raise InputError(f"{len(points_met)} rubric points; a rubric has at most {MAX_POINTS}")
            points_met = [read_id(str(p), "a rubric point") for p in points_met]
        except InputError as error:
            return Response(refuse(f"{error}. `/study review` gives you an answer to review."))
        comment = (comment or "")[:MAX_COMMENT]
        now = self.now()
        bank = await self.bank()

        def work(session: Session) -> Response:
            group = self.group_of(session, actor)
            answer = session.get(Answer, answer_id)
            round_ = session.get(Round, answer.round_id) if answer else None
            if answer is None or round_.group_id != group.id:
                raise Refused(f"There is no answer #{answer_id} in this group. `/study review` gives you one to review.")
            self._open_for_review(round_, group, now)
            if answer.question_id != round_.question_id:
                raise Refused(f"Answer #{answer_id} was to a question an admin replaced, so it is not reviewed. `/study review` gives you one to review.")
            counts = answers_under_review(session, round_).get(answer.member_id)
            if counts.id != answer.id:
                raise Refused(f"Answer #{answer_id} was revised; the revision that counts is #{counts.id}. `/study review` hands you answers as they stand.")
            reviewer = self.member_of(session, group, actor, now)
            if answer.member_id == reviewer.id:
                raise Refused("You can't review your own answer. `/study review` gives you someone else's.")
            question = bank.get(answer.question_id)
            size = len(question.rubric) if question else 0
            bad = [p for p in points_met if not 1 <= p <= size]
            if bad:
                raise Refused(f"The rubric has points 1 to {size}; {', '.join(map(str, bad))} is not one of them.")
            hold(session, [answer.member_id, reviewer.id])
            review = dict(
                round_id=round_.id, author_id=answer.member_id, reviewer_id=reviewer.id, answer_id=answer.id,
                points_met=sorted(set(p - 1 for p in points_met)), rubric_size=size, comment=comment.strip() or None, created_at=now,
            )
            if not insert_ignore(session, Review, review):
                raise Refused("You have already reviewed this member's answer in this round.")
            rescore(session, bank, round_, answer.member_id)
            rescore(session, bank, round_, reviewer.id)
            author = session.get(Member, answer.member_id)
            met = len(set(points_met))
            note = f"{reviewer.display_name} reviewed your answer to “{question.title if question else answer.question_id}”: {met} of {size} rubric points met."
            if comment.strip():
                note += f"\n> {comment.strip()}"
            dm = outbound(group, "dm", Reply(text=note), round_id=round_.id, user_id=author.user_id)
            return Response(Reply(text=f"Review saved: {met} of {size} points met in {author.display_name}'s answer. Thanks: reviewing earns points too."), (dm,))

        return await self.transact(work)


def _shown_answer(answer: Answer):
    """An answer as a reviewer reads it: SQL as a code block, prose as it was written."""
    if answer.dialect:
        return Code(extract_sql(answer.text, answer.dialect)[0], "sql")
    return answer.text
