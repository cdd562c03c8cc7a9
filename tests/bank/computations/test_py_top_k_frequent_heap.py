"""py-top-k-frequent-heap: the published function, its asserts and the complexity numbers."""

import math
import re
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/python/py-top-k-frequent-heap.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())


def published():
    namespace: dict = {}
    exec(re.search(r"```python\n(.*?)```", ANSWER, re.S).group(1), namespace)  # runs the answer's asserts
    return namespace["top_k_frequent"]


def test_the_published_function_breaks_ties_alphabetically():
    top_k = published()
    assert top_k(["hat", "bag", "hat", "bag", "coat"], 2) == [("bag", 2), ("hat", 2)]
    assert Counter(["hat", "bag", "hat", "bag"]).most_common(1) == [("hat", 2)]  # first appearance, not alphabetical
    assert top_k(["a"], -3) == []


def test_the_log_comparison():
    k, u = 100, 3_000_000
    assert round(math.log2(k)) == 7 and round(math.log2(u)) == 22
    assert "log₂k ≈ 7 vs log₂u ≈ 22" in TEXT
    assert abs(math.log2(k) / math.log2(u) - 1 / 3) < 0.05 and "roughly a third" in TEXT
