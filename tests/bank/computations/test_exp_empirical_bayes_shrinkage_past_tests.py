"""Recomputes the numbers in exp-empirical-bayes-shrinkage-past-tests."""

import math
from pathlib import Path

import yaml
from scipy import stats

FILE = Path(__file__).resolve().parents[3] / "content/questions/experimentation/exp-empirical-bayes-shrinkage-past-tests.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
OBSERVED_SD, SE, LIFT = 2.5, 1.5, 4.0
TAU2 = OBSERVED_SD**2 - SE**2


def posterior(se):
    shrink = TAU2 / (TAU2 + se**2)
    return shrink, shrink * LIFT, math.sqrt(TAU2 * se**2 / (TAU2 + se**2))


def test_true_effect_spread():
    assert f"= {TAU2:.0f}, **τ = {math.sqrt(TAU2):.1f}%**" in ANSWER


def test_posterior_summary():
    shrink, mean, sd = posterior(SE)
    assert f"= **{shrink:.2f}**" in ANSWER and f"= **+{mean:.2f}%**" in ANSWER
    assert f"√(9 / 6.25) = **{sd:.1f}%**" in ANSWER
    assert f"**[{mean - 1.96 * sd:.1f}%, {mean + 1.96 * sd:.1f}%]**" in ANSWER
    assert f"≈ **{stats.norm.cdf(mean / sd):.1%}**" in ANSWER
    assert f"[{LIFT - 1.96 * SE:.2f}%, {LIFT + 1.96 * SE:.2f}%]" in ANSWER
    assert f"about {stats.norm.sf(2, mean, sd):.0%} probability on the effect exceeding 2%" in ANSWER
    assert f"{2 * stats.norm.sf(LIFT / SE):.3f}" == "0.008"  # the p-value in the prompt


def test_a_more_precise_test_shrinks_less():
    shrink, mean, _ = posterior(0.5)
    assert f"≈ **{shrink:.2f}**, so the posterior mean is ≈ **+{mean:.2f}%**" in ANSWER
