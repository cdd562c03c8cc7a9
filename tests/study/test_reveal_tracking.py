"""A reveal's repetition tracking: set-based (the same few statements for 5 answerers
or 50), and the same Progress rows as refreshing each answerer alone."""

import datetime as dt
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select

from bot.store import Answer, Group, Member, MemberSetting, Practice, PracticeAnswer, PracticeItem, Progress, Review, Round
from bot.study.progress import refresh, track_round

UTC = dt.timezone.utc
QUESTION = "q-tracked"
START = dt.datetime(2026, 3, 2, 8, tzinfo=UTC)
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata")
_channels = itertools.count()

moments = st.integers(0, 40 * 24).map(lambda hours: START + dt.timedelta(hours=hours))
round_answers = st.lists(st.fixed_dictionaries({
    "sql": st.booleans(), "verdict": st.sampled_from(["correct", "incorrect", "error", None]),
    "late": st.booleans(), "at": moments,
}), max_size=3)
reviews = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4)), max_size=2)  # (points met, rubric size)
items = st.lists(st.fixed_dictionaries({
    "kind": st.sampled_from(["practice", "mock"]), "shown": st.booleans(), "closed": st.booleans(),
    "marks": st.one_of(st.none(), st.integers(0, 3)), "rubric": st.sampled_from([None, 0, 3]), "at": moments,
    "answers": st.lists(st.tuples(st.booleans(), st.sampled_from(["correct", "incorrect", "error", None])), max_size=2),
}), max_size=2)
members = st.lists(st.fixed_dictionaries({
    "zone": st.sampled_from((None, *ZONES)), "stale": st.booleans(),
    "rounds": st.lists(st.tuples(round_answers, reviews), min_size=3, max_size=3), "items": items,
}), min_size=1, max_size=5)
histories = st.fixed_dictionaries({"zone": st.sampled_from(ZONES), "members": members, "revealed": st.lists(st.booleans(), min_size=3, max_size=3)})


def build(session, history) -> Round:
    """A group whose members met QUESTION in three rounds (the last one is being revealed),
    in practice and in mocks; some with a stale Progress row, some with none."""
    group = Group(platform="test", channel_id=f"track{next(_channels)}", timezone=history["zone"], created_at=START)
    session.add(group)
    session.flush()
    rounds = []
    for day, revealed in enumerate(history["revealed"]):
        at = START + dt.timedelta(days=day)
        rounds.append(Round(group_id=group.id, study_date=at.date(), question_id=QUESTION, due_at=at, posted_at=at,
                            reveal_at=at + dt.timedelta(hours=9), revealed_at=at + dt.timedelta(hours=9) if revealed or day == 2 else None))
    session.add_all(rounds)
    people = [Member(group_id=group.id, user_id=f"u{i}", joined_at=START) for i in range(len(history["members"]))]
    session.add_all(people)
    session.flush()
    for person, facts in zip(people, history["members"]):
        if facts["zone"]:
            session.add(MemberSetting(member_id=person.id, timezone=facts["zone"]))
        if facts["stale"]:
            session.add(Progress(member_id=person.id, question_id=QUESTION, attempts=9, credit=9.0, last_at=START, step=3, due_at=START, mastered=False))
        for round_, (answers, given_reviews) in zip(rounds, facts["rounds"]):
            rows = [Answer(round_id=round_.id, member_id=person.id, question_id=QUESTION, revision=n, text="x",
                           dialect="duckdb" if a["sql"] else None, verdict=a["verdict"] if a["sql"] else None,
                           late=a["late"], created_at=a["at"]) for n, a in enumerate(answers, 1)]
            session.add_all(rows)
            session.flush()
            for reviewer, (met, size) in zip([p for p in people if p is not person], given_reviews):
                if rows:
                    session.add(Review(round_id=round_.id, author_id=person.id, reviewer_id=reviewer.id, answer_id=rows[-1].id,
                                       points_met=list(range(met)), rubric_size=size, created_at=rows[-1].created_at))
        for item in facts["items"]:
            sitting = Practice(member_id=person.id, kind=item["kind"], opened_at=item["at"], closed_at=item["at"] if item["closed"] else None)
            session.add(sitting)
            session.flush()
            row = PracticeItem(practice_id=sitting.id, member_id=person.id, position=1, question_id=QUESTION,
                               shown_at=item["at"] if item["shown"] else None, answered_at=item["at"] if item["answers"] else None,
                               marks=None if item["marks"] is None else list(range(item["marks"])), rubric_size=item["rubric"],
                               marked_at=item["at"] if item["marks"] is not None else None)
            session.add(row)
            session.flush()
            session.add_all(PracticeAnswer(item_id=row.id, revision=n, text="x", dialect="duckdb" if sql else None,
                                           verdict=verdict if sql else None, created_at=item["at"] + dt.timedelta(minutes=n))
                            for n, (sql, verdict) in enumerate(item["answers"], 1))
    session.flush()
    return rounds[-1]


