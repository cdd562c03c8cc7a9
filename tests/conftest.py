import pytest

from bot.grading import Checker


@pytest.fixture(scope="session")
def checker():
    """One worker pool for the whole run: starting workers is the slow part."""
    with Checker(workers=2) as pool:
        yield pool
