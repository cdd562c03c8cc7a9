"""A member's progress on each question: outcomes read from the facts, the repetition
schedule computed from them (bot.study.repetition), and the mastery of tags and categories.

An outcome comes from each place a member met a question: a revealed round (the
answer that counts: its SQL verdict, or the mean rubric share its reviewers found
met), a practice question (the first SQL answer that ran, or the self-review), a
mock question (its answer's verdict or self-review; unanswered when the mock ended,
a miss). `refresh_members` recomputes members' rows for one question from all of them,
set-based (a reveal's answerers in a few statements), so it is the same however often,
and in whatever order, it runs; it is called whenever one of those facts changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Row, delete, func, select
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
    return member_zones(session, [member_id])[member_id]


def _credit(answer) -> float:
    return 1.0 if answer.verdict == Verdict.CORRECT.value else 0.0


def round_outcomes(session: Session, member_ids: list[int], question_id: str) -> dict[int, list[Outcome]]:
    """Each member's outcomes of the revealed rounds where the question stood and they answered it."""
    answers = session.execute(
        select(Answer.member_id, Answer.round_id, Answer.late, Answer.dialect, Answer.verdict, Answer.created_at)
        .join(Round, Round.id == Answer.round_id).where(
            Answer.member_id.in_(member_ids), Answer.question_id == question_id,
            Round.question_id == question_id, Round.revealed_at.is_not(None),
        ).order_by(Answer.member_id, Answer.round_id, Answer.revision)
    ).all()
    counting: dict[tuple[int, int], Row] = {}
    for answer in answers:  # the last revision before the reveal, else (late only) the last one
        current = counting.get((answer.member_id, answer.round_id))
        if current is None or not answer.late or current.late:
            counting[(answer.member_id, answer.round_id)] = answer
    written = {key for key, answer in counting.items() if answer.dialect is None}
    shares: dict[tuple[int, int], list[float]] = {}
    if written:
        for review in session.execute(select(Review.author_id, Review.round_id, Review.points_met, Review.rubric_size).where(
                Review.author_id.in_({m for m, _ in written}), Review.round_id.in_({r for _, r in written}))):
            if (review.author_id, review.round_id) in written and review.rubric_size:
                shares.setdefault((review.author_id, review.round_id), []).append(len(review.points_met) / review.rubric_size)
    outcomes: dict[int, list[Outcome]] = {}
    for (member_id, round_id), answer in counting.items():
        if answer.dialect is not None:
            found = Outcome(answer.created_at, _credit(answer)) if answer.verdict is not None else None
        else:
            met = shares.get((member_id, round_id))
            found = Outcome(answer.created_at, sum(met) / len(met)) if met else None
        if found:
            outcomes.setdefault(member_id, []).append(found)
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


def practice_outcomes(session: Session, member_ids: list[int], question_id: str) -> dict[int, list[Outcome]]:
    """Each member's outcomes of the question in practice and mocks."""
    rows = session.execute(
        select(PracticeItem, Practice.kind, Practice.closed_at).join(Practice, Practice.id == PracticeItem.practice_id)
        .where(PracticeItem.member_id.in_(member_ids), PracticeItem.question_id == question_id, PracticeItem.shown_at.is_not(None))
        .order_by(PracticeItem.id)
    ).all()
    answers: dict[int, list[PracticeAnswer]] = {}
    if rows:
        for answer in session.scalars(select(PracticeAnswer).where(PracticeAnswer.item_id.in_([r[0].id for r in rows])).order_by(PracticeAnswer.revision)):
            answers.setdefault(answer.item_id, []).append(answer)
    outcomes: dict[int, list[Outcome]] = {}
    for item, kind, closed_at in rows:
        if (found := item_outcome(kind, closed_at, item, answers.get(item.id, []))) is not None:
            outcomes.setdefault(item.member_id, []).append(found)
    return outcomes


def member_zones(session: Session, member_ids: list[int]) -> dict[int, str]:
    rows = session.execute(
        select(Member.id, MemberSetting.timezone, Group.timezone.label("group_zone")).join(Group, Group.id == Member.group_id)
        .outerjoin(MemberSetting, MemberSetting.member_id == Member.id).where(Member.id.in_(member_ids))
    )
    return {row.id: row.timezone or row.group_zone for row in rows}


BATCH = 500  # members a statement: the multi-row upsert's parameters stay well under SQLite's limit


def refresh_members(session: Session, member_ids: Iterable[int], question_id: str) -> None:
    """Rebuild these members' progress on the question from every fact about it: the same
    few statements for one member or hundreds (a reveal's answerers), one upsert for all."""
    ids = sorted(set(member_ids))  # rows written in id order: two workers lock them alike
    for chunk in (ids[i : i + BATCH] for i in range(0, len(ids), BATCH)):
        rounds, practice = round_outcomes(session, chunk, question_id), practice_outcomes(session, chunk, question_id)
        outcomes = {m: rounds.get(m, []) + practice.get(m, []) for m in chunk if m in rounds or m in practice}
        if gone := [m for m in chunk if m not in outcomes]:
            session.execute(delete(Progress).where(Progress.question_id == question_id, Progress.member_id.in_(gone)))
        if not outcomes:
            continue
        zones = member_zones(session, list(outcomes))
        rows = []
        for member_id, found in outcomes.items():
            now = standing(found, zones[member_id])
            rows.append(dict(
                member_id=member_id, question_id=question_id, attempts=len(found), credit=sum(o.credit for o in found),
                last_at=max(o.at for o in found), step=now.step, due_at=now.due_at, mastered=now.mastered,
            ))
        upsert(session, Progress, rows, key=("member_id", "question_id"), update=("attempts", "credit", "last_at", "step", "due_at", "mastered"))


def refresh(session: Session, member_id: int, question_id: str) -> Progress | None:
    """Rebuild one member's progress on the question (practice, mocks), and return it."""
    refresh_members(session, [member_id], question_id)
    return session.scalar(select(Progress).filter_by(member_id=member_id, question_id=question_id).execution_options(populate_existing=True))


def track_round(session: Session, round_: Round, member_ids: Iterable[int] | None = None) -> None:
    """A round's facts changed (its reveal, a review, a late answer): refresh its answerers."""
    if round_.revealed_at is None:
        return  # answers may still be revised: nothing is an outcome yet
    if member_ids is None:
        member_ids = session.scalars(select(Answer.member_id).where(
            Answer.round_id == round_.id, Answer.question_id == round_.question_id).distinct())
    refresh_members(session, member_ids, round_.question_id)


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
