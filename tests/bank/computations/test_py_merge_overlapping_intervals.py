"""py-merge-overlapping-intervals: the published function, its asserts and the walk-through."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/python/py-merge-overlapping-intervals.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())
EXAMPLE = [(900, 930), (1000, 1100), (915, 945), (1100, 1130), (1200, 1215), (1205, 1210)]


def published():
    namespace: dict = {}
    exec(re.search(r"```python\n(.*?)```", ANSWER, re.S).group(1), namespace)  # runs the answer's asserts
    return namespace["merge_intervals"]


def test_the_published_function():
    merge = published()
    example = list(EXAMPLE)
    assert merge(example) == [(900, 945), (1000, 1130), (1200, 1215)]
    assert example == EXAMPLE  # the caller's list is untouched
    with pytest.raises(ValueError):
        merge([(5, 4)])


def test_the_walk_through_and_the_follow_up():
    assert "Sorted: (900, 930), (915, 945), (1000, 1100), (1100, 1130), (1200, 1215), (1205, 1210)" in TEXT
    assert sorted(EXAMPLE) == [(900, 930), (915, 945), (1000, 1100), (1100, 1130), (1200, 1215), (1205, 1210)]
    assert "max(1215, 1210) = 1215" in TEXT
    merged = published()(EXAMPLE)
    assert sum(e - s for s, e in merged) == 45 + 130 + 15  # the follow-up's total minutes
