"""Mock interviews on the core's fake clock: the track's loop, the clock, answers collected
as they come, a time limit the core enforces, the report as a DM, misses scheduled."""

import datetime as dt

import pytest
from sqlalchemy import select
from steps import berlin_morning, setup_group
from support import ADA, ANSWERS, BEN, practice_bank
from test_practice import progress, question_of, say

from bot.store import Practice
from bot.study import Study
from bot.study.mock import LOOPS


@pytest.fixture
def study(database, checker, clock):
    return Study(database, practice_bank, checker, clock)


async def test_a_mock_that_times_out_is_closed_by_the_clock_and_its_report_sent_privately(study, clock):
    await setup_group(study, categories="behavioral")
    clock.set(berlin_morning(2))
    start = await say(study, ADA, "/study mock product-analytics 30")
    assert start.ok and start.title.startswith("Mock 1 of 4: ") and "⏱ 30 min left" in str(start.sections[-1])
    assert "sql, sql, experimentation, product-metrics" in start.text
    first = question_of(start)
    assert study.question(first).category == "sql"
    assert (await say(study, ADA, "/study mock")).title == start.title  # asking again shows where it stands

    clock.advance(minutes=4)
    right, _ = ANSWERS[first]
    second = await say(study, ADA, f"/study answer {right}")
    assert "Answer collected (4 min on it)" in second.text and "Correct" not in second.text  # verdicts wait for the report
    assert second.title.startswith("Mock 2 of 4") and "⏱ 26 min left" in str(second.sections[-1])
    sql_two = question_of(second)
    assert study.question(sql_two).category == "sql" and sql_two != first
    clock.advance(minutes=6)
    third = await say(study, ADA, f"/study answer {ANSWERS[sql_two][1]}")
    written = question_of(third)
    assert study.question(written).category == "experimentation"
    clock.advance(minutes=10)
    fourth = await say(study, ADA, "/study answer Randomise by user and analyse per user.")
    assert fourth.title.startswith("Mock 4 of 4") and study.question(question_of(fourth)).category == "product-metrics"

    # Time runs out on the fourth. An answer after time is refused and changes nothing.
    clock.advance(minutes=11)
    late = await say(study, ADA, "/study answer Too late.")
    assert not late.ok and "Time is up" in late.text
    posts = await study.run_due(clock.now)
    [report] = [p for p in posts if p.kind == "dm"]
    assert report.user_id == "ada" and report.reply.private
    assert report.reply.title == "Mock interview report: product-analytics"
    assert "Time was up. Time used: 30 of 30 min. SQL: 1 of 2 correct." in report.reply.text
    rows = report.reply.sections[0].rows
    assert [r[3] for r in rows] == ["4 min", "6 min", "10 min", "10 min"]  # time per question, the last until time ran out
    assert [r[4] for r in rows] == ["correct", "incorrect", "written: self-review below", "not answered"]
    body = "\n".join(str(s) for s in report.reply.sections)
    assert "Randomise by user and analyse per user." in body and "**Rubric**" in body and "/study practice mark" in body
    assert "Practise next: `/study practice" in body
    assert await study.run_due(clock.now) == []  # closed once

    # The missed SQL question and the unanswered one join the schedule; the right one is mastered.
    assert (await progress(study, sql_two)).step == 0
    assert (await progress(study, question_of(fourth))).step == 0
    assert (await progress(study, first)).mastered
    refused = await say(study, ADA, "/study answer after the report")
    assert not refused.ok and "Time was up" in refused.text  # not taken as the daily's answer either
    # Self-review of the written answer, from the report.
    item = body.split("/study practice mark ")[1].split(" ")[0]
    marked = await say(study, ADA, f"/study practice mark {item} 1,2")
    assert "2 of 3" in marked.text


async def test_mock_arguments_limits_and_early_stop(study, clock):
    await setup_group(study, categories="behavioral", tracks="ml-engineering")
    clock.set(berlin_morning(2))
    for line, words in [("/study mock 4", "from 5 to 180"), ("/study mock 181", "from 5 to 180"),
                        ("/study mock astronomy", "unknown track"), ("/study mock 30 40", "at most a track")]:
        refused = await say(study, ADA, line)
        assert not refused.ok and words in refused.text, line
    started = await say(study, ADA, "/study mock")  # the group's track, its default time
    assert "ml-engineering" in started.text and f"{LOOPS['ml-engineering'][1]} min left" in str(started.sections[-1])
    assert not (await say(study, ADA, "/study practice")).ok  # one sitting at a time
    skipped = await say(study, ADA, "/study mock next")
    assert skipped.title.startswith("Mock 2 of 3") and "Skipped" in skipped.text
    clock.advance(minutes=2)
    report = await say(study, ADA, "/study mock stop")
    assert report.title.startswith("Mock interview report") and "You ended it early. Time used: 2 of 45 min" in report.text
    assert [r[4] for r in report.sections[0].rows] == ["not answered", "not answered", "not reached"]
    assert (await say(study, ADA, "/study mock stop")).ok is False
    assert not any(p.kind == "dm" for p in await study.run_due(clock.now + dt.timedelta(hours=1)))
    how = await study.db.run(lambda s: s.scalar(select(Practice.closed_how)))
    assert how == "stopped"
    assert not (await say(study, BEN, "/study mock next")).ok
