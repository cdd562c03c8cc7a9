"""Recomputes the numbers in stat-one-way-anova-three-onboarding-flows."""

import math
from pathlib import Path

import yaml
from scipy import stats

FILE = Path(__file__).resolve().parents[3] / "content/questions/statistics/stat-one-way-anova-three-onboarding-flows.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
MEANS = {"A": 5.2, "B": 5.9, "C": 6.3}
SDS = {"A": 1.8, "B": 2.0, "C": 1.9}
N = 50


def table():
    grand = sum(MEANS.values()) / 3
    ss_between = N * sum((m - grand) ** 2 for m in MEANS.values())
    ss_within = (N - 1) * sum(s**2 for s in SDS.values())
    return grand, ss_between, ss_within, ss_between / 2, ss_within / 147


def test_anova_table():
    grand, ssb, ssw, msb, msw = table()
    assert f"= {grand:.1f} (equal groups)" in ANSWER
    assert f"= **{ssb:.0f}**" in ANSWER and f"= **{ssw:.2f}**" in ANSWER
    f = msb / msw
    assert f"| between flows | {ssb:.0f} | 2 | {msb:.1f} | **{f:.2f}** |" in ANSWER
    assert f"| within flows | {ssw:.2f} | 147 | {msw:.2f} | |" in ANSWER
    assert f"**p ≈ {stats.f.sf(f, 2, 147):.3f}**" in ANSWER


def test_tukey_hsd():
    *_, msw = table()
    unit = math.sqrt(msw / N)
    critical = stats.studentized_range.ppf(0.95, 3, 147)
    assert f"{critical:.2f}" == "3.35"
    assert f"≈ **{unit:.3f}**" in ANSWER and f"more than about {critical * unit:.2f} lessons" in ANSWER
    for high, low in (("B", "A"), ("C", "A"), ("C", "B")):
        diff = MEANS[high] - MEANS[low]
        q = diff / unit
        assert f"| {high} − {low} | {diff:.1f} | " in ANSWER and f"{q:.2f}" in ANSWER
        assert bool(q > critical) == ((high, low) == ("C", "A"))
    q_ca = (MEANS["C"] - MEANS["A"]) / unit
    assert f"adjusted p ≈ {stats.studentized_range.sf(q_ca, 3, 147):.3f}" in ANSWER


def test_familywise_error_of_three_tests():
    assert f"1 − 0.95³ ≈ **{1 - 0.95**3:.0%}**" in ANSWER
