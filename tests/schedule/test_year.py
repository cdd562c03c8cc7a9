"""A year of alarms in five timezones: every study day posted once, at 09:00 local."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from support import FakeClock, fixture_bank

from bot.store import Group, Round
from bot.schedule import post_trigger
from bot.study import Actor, Study

UTC = dt.timezone.utc
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]
START = dt.datetime(2026, 1, 1, tzinfo=UTC)
END = dt.datetime(2027, 1, 1, tzinfo=UTC)
PAUSED_AT = dt.datetime(2026, 8, 2, 23, 30, tzinfo=UTC)  # an admin pauses for the holidays...
PAUSED_UNTIL = dt.date(2026, 8, 16)  # ...until this day, inclusive, in each group's own calendar


async def test_a_year_of_posts_in_five_timezones(database, checker):
    clock = FakeClock(START)
    study = Study(database, fixture_bank, checker, clock)
    for i, zone in enumerate(ZONES):
        admin = Actor("test", f"chan-{i}", "owner", "Owner", is_admin=True)
        response = await study.setup(admin, {"tz": zone, "time": "09:00", "days": "mon,tue,wed,thu,fri,sun", "reveal": "6h"})
        assert response.reply.ok

    groups = await database.run(lambda s: s.scalars(select(Group).order_by(Group.id)).all())
    # The alarm clock: each group's cron trigger, as APScheduler computes it.
    fire_times = []
    for group in groups:
        trigger, previous = post_trigger(group), None
        moment = trigger.get_next_fire_time(None, START)
        while moment < END:
            fire_times.append((moment.astimezone(UTC), group.id))
            previous = moment
            moment = trigger.get_next_fire_time(previous, previous + dt.timedelta(seconds=1))
    fire_times.sort()

    paused = False
    for n, (moment, group_id) in enumerate(fire_times):
        if not paused and moment >= PAUSED_AT:
            clock.set(PAUSED_AT)
            for i in range(len(ZONES)):
                admin = Actor("test", f"chan-{i}", "owner", "Owner", is_admin=True)
                assert (await study.pause(admin, PAUSED_UNTIL.isoformat())).reply.ok
            paused = True
        clock.set(moment)
        await study.run_due(moment)
        if n % 7 == 0:  # an alarm that fires twice, or late, does nothing more
            await study.run_due(moment + dt.timedelta(minutes=1))

    rounds = await database.run(lambda s: s.execute(select(Round.group_id, Round.study_date, Round.due_at)).all())
    by_group = {}
    for group_id, study_date, due_at in rounds:
        by_group.setdefault(group_id, []).append((study_date, due_at))
    for group in groups:
        zone = ZoneInfo(group.timezone)
        got = sorted(by_group[group.id])
        dates = [d for d, _ in got]
        assert len(dates) == len(set(dates)), f"{group.timezone}: a day posted twice"
        expected = []
        day = START.astimezone(zone).date()
        while (post := dt.datetime.combine(day, dt.time(9), zone)) < END:
            paused_day = post >= PAUSED_AT and day <= PAUSED_UNTIL
            # A post due before the clock started is still made, late, until its reveal.
            if day.weekday() != 5 and not paused_day and post + dt.timedelta(hours=6) > START:
                expected.append(day)
            day += dt.timedelta(days=1)
        assert dates == expected, group.timezone
        for study_date, due_at in got:  # due at 09:00 local, in summer and winter time alike
            local = due_at.astimezone(zone)
            assert (local.date(), local.hour, local.minute) == (study_date, 9, 0), group.timezone
