import os

import pytest
from hypothesis import settings

from bot.grading import Checker

# Property-based tests: a bounded, seeded sample in the suite ("ci"); HYPOTHESIS_PROFILE=long
# runs a long campaign (fifty times as many examples, fresh randomness).
settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True, print_blob=True)
settings.register_profile("long", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def checker():
    """One worker pool for the whole run: starting workers is the slow part."""
    with Checker(workers=2) as pool:
        yield pool

