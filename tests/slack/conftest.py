"""Fixtures: the Slack app in HTTP mode on loopback, its Web API pointed at the stand-in."""

from __future__ import annotations

import datetime as dt

import pytest
from slack_standin import SlackStandIn
from slack_steps import MONDAY_POST, TOKEN, USERS, start_worker
from support import FakeClock, database, fixture_bank  # noqa: F401  (database is a fixture: SQLite and PostgreSQL)

from bot.study import Study


@pytest.fixture
async def standin():
    async with SlackStandIn(token=TOKEN, users=USERS) as server:
        yield server
    assert server.refused == [], f"Slack would have refused what the app sent: {server.refused}"


@pytest.fixture
def clock():
    return FakeClock(MONDAY_POST - dt.timedelta(hours=1))


@pytest.fixture
async def worker(database, checker, clock, standin):
    study = Study(database, fixture_bank, checker, clock, platforms={"slack"})
    started = await start_worker(study, standin)
    yield started
    await started.stop()
