"""Recomputes the numbers in stat-censoring-average-customer-lifetime."""

from pathlib import Path

import yaml

FILE = Path(__file__).resolve().parents[3] / "content/questions/statistics/stat-censoring-average-customer-lifetime.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
CANCELLED, ACTIVE, TENURE, FOLLOW_UP, MONTHLY_RATE = 400, 600, 2.1, 6, 0.05


def test_restricted_mean():
    restricted = (CANCELLED * TENURE + ACTIVE * FOLLOW_UP) / (CANCELLED + ACTIVE)
    assert f"0.4 × 2.1 + 0.6 × 6 = {restricted:.2f} months" in ANSWER


def test_constant_rate_extrapolation():
    # Geometric number of further months: mean 1/p; check by summing the series.
    remaining = sum(k * MONTHLY_RATE * (1 - MONTHLY_RATE) ** (k - 1) for k in range(1, 2_000))
    assert abs(remaining - 1 / MONTHLY_RATE) < 1e-9
    assert f"1 / 0.05 = **{1 / MONTHLY_RATE:.0f} months**" in ANSWER
    restricted = (CANCELLED * TENURE + ACTIVE * FOLLOW_UP) / (CANCELLED + ACTIVE)
    lifetime = restricted + ACTIVE / 1000 * remaining
    assert f"4.44 + 0.6 × 20 = 4.44 + {ACTIVE / 1000 * remaining:.0f} ≈ **{lifetime:.1f} months**" in ANSWER
    assert round(lifetime / TENURE) == 8  # "almost eight times"
