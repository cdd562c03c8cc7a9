import datetime as dt

import pytest
from support import UTC, FakeClock, database, fixture_bank  # noqa: F401  (database is a fixture)

from bot.study import Study

# Monday 2 March 2026, 07:00 UTC = 08:00 in Berlin: an hour before a 09:00 post.
START = dt.datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    return FakeClock(START)


@pytest.fixture
def study(database, checker, clock):
    return Study(database, fixture_bank, checker, clock)

