"""A member's progress on each question: outcomes read from the facts, the repetition
schedule computed from them (bot.study.repetition), and the mastery of tags and categories.

An outcome comes from each place a member met a question: a revealed round (the
answer that counts: its SQL verdict, or the mean rubric share its reviewers found
met), a practice question (the first SQL answer that ran, or the self-review), a
mock question (its answer's verdict or self-review; unanswered when the mock ended,
a miss). `refresh` recomputes one member's row for one question from all of them,
so it is the same however often, and in whatever order, it runs; it is called
whenever one of those facts changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.bank import Bank
from bot.grading import Verdict
from bot.store import Answer, Group, Member, MemberSetting, Practice, PracticeAnswer, PracticeItem, Progress, Review, Round
from bot.store.db import upsert

from .repetition import Outcome, standing
from .replies import TableBlock

RAN = (Verdict.CORRECT.value, Verdict.INCORRECT.value)  # SQL verdicts of a query that ran
MIN_ANSWERED = 2  # outcomes on a topic before it can be called strongest or weakest


def member_zone(session: Session, member_id: int) -> str:
    """The member's own timezone, else their group's."""
    own = session.scalar(select(MemberSetting.timezone).where(MemberSetting.member_id == member_id))
    return own or session.scalar(select(Group.timezone).join(Member, Member.group_id == Group.id).where(Member.id == member_id))


def _credit(answer) -> float:
    return 1.0 if answer.verdict == Verdict.CORRECT.value else 0.0


def round_outcomes(session: Session, member_id: int, question_id: str) -> list[Outcome]:
    """Outcomes of the revealed rounds where the question stood and the member answered it."""
    answers = session.scalars(
        select(Answer).join(Round, Round.id == Answer.round_id).where(
            Answer.member_id == member_id, Answer.question_id == question_id,
            Round.question_id == question_id, Round.revealed_at.is_not(None),
        ).order_by(Answer.round_id, Answer.revision)
    ).all()
    counting: dict[int, Answer] = {}
    for answer in answers:  # the last revision before the reveal, else (late only) the last one
        current = counting.get(answer.round_id)
        if current is None or not answer.late or current.late:
            counting[answer.round_id] = answer
    outcomes = []
    for answer in counting.values():
        if answer.dialect is not None:
            if answer.verdict is not None:
                outcomes.append(Outcome(answer.created_at, _credit(answer)))
            continue
        shares = [len(r.points_met) / r.rubric_size for r in session.scalars(
            select(Review).where(Review.round_id == answer.round_id, Review.author_id == member_id)) if r.rubric_size]
        if shares:
            outcomes.append(Outcome(answer.created_at, sum(shares) / len(shares)))
    return outcomes


def item_outcome(kind: str, closed_at, item: PracticeItem, answers: list[PracticeAnswer]) -> Outcome | None:
    """A practice or mock question's outcome, if it has one yet."""
    if item.marks is not None and item.rubric_size:
        return Outcome(item.answered_at or item.marked_at, len(item.marks) / item.rubric_size)
    sql = [a for a in answers if a.dialect is not None]
    if kind == "mock":  # one answer a question, whatever became of it
        if sql and sql[0].verdict is not None:
            return Outcome(sql[0].created_at, _credit(sql[0]))
        if not answers and closed_at is not None:
            return Outcome(closed_at, 0.0)  # left unanswered
        return None
    ran = next((a for a in sql if a.verdict in RAN), None)  # a query that did not run is no try
    return Outcome(ran.created_at, _credit(ran)) if ran else None


def practice_outcomes(session: Session, member_id: int, question_id: str) -> list[Outcome]:
    rows = session.execute(
        select(PracticeItem, Practice.kind, Practice.closed_at).join(Practice, Practice.id == PracticeItem.practice_id)
        .where(PracticeItem.member_id == member_id, PracticeItem.question_id == question_id, PracticeItem.shown_at.is_not(None))
    ).all()
    answers: dict[int, list[PracticeAnswer]] = {}
    for answer in session.scalars(select(PracticeAnswer).where(PracticeAnswer.item_id.in_([r[0].id for r in rows])).order_by(PracticeAnswer.revision)):
        answers.setdefault(answer.item_id, []).append(answer)
    found = (item_outcome(kind, closed_at, item, answers.get(item.id, [])) for item, kind, closed_at in rows)
    return [o for o in found if o is not None]


def refresh(session: Session, member_id: int, question_id: str) -> Progress | None:
    """Rebuild the member's progress on the question from every fact about it."""
    outcomes = round_outcomes(session, member_id, question_id) + practice_outcomes(session, member_id, question_id)
    key = dict(member_id=member_id, question_id=question_id)
    if not outcomes:
        session.execute(delete(Progress).filter_by(**key))
        return None
    now = standing(outcomes, member_zone(session, member_id))
    values = dict(
        key, attempts=len(outcomes), credit=sum(o.credit for o in outcomes), last_at=max(o.at for o in outcomes),
        step=now.step, due_at=now.due_at, mastered=now.mastered,
    )
    upsert(session, Progress, values, key=("member_id", "question_id"), update=tuple(k for k in values if k not in key))
    return session.scalar(select(Progress).filter_by(**key).execution_options(populate_existing=True))


