"""Recomputes the numbers in exp-geo-experiment-search-spend."""

import statistics
from pathlib import Path

import yaml
from scipy import stats

FILE = Path(__file__).resolve().parents[3] / "content/questions/experimentation/exp-geo-experiment-search-spend.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
DIFFS = [95, 60, 130, 20, 85, 150, 40, 110]
SPEND = 40
MARGIN = 0.35


def summary():
    mean = statistics.mean(DIFFS)
    sd = statistics.stdev(DIFFS)
    se = sd / len(DIFFS) ** 0.5
    return mean, sd, se, stats.t.ppf(0.975, len(DIFFS) - 1)


def test_iroas_and_interval():
    mean, sd, se, t = summary()
    assert f"690 / 8 = **${mean:.2f}k**; iROAS = 86.25 / 40 ≈ **{mean / SPEND:.2f}**" in ANSWER
    assert f"≈ {sd:.2f}, SE = 44.46 / √8 ≈ {se:.2f}" in ANSWER
    assert f"t₀.₉₇₅ ≈ **{t:.2f}**" in ANSWER
    assert f"about {1 - 1.96 / t:.0%} too narrow" in ANSWER
    low, high = mean - t * se, mean + t * se
    assert f"[${low:.1f}k, ${high:.1f}k]" in ANSWER
    assert f"**iROAS ∈ [{low / SPEND:.2f}, {high / SPEND:.2f}]**" in ANSWER
    t_stat = mean / se
    assert f"t ≈ {t_stat:.1f}, p ≈ {2 * stats.t.sf(t_stat, 7):.3f}" in ANSWER


def test_profit_per_dollar():
    mean, _, se, t = summary()
    assert f"2.16 × 0.35 ≈ **${mean / SPEND * MARGIN:.2f}**" in ANSWER
    low, high = (mean - t * se) / SPEND * MARGIN, (mean + t * se) / SPEND * MARGIN
    assert f"[${low:.2f}, ${high:.2f}]" in ANSWER
    assert f"1 / 0.35 ≈ {1 / MARGIN:.2f}" in ANSWER
