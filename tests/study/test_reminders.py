"""Reminders on the core's fake clock: at the member's own local time across a daylight
saving change, at most one of a kind a day, none for a paused group or after `remind off`."""

import datetime as dt

import pytest
from sqlalchemy import select
from steps import setup_group
from support import ADA, ADMIN, BEN, UTC, practice_bank
from test_practice import practise, say

from bot.store import Group
from bot.study import Study
from bot.study.reminders import kinds_due, next_moment


@pytest.fixture
def study(database, checker, clock):
    return Study(database, practice_bank, checker, clock)


async def tick(study, clock, moment):
    """Move the clock, run what is due (posts confirmed as a platform would), return the DMs by member."""
    clock.set(moment)
    posts = await study.run_due(moment)
    for post in posts:
        if post.kind == "question":
            await study.delivered(post, message_ref=f"m{post.round_id}", thread_ref=f"t{post.round_id}")
    return {(p.user_id, p.reply.text.split(":")[0], "due again" in p.reply.text) for p in posts if p.kind == "dm"}


def utc(month, day, hour, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=UTC)


def test_the_next_moment_is_local_time_through_daylight_saving():
    # 08:30 in New York: 13:30 UTC in winter, 12:30 UTC from Sunday 8 March 2026.
    assert next_moment(utc(3, 7, 14), "08:30", "America/New_York") == utc(3, 8, 12, 30)
    assert next_moment(utc(3, 6, 13, 30), "08:30", "America/New_York") == utc(3, 7, 13, 30)  # strictly after
    # A time the change skips (02:30 on 29 March in Berlin) moves forward, to 03:30 CEST.
    assert next_moment(utc(3, 28, 12), "02:30", "Europe/Berlin") == utc(3, 29, 1, 30)
    assert kinds_due(quiet=True, round_open_unanswered=True, questions_due=3) == []
    assert kinds_due(quiet=False, round_open_unanswered=True, questions_due=3) == ["round", "due"]


async def test_reminders_at_the_members_time_once_a_day_and_never_when_paused_or_off(study, clock):
    await setup_group(study, categories="behavioral")
    clock.set(utc(3, 5, 7))  # Thursday 08:00 in Berlin
    on = await say(study, ADA, "/study remind on 08:30")
    assert "08:30" in on.text and "Europe/Berlin (the group's)" in on.text
    assert "can only tell you about questions due again" in on.text  # 08:30 in Berlin is before the 09:00 post
    moved = await say(study, ADA, "/study remind tz america/new_york")
    assert "America/New_York" in moved.text and "Thu 5 Mar 08:30 EST" in moved.text and "due again" in moved.text
    assert "can only tell" not in moved.text  # 08:30 in New York is 14:30 in Berlin: the question is open
    default = await say(study, BEN, "/study remind on")
    assert "Reminders on at 15:00" in default.text  # three hours before the 18:00 reveal
    assert not (await say(study, BEN, "/study remind at noon")).ok

    assert await tick(study, clock, utc(3, 5, 8)) == set()  # the post
    # Ada misses a practice question today: due again from her tomorrow.
    await practise(study, ADA, "sql-daily-revenue", right=False)
    assert await tick(study, clock, utc(3, 5, 13, 29)) == set()
    assert await tick(study, clock, utc(3, 5, 13, 30)) == {("ada", "Reminder", False)}
    assert await tick(study, clock, utc(3, 5, 13, 31)) == set()
    assert await tick(study, clock, utc(3, 5, 14)) == {("ben", "Reminder", False)}  # 15:00 in Berlin
    await say(study, ADA, "/study remind on 09:15")  # a later time the same day: still one of a kind a day
    assert await tick(study, clock, utc(3, 5, 14, 15)) == set()
    await say(study, ADA, "/study remind on 08:30")

    # Friday: Ada answered before her time, so only her due question is told.
    await tick(study, clock, utc(3, 6, 8))
    assert (await study.answer(ADA, "I'd say so and commit.", via="thread")).reply.ok
    assert await tick(study, clock, utc(3, 6, 13, 30)) == {("ada", "Reminder", True)}

    # Monday, after New York's clocks moved: 08:30 there is 12:30 UTC; both kinds, once each.
    # (The weekend's moments passed without a sweep, as if the bot was down: they are not sent late.)
    assert await tick(study, clock, utc(3, 9, 8)) == set()
    dms = await study.run_due(utc(3, 9, 12, 30))
    assert sorted((p.user_id, "due again" in p.reply.text) for p in dms if p.kind == "dm") == [("ada", False), ("ada", True)]
    round_text = next(p.reply.text for p in dms if "due again" not in p.reply.text)
    assert "Your streak is 1" in round_text and "revealed Mon 9 Mar 13:00 EDT" in round_text
    assert await tick(study, clock, utc(3, 9, 13, 30)) == set()

    # A paused group reminds nobody; `remind off` stops them.
    clock.set(utc(3, 9, 18))
    assert (await say(study, ADMIN, "/study pause until 2026-03-10")).ok
    assert await tick(study, clock, utc(3, 10, 12, 30)) == set() and await tick(study, clock, utc(3, 10, 14)) == set()
    off = await say(study, ADA, "/study remind off")
    assert "Reminders are off" in off.text
    assert await tick(study, clock, utc(3, 11, 8)) == set()  # Wednesday's post
    assert await tick(study, clock, utc(3, 11, 14)) == {("ben", "Reminder", False)}
    assert await tick(study, clock, utc(3, 11, 23, 59)) == set()


async def test_a_reminder_time_outside_the_open_question_is_said(study, clock):
    await setup_group(study, categories="behavioral")
    clock.set(utc(3, 5, 7))
    late = await say(study, ADA, "/study remind on 19:00")
    assert "open from 09:00 to 18:00 your time" in late.text and "only tell you about questions due again" in late.text


async def test_a_group_whose_channel_is_lost_sends_no_reminders(study, clock):
    await setup_group(study, categories="behavioral")
    clock.set(utc(3, 5, 7))
    await say(study, BEN, "/study remind on 15:00")
    await tick(study, clock, utc(3, 5, 8))
    await practise(study, BEN, "sql-latest-order", right=False)
    group_id = await study.db.run(lambda s: s.scalar(select(Group.id)))
    await study.channel_lost(group_id, "404 Unknown Channel")
    assert await tick(study, clock, utc(3, 5, 14)) == set()
    assert await tick(study, clock, utc(3, 6, 14)) == set()  # nor the due question the next day
