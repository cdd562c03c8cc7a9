"""py-dedupe-keep-first-order: the published function, its asserts and its edge-case claims."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/python/py-dedupe-keep-first-order.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())


def published():
    namespace: dict = {}
    exec(re.search(r"```python\n(.*?)```", ANSWER, re.S).group(1), namespace)  # runs the answer's asserts
    return namespace["dedupe"]


def test_the_published_function_and_its_edge_cases():
    dedupe = published()
    assert dedupe(x for x in [2, 2, 1]) == [2, 1]  # a generator, read once
    assert dedupe([1, 1.0, True]) == [1] and "`dedupe([1, 1.0, True])` returns `[1]`" in TEXT
    assert dedupe([None, None, 0]) == [None, 0] and "`dedupe([None, None, 0])` returns `[None, 0]`" in TEXT
    assert list(dict.fromkeys([3, 1, 3, 2, 1])) == [3, 1, 2]


def test_the_quadratic_count():
    n = 1_000_000
    assert n * (n - 1) / 2 == 499_999_500_000 and "~5·10¹¹ comparisons" in TEXT  # n²/2 ≈ 5·10¹¹
