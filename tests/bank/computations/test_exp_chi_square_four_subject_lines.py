"""Recomputes the numbers in exp-chi-square-four-subject-lines."""

import math
from pathlib import Path

import yaml
from scipy import stats

FILE = Path(__file__).resolve().parents[3] / "content/questions/experimentation/exp-chi-square-four-subject-lines.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
N = 5_000
OPENS = {"A": 1_000, "B": 1_050, "C": 1_090, "D": 980}


def two_proportion(x, y):
    pooled = (x + y) / (2 * N)
    z = (y - x) / N / math.sqrt(pooled * (1 - pooled) * 2 / N)
    return z, 2 * stats.norm.sf(abs(z))


def test_chi_square_of_homogeneity():
    table = [list(OPENS.values()), [N - o for o in OPENS.values()]]
    result = stats.chi2_contingency(table, correction=False)
    pooled = sum(OPENS.values()) / (4 * N)
    assert f"4,120 / 20,000 = {pooled:.1%}" in ANSWER
    assert f"**{N * pooled:,.0f}** opens and **{N * (1 - pooled):,.0f}** non-opens" in ANSWER
    opens_part = sum((o - N * pooled) ** 2 for o in OPENS.values()) / (N * pooled)
    assert f"≈ {opens_part:.2f}; non-opens" in ANSWER
    assert f"≈ {result.statistic - opens_part:.2f}. **χ² ≈ {result.statistic:.2f}**" in ANSWER
    assert result.dof == 3 and f"**p ≈ {result.pvalue:.3f}**" in ANSWER
    assert result.expected_freq.min() > 5


def test_each_line_against_a_with_holm():
    results = {line: two_proportion(OPENS["A"], OPENS[line]) for line in "BCD"}
    for line, (z, p) in results.items():
        printed_p = f"{p:.3f}" if p < 0.1 else f"{p:.2f}"
        assert f"| {line} | {OPENS[line] / N:.1%} | {z:.2f} | {printed_p} |".replace("-", "−") in ANSWER
    smallest = min(p for _, p in results.values())
    assert smallest > 0.05 / 3  # Holm stops at the first step: nothing beats A
    assert f"0.05 / 3 ≈ {0.05 / 3:.4f}" in ANSWER


def test_best_against_worst():
    z, p = two_proportion(OPENS["D"], OPENS["C"])
    assert f"C vs D (z ≈ {z:.2f}, p ≈ {p:.3f})" in ANSWER
