"""The repetition schedule: the pure ladder, and a missed daily question coming back
over 90 days on the core's fake clock (intervals growing on success, reset on a miss)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from steps import current_round, post_day, reveal, setup_group
from support import ADA, ANSWERS, BEN, CY, UTC, practice_bank
from test_practice import progress, question_of, say

from bot.store import Answer
from bot.study import Study
from bot.study.repetition import INTERVALS, Outcome, day_start, standing

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def study(database, checker, clock):
    return Study(database, practice_bank, checker, clock)


def at(month, day, hour=12):
    return dt.datetime(2026, month, day, hour, tzinfo=BERLIN).astimezone(UTC)


def test_the_ladder_grows_on_success_resets_on_a_miss_and_graduates():
    miss, hit = 0.0, 1.0
    assert standing([Outcome(at(3, 2), hit)]).mastered  # right the first time: mastered at once
    first = standing([Outcome(at(3, 2), miss)], "Europe/Berlin")
    assert (first.step, first.due_at, first.mastered) == (0, day_start(at(3, 2), 1, "Europe/Berlin"), False)
    early = standing([Outcome(at(3, 2), miss), Outcome(at(3, 2, 20), hit)], "Europe/Berlin")
    assert early == first  # a success before it is due changes nothing
    outcomes, moment = [Outcome(at(3, 2), miss)], at(3, 2)
    for step, days in enumerate(INTERVALS):
        moment = day_start(moment, days, "Europe/Berlin") + dt.timedelta(hours=9)
        outcomes.append(Outcome(moment, hit))
        now = standing(outcomes, "Europe/Berlin")
        if step + 1 < len(INTERVALS):
            assert now.step == step + 1 and now.due_at == day_start(moment, INTERVALS[step + 1], "Europe/Berlin")
        else:
            assert now.step is None and now.mastered
    assert standing([*outcomes, Outcome(moment + dt.timedelta(days=1), 0.4)], "Europe/Berlin").step == 0  # under half the rubric: a miss


@given(st.lists(st.tuples(st.integers(0, 200), st.sampled_from([0.0, 0.3, 0.5, 1.0])), max_size=12))
def test_the_schedule_is_a_function_of_the_outcomes_whatever_their_order(raw):
    outcomes = [Outcome(at(3, 1) + dt.timedelta(days=d), credit) for d, credit in raw]
    result = standing(outcomes, "Europe/Berlin")
    assert result == standing(list(reversed(outcomes)), "Europe/Berlin")
    assert (result.step is None) == (result.due_at is None)
    if result.step is not None:
        assert 0 <= result.step < len(INTERVALS) and not result.mastered
        assert result.due_at.astimezone(BERLIN).time() == dt.time(0, 0)  # local midnight, DST or not


async def test_a_missed_daily_question_comes_back_after_the_documented_intervals(study, clock):
    await setup_group(study)
    monday = await post_day(study, clock, 2)
    question = monday.question_id
    right, wrong = ANSWERS[question]
    assert (await study.answer(ADA, wrong, via="thread")).reply.ok
    assert await progress(study, question) is None  # not before the reveal: it may still be revised
    await reveal(study, clock, monday)
    row = await progress(study, question)
    assert row.step == 0 and row.due_at == at(3, 3, 0)

    async def practise_when_due(month, day, correct):
        """The day before, it is not due and practice does not offer it; on the day it comes first."""
        clock.set(at(month, day, 0) - dt.timedelta(minutes=1))
        assert "Nothing is due right now" in (await say(study, ADA, "/study due")).text
        offered = await say(study, ADA, "/study practice sql")
        assert not offered.ok or question_of(offered) != question
        await study.practice_stop(ADA)
        clock.set(at(month, day, 8))
        due = await say(study, ADA, "/study due")
        assert due.sections[0].caption == "Due now" and study.question(question).title in str(due.sections[0].rows)
        offered = await say(study, ADA, "/study practice sql")
        assert question_of(offered) == question and "Due again" in offered.text
        answered = await say(study, ADA, f"/study answer {right if correct else wrong}")
        assert ("Correct" in answered.text) == correct
        await study.practice_stop(ADA)
        return await progress(study, question)

    # 1 day, then 3, a miss starts it again at 1, then 3, 7, 21 and 60: 96 days in all, across DST.
    plan = [((3, 3), True, 1, (3, 6)), ((3, 6), False, 0, (3, 7)), ((3, 7), True, 1, (3, 10)), ((3, 10), True, 2, (3, 17)),
            ((3, 17), True, 3, (4, 7)), ((4, 7), True, 4, (6, 6))]
    for (month, day), correct, step, (due_month, due_day) in plan:
        row = await practise_when_due(month, day, correct)
        assert (row.step, row.due_at) == (step, at(due_month, due_day, 0)), (month, day)
    row = await practise_when_due(6, 6, True)
    assert (row.step, row.due_at, row.mastered) == (None, None, True)  # graduated
    clock.set(at(9, 1))
    assert "Nothing is due" in (await say(study, ADA, "/study due")).text
    assert (await current_round(study)).id == monday.id  # no other daily meanwhile: the schedule alone brought it back


async def test_a_written_daily_answer_is_a_miss_by_its_peer_reviews(study, clock):
    await setup_group(study, categories="behavioral")
    monday = await post_day(study, clock, 2)
    await study.answer(ADA, "I disagreed, made my case with data, and committed.", via="thread")
    await study.answer(BEN, "Me too.", via="thread")
    await reveal(study, clock, monday)
    assert await progress(study, monday.question_id) is None  # no review yet: no outcome
    [ada_answer] = [a for a in await study.db.run(lambda s: s.scalars(select(Answer)).all()) if a.text.startswith("I disagreed")]
    assert (await study.submit_review(BEN, ada_answer.id, [1])).reply.ok  # one of three points
    row = await progress(study, monday.question_id)
    assert (row.step, row.due_at) == (0, at(3, 3, 0))
    assert (await study.submit_review(CY, ada_answer.id, [1, 2, 3])).reply.ok  # on average two thirds: no miss
    row = await progress(study, monday.question_id)
    assert (row.step, row.mastered, row.attempts) == (None, True, 1)