def track_round(session: Session, round_: Round, member_ids: Iterable[int] | None = None) -> None:
    """A round's facts changed (its reveal, a review, a late answer): refresh its answerers."""
    if round_.revealed_at is None:
        return  # answers may still be revised: nothing is an outcome yet
    if member_ids is None:
        member_ids = session.scalars(select(Answer.member_id).where(
            Answer.round_id == round_.id, Answer.question_id == round_.question_id).distinct())
    for member_id in sorted(set(member_ids)):
        refresh(session, member_id, round_.question_id)


# ---- mastery -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicScore:
    kind: str  # category | tag
    name: str
    answered: int
    share: float  # correct answers and rubric shares met, over the outcomes


def mastery(session: Session, bank: Bank, member_id: int) -> list[TopicScore]:
    """The member's topics with at least MIN_ANSWERED outcomes, strongest first."""
    totals: dict[tuple[str, str], list[float]] = {}
    for question_id, attempts, credit in session.execute(
        select(Progress.question_id, Progress.attempts, Progress.credit).where(Progress.member_id == member_id)
    ):
        question = bank.get(question_id)
        if question is None:
            continue
        for topic in [("category", question.category), *(("tag", t) for t in question.tags)]:
            total = totals.setdefault(topic, [0, 0.0])
            total[0] += attempts
            total[1] += credit
    scores = [TopicScore(kind, name, n, credit / n) for (kind, name), (n, credit) in totals.items() if n >= MIN_ANSWERED]
    return sorted(scores, key=lambda s: (-s.share, -s.answered, s.kind, s.name))


def weakest(scores: list[TopicScore]) -> list[TopicScore]:
    """Weakest first: the lowest share, then the most answered (the surest weakness)."""
    return sorted(scores, key=lambda s: (s.share, -s.answered, s.kind, s.name))


def due_count(session: Session, member_id: int, now) -> int:
    return session.scalar(select(func.count()).select_from(Progress).where(
        Progress.member_id == member_id, Progress.step.is_not(None), Progress.due_at <= now)) or 0


def practice_sections(session: Session, bank: Bank, member_id: int, now) -> tuple:
    """What `/study stats` adds for a member's own loop: practice counts (never on a
    leaderboard), the repetition schedule, and their strongest and weakest topics."""
    items = session.execute(
        select(PracticeItem.id, Practice.kind, PracticeItem.marks, PracticeItem.rubric_size).join(Practice, Practice.id == PracticeItem.practice_id)
        .where(PracticeItem.member_id == member_id, PracticeItem.answered_at.is_not(None))
    ).all()
    sql_answers = session.execute(
        select(PracticeAnswer.item_id, PracticeAnswer.verdict).join(PracticeItem, PracticeItem.id == PracticeAnswer.item_id)
        .where(PracticeItem.member_id == member_id, PracticeAnswer.dialect.is_not(None))
    ).all()
    solved = {item for item, verdict in sql_answers if verdict == Verdict.CORRECT.value}
    sql_items = {item for item, _ in sql_answers}
    mocks = session.scalar(select(func.count()).select_from(Practice).where(
        Practice.member_id == member_id, Practice.kind == "mock", Practice.closed_at.is_not(None))) or 0
    scheduled = session.scalar(select(func.count()).select_from(Progress).where(Progress.member_id == member_id, Progress.step.is_not(None))) or 0
    if not items and not mocks and not scheduled:
        return ()
    practised = [i for i in items if i.kind == "practice"]
    sql = [i for i in practised if i.id in sql_items]
    marked = [i for i in practised if i.marks is not None]
    lines = [
        f"Practice (private, never on the leaderboard): {len(practised)} question{'s' if len(practised) != 1 else ''} answered; "
        f"SQL {sum(1 for i in sql if i.id in solved)} of {len(sql)} solved; {len(marked)} written self-reviewed; {mocks} mock interview{'s' if mocks != 1 else ''}.",
        f"Repetition schedule: {scheduled} question{'s' if scheduled != 1 else ''}, {due_count(session, member_id, now)} due now.",
    ]
    scores = mastery(session, bank, member_id)
    sections: list = ["\n".join(lines)]
    if scores:
        count = len(scores)  # the better half is strong, the worse half weak (three of each at most)
        strong, weak = scores[: min(3, (count + 1) // 2)], weakest(scores)[: min(3, count // 2)]
        rows = [("strongest", s.kind, s.name, s.answered, f"{s.share:.0%}") for s in strong]
        rows += [("weakest", s.kind, s.name, s.answered, f"{s.share:.0%}") for s in weak]
        sections.append(TableBlock(("", "kind", "topic", "answered", "correct / rubric met"), tuple(rows), caption="Your topics (daily rounds, practice and mocks)"))
    return tuple(sections)
