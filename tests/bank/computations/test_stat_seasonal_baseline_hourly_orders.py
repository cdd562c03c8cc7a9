"""Recomputes the numbers in stat-seasonal-baseline-hourly-orders."""

import math
import statistics
from pathlib import Path

import yaml
from scipy import stats

FILE = Path(__file__).resolve().parents[3] / "content/questions/statistics/stat-seasonal-baseline-hourly-orders.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
AT_21 = [1180, 1240, 1210, 1200]
AT_22 = [760, 820, 790, 800]
TONIGHT_21, TONIGHT_22 = 1150, 700


def minus(x, fmt):
    return format(x, fmt).replace("-", "−")


def test_routine_nightly_drop():
    b21, b22 = statistics.median(AT_21), statistics.median(AT_22)
    assert f"21:00 is {b21:,.0f} and at 22:00 {b22:.0f}: a normal drop of **{minus(b22 / b21 - 1, '.0%')}**" in ANSWER
    assert f"Tonight's {minus(TONIGHT_22 / TONIGHT_21 - 1, '.0%')}" in ANSWER


def test_seasonal_baseline_and_poisson_z():
    base = statistics.median(AT_22)
    assert f"= **{base:.0f}**" in ANSWER
    assert f"≈ **{minus(TONIGHT_22 / base - 1, '.0%')}**" in ANSWER
    assert f"√795 ≈ {math.sqrt(base):.1f}" in ANSWER
    assert f"≈ **{minus((TONIGHT_22 - base) / math.sqrt(base), '.1f')}**" in ANSWER
    assert f"SD = **{statistics.stdev(AT_22):.0f}**" in ANSWER


def test_fixed_percentage_rule_by_volume():
    night, peak = 36, 1600
    assert f"SD = {math.sqrt(night):.0f}, i.e. **{1 / math.sqrt(night):.1%}**" in ANSWER
    assert f"z ≈ {minus(-0.1 * night / math.sqrt(night), '.1f')}:" in ANSWER
    threshold = math.ceil(0.9 * night) - 1  # fires when the count is below 32.4
    assert f"count is {threshold} or less" in ANSWER
    assert f"about {stats.poisson.cdf(threshold, night):.0%} of perfectly normal nights" in ANSWER
    assert f"z ≈ **{minus((25 - night) / math.sqrt(night), '.1f')}**" in ANSWER
    assert f"SD = {math.sqrt(peak):.0f}, i.e. **{1 / math.sqrt(peak):.1%}**" in ANSWER
    assert f"z = {minus(-0.05 * peak / math.sqrt(peak), '.0f')} and a 10% drop z = **{minus(-0.1 * peak / math.sqrt(peak), '.0f')}**" in ANSWER
