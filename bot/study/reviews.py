"""Peer review: handing out someone else's answer, and recording a review against the rubric."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.grading import extract_sql
from bot.store import Answer, Member, Review, Round

from .core import Actor, Refused, StudyCore
from .group_settings import format_local
from .ledger import hold, rescore
from .replies import Code, Outbound, Reply, Response, ReviewForm


class ReviewVerbs(StudyCore):
    async def review(self, actor: Actor, round_id: int | None = None) -> Response:
        """Hand the member someone else's answer: the one with the fewest reviews first."""
        now = self.now()
        bank = await self.bank()

        def work(session: Session) -> Reply:
            group = self.group_of(session, actor)
            round_ = self.round_of(session, group, round_id)
            if round_.revealed_at is None:
                raise Refused(f"Peer review opens at the reveal ({format_local(round_.reveal_at, group.timezone)}).")
            question = bank.get(round_.question_id)
            member = self.member_of(session, group, actor, now)
            target = self._next_to_review(session, round_, member.id)
            if target is None:
                raise Refused("There is no answer left for you to review in this round (you can't review your own, or one twice).")
            author = session.get(Member, target.member_id)
            rubric = "\n".join(f"{i}. {p}" for i, p in enumerate(question.rubric, 1))
            return Reply(
                title=f"Review answer #{target.id} by {author.display_name}",
                text=f"Mark which rubric points this answer meets.\n\n**Rubric**\n{rubric}",
                sections=(_shown_answer(target), f"Send: `/study review {target.id} 1,3 optional comment` (or `none` if no point is met)."),
                review=ReviewForm(target.id, tuple(question.rubric)),
            )

        return await self.transact(work)

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
        bank = await self.bank()

        def work(session: Session) -> Response:
            group = self.group_of(session, actor)
            answer = session.get(Answer, answer_id)
            round_ = session.get(Round, answer.round_id) if answer else None
            if answer is None or round_.group_id != group.id:
                raise Refused(f"There is no answer #{answer_id} in this group. `/study review` gives you one to review.")
            if round_.revealed_at is None:
                raise Refused("Peer review opens at the reveal.")
            reviewer = self.member_of(session, group, actor, now)
            if answer.member_id == reviewer.id:
                raise Refused("You can't review your own answer. `/study review` gives you someone else's.")
            question = bank.get(answer.question_id)
            size = len(question.rubric) if question else 0
            bad = [p for p in points_met if not 1 <= p <= size]
            if bad:
                raise Refused(f"The rubric has points 1 to {size}; {', '.join(map(str, bad))} is not one of them.")
            hold(session, [answer.member_id, reviewer.id])
            exists = session.scalar(select(Review.id).where(Review.round_id == round_.id, Review.author_id == answer.member_id, Review.reviewer_id == reviewer.id))
            if exists:
                raise Refused("You have already reviewed this member's answer in this round.")
            try:
                with session.begin_nested():
                    session.add(Review(
                        round_id=round_.id, author_id=answer.member_id, reviewer_id=reviewer.id, answer_id=answer.id,
                        points_met=sorted(set(p - 1 for p in points_met)), rubric_size=size, comment=comment.strip() or None, created_at=now,
                    ))
            except IntegrityError:
                raise Refused("You have already reviewed this member's answer in this round.") from None
            rescore(session, bank, round_, answer.member_id)
            rescore(session, bank, round_, reviewer.id)
            author = session.get(Member, answer.member_id)
            met = len(set(points_met))
            note = f"{reviewer.display_name} reviewed your answer to “{question.title if question else answer.question_id}”: {met} of {size} rubric points met."
            if comment.strip():
                note += f"\n> {comment.strip()}"
            dm = Outbound(group.id, group.platform, group.channel_id, "dm", Reply(text=note), round_id=round_.id, user_id=author.user_id)
            return Response(Reply(text=f"Review saved: {met} of {size} points met. Thanks: reviewing earns points too."), (dm,))

        return await self.transact(work)


def _shown_answer(answer: Answer):
    """An answer as a reviewer reads it: SQL as a code block, prose as it was written."""
    if answer.dialect:
        return Code(extract_sql(answer.text, answer.dialect)[0], "sql")
    return answer.text