def progress_rows(session, round_: Round) -> list[tuple]:
    return session.execute(
        select(Progress.member_id, Progress.attempts, Progress.credit, Progress.last_at, Progress.step, Progress.due_at, Progress.mastered)
        .join(Member, Member.id == Progress.member_id).where(Member.group_id == round_.group_id, Progress.question_id == QUESTION)
        .order_by(Progress.member_id)
    ).all()


def rolled_back(database, work):
    with database._sessions() as session:
        try:
            return work(session)
        finally:
            session.rollback()


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(history=histories)
def test_a_reveal_tracks_its_answerers_as_refreshing_each_alone_would(database, history):
    with database.session() as session:
        round_id = build(session, history).id

    def batched(session):
        round_ = session.get(Round, round_id)
        track_round(session, round_)
        return progress_rows(session, round_)

    def one_by_one(session):
        round_ = session.get(Round, round_id)
        for member_id in sorted(set(session.scalars(select(Answer.member_id).where(Answer.round_id == round_id)))):
            refresh(session, member_id, QUESTION)
        return progress_rows(session, round_)

    assert rolled_back(database, batched) == rolled_back(database, one_by_one)


def busy_history(answerers: int) -> dict:
    """Every answerer with the same shape of history: a written answer reviewed, a late
    SQL revision, practice and a mock on the question."""
    answers = [{"sql": True, "verdict": "incorrect", "late": False, "at": START}, {"sql": True, "verdict": "correct", "late": True, "at": START}]
    written = [{"sql": False, "verdict": None, "late": False, "at": START}]
    item = {"kind": "practice", "shown": True, "closed": True, "marks": None, "rubric": None, "at": START, "answers": [(True, "correct")]}
    mock = {**item, "kind": "mock", "answers": []}
    member = {"zone": "Europe/Berlin", "stale": False, "rounds": [(written, [(2, 3)]), (answers, []), (answers, [])], "items": [item, mock]}
    return {"zone": "UTC", "members": [dict(member, stale=i % 2 == 0) for i in range(answerers)], "revealed": [True, True, False]}


def test_a_reveal_tracks_5_or_50_answerers_in_the_same_few_statements(database):
    counts = {}
    for answerers in (5, 50):
        with database.session() as session:
            round_id = build(session, busy_history(answerers)).id
        statements = []

        def tracked(session):
            round_ = session.get(Round, round_id)
            event.listen(database.engine, "before_cursor_execute", listener := lambda *args: statements.append(args[2]))
            try:
                track_round(session, round_)
            finally:
                event.remove(database.engine, "before_cursor_execute", listener)
            return progress_rows(session, round_)

        rows = rolled_back(database, tracked)
        assert len(rows) == answerers and all(r.attempts == 5 for r in rows)  # 3 rounds' outcomes, practice and the mock
        counts[answerers] = len(statements)
    assert counts[5] == counts[50] <= 7, counts  # answers, reviews, items, their answers, zones, delete, upsert
