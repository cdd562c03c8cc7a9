"""py-roc-auc-from-scratch-ties: the example's numbers by pairs, and the published code."""

import itertools
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/python/py-roc-auc-from-scratch-ties.yaml").read_text(encoding="utf-8"))["answer"]
Y = [1, 0, 1, 0, 1, 0]
S = [0.9, 0.8, 0.8, 0.3, 0.3, 0.1]


def pairwise_auc(y, s) -> Fraction:
    pos = [v for v, label in zip(s, y) if label]
    neg = [v for v, label in zip(s, y) if not label]
    wins = sum(Fraction(1) if p > n else Fraction(1, 2) if p == n else Fraction(0) for p, n in itertools.product(pos, neg))
    return wins / (len(pos) * len(neg))


def tie_blind(order) -> Fraction:
    """The colleague's walk: positives strictly above each negative in one sorted order."""
    rows = sorted(zip(S, Y, order), key=lambda r: (-r[0], r[2]))
    above = wins = 0
    for _, label, _ in rows:
        above, wins = (above + 1, wins) if label else (above, wins + above)
    return Fraction(wins, 9)


def roc_auc():
    namespace: dict = {}
    exec(re.search(r"```python\n(.*?)```", ANSWER, re.S).group(1), namespace)
    return namespace["roc_auc"]


def test_the_printed_numbers():
    assert pairwise_auc(Y, S) == Fraction(7, 9) and f"{7 / 9:.3f}" == "0.778"
    assert "7/9 ≈ 0.778" in ANSWER and "6 + 4.5 + 2.5 = 13" in ANSWER and "U = 7" in ANSWER
    outcomes = {tie_blind(order) for order in itertools.permutations(range(6))}
    assert outcomes == {Fraction(6, 9), Fraction(7, 9), Fraction(8, 9)}  # 7/9 only when the two ties fall opposite ways
    assert f"{6 / 9:.3f}" == "0.667" and f"{8 / 9:.3f}" == "0.889"
    assert "from **6/9 ≈ 0.667** to **8/9 ≈ 0.889**" in ANSWER
    assert round(10**7 * 0.01) == 10**5 and round(10**7 * 0.99) == 99 * 10**5  # 10⁵ × 9.9·10⁶


def test_the_published_code_matches_all_pairs_on_tied_scores():
    auc = roc_auc()
    assert auc(Y, S) == pytest.approx(7 / 9)
    rng = np.random.default_rng(3)
    for _ in range(20):
        y = rng.integers(0, 2, size=40)
        s = rng.integers(0, 6, size=40) / 5  # few distinct scores: many ties
        if 0 < y.sum() < len(y):
            assert auc(y, s) == pytest.approx(float(pairwise_auc(y, s)))


@pytest.mark.parametrize("y, s", [([1, 1], [0.2, 0.4]), ([0, 1], [0.2, float("nan")])])
def test_the_published_code_refuses_one_class_and_nan(y, s):
    with pytest.raises(ValueError):
        roc_auc()(y, s)
