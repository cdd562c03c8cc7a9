"""Recomputes the numbers in the model answer of ml-ndcg-vs-average-precision."""

import math
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-ndcg-vs-average-precision.yaml").read_text(encoding="utf-8"))["answer"]

A = [3, 0, 0, 1, 1]
B = [1, 1, 2, 0, 3]
IDEAL = [3, 2, 1, 1, 0]  # the judged pool: one 3, one 2, two 1s, then zeros
RELEVANT = 4


def shown(number: str) -> bool:
    """The answer prints this number as a whole token (0.5 does not match 0.55)."""
    return re.search(rf"(?<![\d.]){re.escape(number)}(?!\d|\.\d)", ANSWER) is not None


def dcg(grades, gain=lambda g: 2 ** g - 1):
    return sum(gain(g) / math.log2(i + 2) for i, g in enumerate(grades))


def average_precision(grades):
    hits, total = 0, 0.0
    for i, g in enumerate(grades):
        if g >= 1:
            hits += 1
            total += hits / (i + 1)
    return total / RELEVANT


def test_discounts():
    for position in (2, 4, 5):
        assert shown(f"{1 / math.log2(position + 1):.3f}")


def test_exponential_gain_ndcg():
    for grades in (A, B, IDEAL):
        assert shown(f"{dcg(grades):.3f}")
    assert shown(f"{7 / math.log2(6):.3f}")  # B's grade-3 recipe at position 5
    assert shown(f"{dcg(A) / dcg(IDEAL):.3f}")
    assert shown(f"{dcg(B) / dcg(IDEAL):.3f}")
    assert dcg(A) > dcg(B)


def test_average_precision():
    assert shown(f"{average_precision(A):.3f}")
    assert shown(f"{average_precision(B):.2f}")
    assert average_precision(B) > average_precision(A)


def test_linear_gain_nearly_ties():
    linear = lambda g: g  # noqa: E731
    for grades in (A, B, IDEAL):
        assert shown(f"{dcg(grades, linear):.3f}")
    assert shown(f"{3 / math.log2(6):.3f}")
    assert shown(f"{2 / math.log2(3):.3f}")
    assert shown(f"{dcg(A, linear) / dcg(IDEAL, linear):.3f}")
    assert shown(f"{dcg(B, linear) / dcg(IDEAL, linear):.3f}")
