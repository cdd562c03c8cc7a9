"""Recomputes the numbers in stat-hazard-falls-with-tenure-mixture."""

import math
from pathlib import Path

import yaml

FILE = Path(__file__).resolve().parents[3] / "content/questions/statistics/stat-hazard-falls-with-tenure-mixture.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
CASUAL, COMMITTED = 0.20, 0.02


def test_constant_hazard():
    assert f"0.95¹² ≈ **{0.95 ** 12:.1%}**" in ANSWER
    assert f"≈ **{math.log(0.5) / math.log(0.95):.1f} months**" in ANSWER
    mean = sum(k * 0.05 * 0.95 ** (k - 1) for k in range(1, 3_000))
    assert f"1 / 0.05 = **{mean:.0f} months**" in ANSWER


def test_mixture():
    casual, committed = (1 - CASUAL) ** 12, (1 - COMMITTED) ** 12
    assert f"0.5 × {casual:.3f} + 0.5 × {committed:.3f} ≈ **{0.5 * casual + 0.5 * committed:.1%}**" in ANSWER
    assert f"= **{0.5 * CASUAL + 0.5 * COMMITTED:.0%}**" in ANSWER
    month_13 = (casual * CASUAL + committed * COMMITTED) / (casual + committed)
    assert f"≈ **{month_13:.1%}**" in ANSWER
    assert f"≈ **{committed / (casual + committed):.0%}**" in ANSWER
    assert f"0.5 × 5 + 0.5 × 50 = {0.5 / CASUAL + 0.5 / COMMITTED:.1f} months" in ANSWER
