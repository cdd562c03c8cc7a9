"""Recomputes the numbers in stat-alert-fatigue-400-series."""

from pathlib import Path

import yaml
from scipy import stats

FILE = Path(__file__).resolve().parents[3] / "content/questions/statistics/stat-alert-fatigue-400-series.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
SERIES, HOURS = 400, 24
CHECKS = SERIES * HOURS
SHIFTED_PER_WEEK = 2 * 8 * 3


def tail(c):
    return 2 * stats.norm.sf(c)


def strict_threshold():
    return stats.norm.isf(1 / (CHECKS * 7) / 2)


def test_false_alerts():
    assert f"**{CHECKS:,}** checks" in ANSWER and f"≈ {tail(3):.4f}" in ANSWER
    assert f"≈ **{CHECKS * tail(3):.0f} false alerts a day**, ≈ **{CHECKS * 7 * tail(3):.0f} a week**" in ANSWER


def test_threshold_for_one_a_week():
    assert f"1 / {CHECKS * 7:,}" in ANSWER
    assert f"**|z| > {strict_threshold():.2f}**" in ANSWER


def test_precision_and_detection():
    for c, label in ((3, "3"), (strict_threshold(), "4.33")):
        fire = stats.norm.sf(c - 4) + stats.norm.cdf(-c - 4)
        real = SHIFTED_PER_WEEK * fire
        false = CHECKS * 7 * tail(c)
        assert f"| {label} | {fire:.2f} | {real:.1f} | {false:.0f} | **{real / (real + false):.0%}** |" in ANSWER
    fire = stats.norm.sf(strict_threshold() - 4)
    assert f"1 − {1 - fire:.2f}²⁴ ≈ **{1 - (1 - fire) ** 24:.5f}**" in ANSWER


def test_persistence_rule():
    independent = 2 * stats.norm.sf(3) ** 2
    assert f"2 × {stats.norm.sf(3):.5f}² ≈ {independent / 1e-6:.1f} × 10⁻⁶" in ANSWER
    pairs = SERIES * (HOURS - 1)
    assert f"≈ **{pairs * independent:.2f} false alerts a day**" in ANSWER
    correlated = 2 * stats.multivariate_normal(mean=[0, 0], cov=[[1, 0.8], [0.8, 1]]).cdf([-3, -3])
    assert f"P ≈ {correlated / 1e-4:.1f} × 10⁻⁴, about **{round(correlated / independent, -2):.0f}×**" in ANSWER
    assert f"≈ **{pairs * correlated:.0f} false alerts a day**" in ANSWER
