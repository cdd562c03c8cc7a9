"""Practice on the core, on a fake clock: private questions, never the group's daily,
answers routed to the open practice, self-review, `practice weak`, and nothing on the
group's leaderboard. Both backends."""

import asyncio
import datetime as dt

import pytest
from sqlalchemy import func, select
from steps import ENDLESS, berlin_morning, current_round, setup_group, telling_study
from support import ADA, ANSWERS, BEN, UTC, practice_bank

from bot.store import Answer, Member, Practice, Progress, ScoreEntry
from bot.study import Study
from bot.study.commands import dispatch


@pytest.fixture
def study(database, checker, clock):
    return Study(database, practice_bank, checker, clock)


def question_of(reply) -> str:
    """The bank id of the question a practice reply shows (by its title)."""
    title = reply.title.split(": ", 1)[1].split(" · ")[0]
    return next(q.id for q in practice_bank() if q.title == title)


async def say(study, actor, line):
    return (await dispatch(study, actor, line)).reply


async def progress(study, question_id, user_id="ada"):
    return await study.db.run(lambda s: s.scalar(
        select(Progress).join(Member, Member.id == Progress.member_id).where(Progress.question_id == question_id, Member.user_id == user_id)))


# A topic that only this question of the practice bank matches.
ONLY = {
    "sql-daily-revenue": "aggregation easy", "sql-top-spender": "aggregation ties", "sql-customers-without-orders": "anti-join",
    "sql-orders-per-customer": "aggregation joins", "sql-latest-order": "window-functions",
}


async def test_practice_by_category_and_tag_is_private_and_never_the_daily(study, clock):
    await setup_group(study)  # the daily draws on the sql category
    clock.set(berlin_morning(2))
    await study.run_due(clock.now)
    monday = (await current_round(study)).question_id
    seen = []
    reply = await say(study, ADA, "/study practice sql")
    for _ in range(6):
        assert reply.ok and reply.private and reply.title.startswith("Practice: ")
        assert "CREATE TABLE" in "".join(str(s) for s in reply.sections)  # the schema and the sample, as for the daily
        seen.append(question_of(reply))
        reply = await say(study, ADA, "/study practice next")
    assert all(study.question(q).category == "sql" for q in seen)
    assert monday not in seen
    # Tuesday's question, foreseen: practice never offered it either.
    clock.set(berlin_morning(3))
    await study.run_due(clock.now)
    tuesday = (await current_round(study)).question_id
    assert tuesday != monday and tuesday not in seen
    assert len(set(seen)) == 3  # the five SQL questions less the two dailies, all of them offered

    reply = await say(study, BEN, "/study practice ties")
    assert reply.ok and "ties" in study.question(question_of(reply)).tags
    refused = await say(study, BEN, "/study practice windw-functions")
    assert not refused.ok and "Did you mean window-functions?" in refused.text


async def test_answers_go_to_the_open_practice_and_never_touch_the_leaderboard(study, clock):
    await setup_group(study, categories="behavioral")  # the daily is never SQL here
    clock.set(berlin_morning(2))
    await study.run_due(clock.now)
    round_ = await current_round(study)
    reply = await say(study, ADA, "/study practice anti-join")
    question = question_of(reply)
    right, wrong = ANSWERS[question]

    first = await say(study, ADA, f"/study answer {wrong}")
    assert first.ok and "Not yet" in first.text and "practice, try 1" in first.text
    hint = await say(study, ADA, "/study hint")
    assert "free in practice" in hint.text
    ran = await say(study, ADA, "/study run SELECT * FROM customers")
    assert "on the sample" in ran.sections[0].caption
    second = await say(study, ADA, f"/study answer {right}")
    assert "Correct" in second.text and "Solved" in second.text

    # The daily's thread still takes the daily's answers, while a practice is open or not.
    await say(study, ADA, "/study practice experimentation")
    daily = await study.answer(ADA, "I would disagree and commit.", via="thread")
    assert daily.reply.ok and "revision 1" in daily.reply.text
    rows = await study.db.run(lambda s: s.execute(select(Answer.round_id, Answer.question_id)).all())
    assert [tuple(r) for r in rows] == [(round_.id, round_.question_id)]
    # Practice wrote no points; the first try that ran was wrong: a miss, due tomorrow.
    points = await study.db.run(lambda s: s.scalars(select(ScoreEntry.points)).all())
    assert points == [3]  # the daily's written answer only
    row = await progress(study, question)
    assert (row.step, row.attempts, row.mastered) == (0, 1, False)
    assert row.due_at == dt.datetime(2026, 3, 2, 23, 0, tzinfo=UTC)  # midnight in Berlin


