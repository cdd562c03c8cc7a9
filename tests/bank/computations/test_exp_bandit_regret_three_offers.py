"""Recomputes the numbers in exp-bandit-regret-three-offers."""

import math
from pathlib import Path

import numpy as np
import yaml
from scipy import stats

FILE = Path(__file__).resolve().parents[3] / "content/questions/experimentation/exp-bandit-regret-three-offers.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
RATES = (0.04, 0.05, 0.06)
PER_ARM = 3_000


def shipping_probabilities():
    """P(each offer shows the highest observed rate), exactly, ties split evenly."""
    k = np.arange(PER_ARM + 1)
    pmf = [stats.binom.pmf(k, PER_ARM, p) for p in RATES]
    below = [np.concatenate([[0.0], np.cumsum(p)[:-1]]) for p in pmf]  # P(X < k)
    out = []
    for i in range(3):
        j, m = [x for x in range(3) if x != i]
        strict = pmf[i] * below[j] * below[m]
        ties = pmf[i] * pmf[j] * below[m] / 2 + pmf[i] * pmf[m] * below[j] / 2 + pmf[i] * pmf[j] * pmf[m] / 3
        out.append(float(np.sum(strict + ties)))
    return out


def test_equal_split_and_test_phase():
    assert f"30,000 × 0.01 = **{30_000 * (0.06 - np.mean(RATES)):.0f}**" in ANSWER
    assert f"= **{PER_ARM * 0.02 + PER_ARM * 0.01:.0f}** conversions" in ANSWER


def test_wrong_ship_probability_and_total_regret():
    p4, p5, p6 = shipping_probabilities()
    assert abs(p4 + p5 + p6 - 1) < 1e-9
    assert f"≈ **{p5:.1%}** and P(the 4% offer does) ≈ {p4:.2%}" in ANSWER
    se = math.sqrt(0.05 * 0.95 / PER_ARM + 0.06 * 0.94 / PER_ARM)
    assert f"≈ {se:.4f}" in ANSWER and f"{stats.norm.cdf(-0.01 / round(se, 4)):.1%}" == "4.5%"
    commit = 21_000 * (p5 * 0.01 + p4 * 0.02)
    assert f"≈ **{commit:.1f}**" in ANSWER
    assert f"Total ≈ **{90 + commit:.0f}** conversions" in ANSWER
    later = 1_000_000 * (p5 * 0.01 + p4 * 0.02)
    assert f"≈ **{round(later, -1):.0f}** ({later:.0f})" in ANSWER


def test_epsilon_greedy_steady_loss():
    per_visitor = 0.1 * np.mean([0.06 - r for r in RATES])
    assert f"{per_visitor * 1000:.0f} conversion per 1,000 visitors" in ANSWER
    assert f"= **{per_visitor * 1_000_000:,.0f}**" in ANSWER
