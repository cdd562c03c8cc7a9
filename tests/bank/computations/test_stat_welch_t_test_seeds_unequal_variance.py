"""Recomputes the numbers in stat-welch-t-test-seeds-unequal-variance."""

import math
from pathlib import Path

import numpy as np
import yaml
from scipy import stats

FILE = Path(__file__).resolve().parents[3] / "content/questions/statistics/stat-welch-t-test-seeds-unequal-variance.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
NEW, BASE = (78.4, 3.0, 5), (75.6, 0.8, 12)
DIFF = NEW[0] - BASE[0]


def test_pooled_test():
    pooled_var = ((NEW[2] - 1) * NEW[1] ** 2 + (BASE[2] - 1) * BASE[1] ** 2) / (NEW[2] + BASE[2] - 2)
    se = math.sqrt(pooled_var * (1 / NEW[2] + 1 / BASE[2]))
    assert f"≈ {pooled_var:.2f}, pooled SD ≈ **{math.sqrt(pooled_var):.2f}**" in ANSWER
    assert f"≈ **{se:.2f}**. t = 2.8 / 0.90 ≈ **{DIFF / se:.2f}** on 15 df" in ANSWER
    result = stats.ttest_ind_from_stats(*NEW, *BASE, equal_var=True)
    assert f"p ≈ {result.pvalue:.3f}" in ANSWER
    assert f"ratio of about {NEW[1] ** 2 / BASE[1] ** 2:.0f}" in ANSWER


def test_welch_test():
    v1, v2 = NEW[1] ** 2 / NEW[2], BASE[1] ** 2 / BASE[2]
    se = math.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1**2 / (NEW[2] - 1) + v2**2 / (BASE[2] - 1))
    assert f"v₁ = 3.0² / 5 = {v1:.2f}, v₂ = 0.8² / 12 ≈ {v2:.3f}" in ANSWER
    assert f"≈ **{se:.2f}**" in ANSWER and f"≈ **{df:.1f}**" in ANSWER
    result = stats.ttest_ind_from_stats(*NEW, *BASE, equal_var=False)
    assert f"≈ **{result.statistic:.2f}**, **p ≈ {result.pvalue:.2f}**" in ANSWER
    crit = stats.t.ppf(0.975, df)
    assert f"2.8 ± {crit:.2f} × 1.36" in ANSWER
    assert f"**[{DIFF - crit * se:.1f}, +{DIFF + crit * se:.1f}]**".replace("-", "−") in ANSWER


def test_false_positive_rates_by_simulation():
    rng = np.random.default_rng(2024)
    new = rng.normal(0, NEW[1], (100_000, NEW[2]))
    base = rng.normal(0, BASE[1], (100_000, BASE[2]))
    pooled = (stats.ttest_ind(new, base, axis=1).pvalue < 0.05).mean()
    welch = (stats.ttest_ind(new, base, axis=1, equal_var=False).pvalue < 0.05).mean()
    assert f"about **{pooled:.0%}** of runs" in ANSWER
    assert f"about 5% ({welch:.1%}) for Welch" in ANSWER


def test_seeds_needed():
    needed = {gain: math.ceil((1.96 + 0.84) ** 2 * NEW[1] ** 2 / gain**2) for gain in (3, 2)}
    assert f"about {needed[3]} seeds for a 3-point gain, {needed[2]} for a 2-point gain" in ANSWER
