"""Steps the study tests share: a group set up, a day's post, the current round."""

import datetime as dt
from contextlib import contextmanager

from sqlalchemy import select
from support import ADMIN, UTC

from bot.grading import Checker, Limits
from bot.store import Round
from bot.study import Study


def berlin_morning(day: int, month: int = 3) -> dt.datetime:
    """09:00 in Berlin on a day of March 2026 (winter time: 08:00 UTC)."""
    return dt.datetime(2026, month, day, 8, 0, tzinfo=UTC)


async def setup_group(study, **settings):
    values = {"time": "09:00", "tz": "Europe/Berlin", "days": "mon-fri", "categories": "sql", **settings}
    response = await study.setup(ADMIN, values)
    assert response.reply.ok, response.reply.text
    return response


async def current_round(study) -> Round:
    return await study.db.run(lambda s: s.scalar(select(Round).order_by(Round.study_date.desc(), Round.id.desc()).limit(1)))


async def post_day(study, clock, day: int) -> Round:
    """Move the clock to 09:00 Berlin on `day` of March, run what is due, return the round."""
    clock.set(berlin_morning(day))
    await study.run_due(clock.now)
    return await current_round(study)


async def reveal(study, clock, round_: Round) -> list:
    clock.set(round_.reveal_at)
    return await study.run_due(clock.now)


# A query that never ends: past the checker's quick pass, so it goes to the slow lane.
ENDLESS = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT COUNT(*) FROM r"


@contextmanager
def telling_study(database, bank, clock):
    """A Study on one checker worker with a 1 s limit, and the notices it sends mid-answer."""
    told: list = []

    async def notify(posts):
        told.extend(posts)

    with Checker(workers=1, limits=Limits(timeout=1.0)) as checker:
        study = Study(database, bank, checker, clock)
        study.notify = notify
        yield study, told
