"""The score ledger: a member's points in a round, recomputed from the facts.

Points are a function of the stored facts (answers and their verdicts, hints,
reviews), never a running total: `points_for` computes them and `rescore` writes them
with one upsert per kind, which is safe to repeat. Two workers may store facts about
one member at once (two reviews of one author); `hold` locks the members' rows first,
in id order, so the second recomputation waits for the first and reads its facts.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.bank import Bank, SqlQuestion
from bot.grading import Verdict
from bot.store import Answer, HintUse, Member, Review, Round, ScoreEntry
from bot.store.db import upsert

from . import scoring
from .progress import track_round

KINDS = ("answer", "review")
RAN = (Verdict.CORRECT.value, Verdict.INCORRECT.value)  # SQL verdicts that are tries


def hold(session: Session, member_ids: Iterable[int]) -> None:
    """Lock these members' rows until the transaction ends (PostgreSQL; SQLite writes one at a time)."""
    ids = sorted(set(member_ids))
    if ids and session.bind.dialect.name == "postgresql":
        session.execute(select(Member.id).where(Member.id.in_(ids)).order_by(Member.id).with_for_update())


def points_for(session: Session, bank: Bank, round_: Round, member_id: int) -> dict[str, int]:
    """A member's points in a round, by kind, from the facts alone."""
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
        if a.dialect is None or a.verdict in RAN  # a query that did not run is no try
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
    return {"answer": answer_points, "review": scoring.review_points(given)}


def rescore(session: Session, bank: Bank, round_: Round, member_id: int) -> None:
    """Write a member's points in a round: the same result however often, or concurrently, it runs."""
    hold(session, [member_id])
    for kind, points in points_for(session, bank, round_, member_id).items():
        key = dict(round_id=round_.id, member_id=member_id, kind=kind)
        if points:
            upsert(session, ScoreEntry, dict(key, group_id=round_.group_id, study_date=round_.study_date, points=points),
                   key=("round_id", "member_id", "kind"), update=("points",))
        else:
            session.execute(delete(ScoreEntry).filter_by(**key))
    track_round(session, round_, [member_id])  # after the reveal, a fact of the repetition schedule too


def stored_points(session: Session, round_id: int, member_id: int) -> dict[str, int]:
    rows = session.execute(select(ScoreEntry.kind, ScoreEntry.points).where(ScoreEntry.round_id == round_id, ScoreEntry.member_id == member_id))
    return {kind: 0 for kind in KINDS} | dict(rows.all())
