"""Recomputes the numbers in exp-mann-whitney-b2b-spend-pilot."""

import math
import statistics
from pathlib import Path

import yaml
from scipy import stats

FILE = Path(__file__).resolve().parents[3] / "content/questions/experimentation/exp-mann-whitney-b2b-spend-pilot.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
A = [2, 3, 4, 6, 7, 9, 11, 480]
B = [8, 10, 12, 13, 14, 15, 16, 18]


def test_u_statistic():
    counts = [sum(a < b for a in A) for b in B]
    assert counts == [5, 6, 7, 7, 7, 7, 7, 7]
    u_b = sum(counts)
    assert f"**U_B = 5 + 6 + 42 = {u_b}** of 8 × 8 = 64 pairs, so U_A = {64 - u_b}" in ANSWER
    assert f"53 / 64 ≈ **{u_b / 64:.2f}**" in ANSWER


def test_exact_p_value():
    splits = math.comb(16, 8)
    p = stats.mannwhitneyu(B, A, alternative="two-sided", method="exact").pvalue
    extreme = round(p * splits / 2)
    assert abs(extreme * 2 / splits - p) < 1e-12
    assert f"= **{splits:,}**" in ANSWER and f"{extreme} of them" in ANSWER
    assert f"p = 2 × {extreme} / 12,870 ≈ **{p:.3f}**" in ANSWER


def test_revenue_summaries_and_welch():
    assert f"A **${sum(A)}k** (mean ${statistics.mean(A):.2f}k), B **${sum(B)}k** (mean ${statistics.mean(B):.2f}k)" in ANSWER
    assert f"{statistics.median(A):.1f} vs {statistics.median(B):.1f}" in ANSWER
    assert f"A's SD (≈ ${statistics.stdev(A):.0f}k)" in ANSWER
    assert f"{stats.ttest_ind(B, A, equal_var=False).pvalue:.2f}" == "0.41"
