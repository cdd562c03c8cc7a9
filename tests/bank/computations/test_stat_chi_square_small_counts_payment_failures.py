"""Recomputes the numbers in stat-chi-square-small-counts-payment-failures."""

from math import comb
from pathlib import Path

import yaml
from scipy import stats

FILE = Path(__file__).resolve().parents[3] / "content/questions/statistics/stat-chi-square-small-counts-payment-failures.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
TABLE = [[1, 39], [7, 33]]


def test_pearson_and_expected_counts():
    result = stats.chi2_contingency(TABLE, correction=False)
    assert result.expected_freq[0][0] == 4 and f"= **{result.expected_freq[0][0]:.0f}** in each flow" in ANSWER
    assert f"= **{result.statistic:.1f}**, p ≈ {result.pvalue:.3f}" in ANSWER
    yates = stats.chi2_contingency(TABLE, correction=True)
    assert f"{yates.pvalue:.2f}" == "0.06"  # the figure given in the prompt


def test_hypergeometric_table_and_fisher():
    probs = [comb(40, k) * comb(40, 8 - k) / comb(80, 8) for k in range(9)]
    assert "| P | " + " | ".join(f"{p:.4f}" for p in probs) + " |" in ANSWER
    two_sided = sum(p for p in probs if p <= probs[1] + 1e-12)
    assert abs(two_sided - stats.fisher_exact(TABLE).pvalue) < 1e-12
    assert f"2 × (0.0027 + 0.0257) ≈ **{two_sided:.3f}**" in ANSWER
    assert f"≈ {stats.fisher_exact(TABLE, alternative='less').pvalue:.3f})" in ANSWER


def test_barnard_and_the_follow_up_size():
    assert f"Barnard's (p ≈ {stats.barnard_exact(TABLE).pvalue:.2f} here)" in ANSWER
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
    n = z**2 * (0.175 * 0.825 + 0.10 * 0.90) / (0.175 - 0.10) ** 2
    assert f"needs about {round(n, -1):.0f} customers per arm" in ANSWER