async def test_a_written_practice_answer_is_self_reviewed_against_the_rubric(study, clock):
    await setup_group(study, categories="behavioral")
    clock.set(berlin_morning(2))
    reply = await say(study, ADA, "/study practice product-metrics easy")
    assert question_of(reply) == "pm-north-star"
    shown = await study.answer(ADA, "Recipes cooked per week, with retention as a guardrail.")
    form = shown.reply.self_review
    assert form is not None and len(form.rubric) == 3
    assert "Model answer" in shown.reply.title and "Weekly recipes cooked" in shown.reply.text
    assert f"/study practice mark {form.item_id} 1,3" in "".join(map(str, shown.reply.sections))
    # The sitting closed with the answer: the next private answer is the daily's again.
    assert await study.personal_target(ADA) is None

    bad = await say(study, ADA, "/study practice mark 7")
    assert not bad.ok and "points 1 to 3" in bad.text
    low = await say(study, ADA, "/study practice mark 1")
    assert "1 of 3" in low.text and "joins your repetition schedule" in low.text
    assert (await progress(study, "pm-north-star")).step == 0
    high = await say(study, ADA, f"/study practice mark {form.item_id} 1,2,3")  # marking again replaces the marks
    assert "3 of 3" in high.text and "Mastered" in high.text
    row = await progress(study, "pm-north-star")
    assert (row.step, row.mastered, row.attempts) == (None, True, 1)
    again = await say(study, ADA, "/study practice product-metrics easy")
    assert not again.ok and "1 mastered" in again.text  # never offered once mastered


async def test_practice_weak_targets_the_weakest_topic(study, clock):
    await setup_group(study, categories="behavioral")
    clock.set(berlin_morning(2))
    assert "no weakest topic yet" in (await say(study, ADA, "/study practice weak")).text
    for question, right in (("sql-daily-revenue", False), ("sql-top-spender", False), ("sql-customers-without-orders", True)):
        await practise(study, ADA, question, right)
    stats = await say(study, ADA, "/study stats")
    table = next(s for s in stats.sections if getattr(s, "caption", "").startswith("Your topics"))
    assert ("weakest", "tag", "aggregation", 2, "0%") in table.rows
    assert ("strongest", "category", "sql", 3, "33%") in table.rows and len(table.rows) == 2
    assert "Practice (private, never on the leaderboard): 3 questions answered; SQL 1 of 3 solved" in stats.sections[-2]

    weak = await say(study, ADA, "/study practice weak")
    assert question_of(weak) == "sql-orders-per-customer"  # aggregation's last fresh question
    assert "Your weakest topic: aggregation (0% over 2 answers)" in weak.text
    # Another member sees Ada's stats without her practice.
    theirs = await say(study, BEN, "/study stats Ada")
    assert not any("Practice" in str(s) for s in theirs.sections)


async def practise(study, actor, question_id, right):
    """Practise exactly this question (by a topic only it matches), answer it right or wrong, and stop."""
    reply = await say(study, actor, f"/study practice {ONLY[question_id]}")
    assert reply.ok and question_of(reply) == question_id, reply.text
    correct, wrong = ANSWERS[question_id]
    answered = await say(study, actor, f"/study answer {correct if right else wrong}")
    assert ("Correct" in answered.text) == right, answered.text
    if not right:
        await study.practice_stop(actor)
    return reply


async def test_double_clicks_open_one_practice(study, clock):
    await setup_group(study, categories="behavioral")
    clock.set(berlin_morning(2))
    first = await say(study, ADA, "/study practice sql")
    again = await say(study, ADA, "/study practice sql")
    assert question_of(first) == question_of(again) and "Still open" in again.text
    button = first.buttons[-1]
    assert button.action == "practice-next"
    one = await study.practice_next(ADA, after=button.round_id)
    two = await study.practice_next(ADA, after=button.round_id)  # the same click, delivered twice
    assert question_of(one.reply) == question_of(two.reply) != question_of(first)
    opened = await study.db.run(lambda s: s.scalar(select(func.count()).select_from(Practice)))
    assert opened == 2


async def test_practice_opened_four_times_at_once_is_one_sitting(study, clock):
    """Four requests on their own connections at once (real concurrency on PostgreSQL): the member lock makes them one."""
    await setup_group(study, categories="behavioral")
    clock.set(berlin_morning(2))
    replies = await asyncio.gather(*(study.practice(ADA, "sql") for _ in range(4)))
    assert len({question_of(r.reply) for r in replies}) == 1
    assert sum("Still open" in r.reply.text for r in replies) == 3
    opened = await study.db.run(lambda s: s.scalar(select(func.count()).select_from(Practice).where(Practice.closed_at.is_(None))))
    assert opened == 1


async def test_a_practice_answer_in_the_slow_lane_is_told_it_is_taking_long(database, clock):
    with telling_study(database, practice_bank, clock) as (study, told):
        await setup_group(study, categories="behavioral")
        await say(study, ADA, "/study practice anti-join")
        reply = await say(study, ADA, f"/study answer {ENDLESS}")
    assert "Timed out" in reply.text
    [notice] = told
    assert notice.kind == "dm" and notice.user_id == "ada" and "taking longer" in notice.reply.text
