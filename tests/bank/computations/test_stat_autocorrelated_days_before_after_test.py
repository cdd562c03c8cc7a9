"""Recomputes the numbers in stat-autocorrelated-days-before-after-test."""

import math
from pathlib import Path

import yaml
from scipy import stats

FILE = Path(__file__).resolve().parents[3] / "content/questions/statistics/stat-autocorrelated-days-before-after-test.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
N, SD, DIFF, RHO = 60, 6, 3, 0.6


def test_naive_test():
    se = math.sqrt(SD**2 / N * 2)
    assert f"≈ **{se:.2f}**; t = 3 / 1.10 ≈ **{DIFF / se:.2f}**, p ≈ {2 * stats.t.sf(DIFF / se, 2 * N - 2):.3f}" in ANSWER


def test_ar1_correction():
    factor = (1 + RHO) / (1 - RHO)
    assert f"1.6 / 0.4 = **{factor:.0f}**" in ANSWER and f"about **{math.sqrt(factor):.0f}×**" in ANSWER
    exact = 1 + 2 * sum((1 - k / N) * RHO**k for k in range(1, N))
    assert f"is {exact:.3f};" in ANSWER
    se = math.sqrt(SD**2 / N * 2) * math.sqrt(factor)
    z = DIFF / se
    assert f"≈ **{se:.2f}**; z ≈ 3 / 2.19 ≈ **{z:.2f}**; **p ≈ {2 * stats.norm.sf(z):.2f}**" in ANSWER
    assert f"60 × 0.4 / 1.6 = **{N / factor:.0f}** per period" in ANSWER
