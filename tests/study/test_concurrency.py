"""Several workers, each with its own connections, act on one round at once.

Answers, revisions, double-clicked hints and reviews of one author arrive together
through four `Study` instances on one database. No request may fail, and every stored
score must equal a recomputation from the facts (SQLite serialises writers; PostgreSQL
runs them in parallel, which is where read-then-insert scoring broke).
"""

import asyncio
import random

from sqlalchemy import select
from steps import berlin_morning, post_day, reveal, setup_group
from support import ANSWERS, FakeClock, fixture_bank, member

from bot.store import Answer, Database, Member, Round
from bot.study import Study
from bot.study.ledger import points_for, stored_points

MEMBERS = [member(f"M{i}") for i in range(8)]


def every_score_recomputes(db: Database, bank) -> int:
    def check(session):
        pairs = 0
        for round_ in session.scalars(select(Round)):
            for member_id in session.scalars(select(Member.id)):
                stored, computed = stored_points(session, round_.id, member_id), points_for(session, bank, round_, member_id)
                assert stored == computed, (round_.question_id, member_id, stored, computed)
                pairs += 1
        return pairs

    return db.call(check)


async def test_answers_hints_and_reviews_at_once_leave_every_score_right(database, checker):
    clock = FakeClock(berlin_morning(2))
    workers = [Study(database, fixture_bank, checker, clock)]
    extra = [Database(database.url) for _ in range(3)]
    workers += [Study(db, fixture_bank, checker, clock) for db in extra]
    rng = random.Random(13)
    try:
        await setup_group(workers[0], categories="sql,statistics", days="daily")

        # A SQL round: every member sends three revisions and double-clicks Hint, all at once.
        sql_round = await post_day(workers[0], clock, 2)
        while study_question(workers[0], sql_round).category != "sql":
            await reveal(workers[0], clock, sql_round)
            sql_round = await post_day(workers[0], clock, sql_round.study_date.day + 1)
        right, wrong = ANSWERS[sql_round.question_id]
        calls = []
        for who in MEMBERS:
            for text in (wrong, f"```postgresql\n{wrong}\n```", right):
                calls.append((who, "answer", text))
            calls += [(who, "hint", 1), (who, "hint", 1)]
        rng.shuffle(calls)
        replies = await asyncio.gather(*(
            (rng.choice(workers).answer(who, arg, round_id=sql_round.id) if verb == "answer"
             else rng.choice(workers).hint(who, sql_round.id, number=arg))
            for who, verb, arg in calls
        ))
        hints = bool(study_question(workers[0], sql_round).hints)
        assert all(r.reply.ok for r, (_, verb, _) in zip(replies, calls) if verb == "answer" or hints), [r.reply.text for r in replies if not r.reply.ok]
        await reveal(workers[0], clock, sql_round)

        # A written round: everyone answers; after the reveal each reviews three others at once,
        # so every author is reviewed by three members concurrently.
        written = await post_day(workers[0], clock, sql_round.study_date.day + 1)
        while study_question(workers[0], written).category == "sql":
            await reveal(workers[0], clock, written)
            written = await post_day(workers[0], clock, written.study_date.day + 1)
        await asyncio.gather(*(rng.choice(workers).answer(who, f"{who.name}'s answer.") for who in MEMBERS))
        await reveal(workers[0], clock, written)
        answer_of = await database.run(lambda s: dict(s.execute(
            select(Member.user_id, Answer.id).join(Answer, Answer.member_id == Member.id).where(Answer.round_id == written.id)).all()))
        assert len(answer_of) == len(MEMBERS)
        size = len(study_question(workers[0], written).rubric)
        reviews = []
        for i, who in enumerate(MEMBERS):
            for step in (1, 2, 3):
                author = MEMBERS[(i + step) % len(MEMBERS)]
                points = sorted(rng.sample(range(1, size + 1), rng.randint(0, size)))
                reviews.append((who, answer_of[author.user_id], points))
        rng.shuffle(reviews)
        replies = await asyncio.gather(*(rng.choice(workers).submit_review(who, answer_id, points) for who, answer_id, points in reviews))
        assert all(r.reply.ok for r in replies), [r.reply.text for r in replies if not r.reply.ok]

        bank = fixture_bank()
        assert await asyncio.to_thread(every_score_recomputes, database, bank) >= 2 * len(MEMBERS)
    finally:
        for db in extra:
            db.dispose()


def study_question(study, round_):
    return study.question(round_.question_id)
