"""Recomputes the numbers in stat-robust-z-score-signup-alert."""

import math
import statistics
from pathlib import Path

import yaml

FILE = Path(__file__).resolve().parents[3] / "content/questions/statistics/stat-robust-z-score-signup-alert.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
DAYS = [1020, 980, 1005, 1040, 995, 1010, 60, 1000, 1030, 990, 1015, 985, 1025, 2150]
TODAY = 900


def test_classical_z():
    mean, sd = statistics.mean(DAYS), statistics.stdev(DAYS)
    assert f"Mean ≈ **{mean:,.1f}**, SD ≈ **{sd:,.1f}**" in ANSWER
    assert f"≈ **{(TODAY - mean) / sd:.2f}**".replace("-", "−") in ANSWER


def test_robust_z():
    median = statistics.median(DAYS)
    deviations = sorted(abs(x - median) for x in DAYS)
    assert ", ".join(f"{d:,}" for d in deviations) in ANSWER
    mad = statistics.median(deviations)
    assert f"**{median:,}**" in ANSWER and f"= **{mad}**" in ANSWER
    scaled = 1.4826 * mad
    assert f"1.4826 × 17.5 ≈ **{scaled:.1f}**" in ANSWER
    assert f"/ 25.9 ≈ **{(TODAY - median) / scaled:.1f}**".replace("-", "−") in ANSWER


def test_masking_and_the_bound():
    normal = [x for x in DAYS if 500 < x < 1500]
    sd_normal = statistics.stdev(normal)
    assert f"about {sd_normal:.0f}" in ANSWER
    assert f"roughly {statistics.stdev(DAYS) / sd_normal:.0f}-fold" in ANSWER
    assert f"**≈ {13 / math.sqrt(14):.2f}**" in ANSWER
    outage_z = (60 - statistics.mean(DAYS)) / statistics.stdev(DAYS)
    assert f"z ≈ {outage_z:.1f}".replace("-", "−") in ANSWER
    # the bound holds: no day in the window gets past it
    assert max(abs(x - statistics.mean(DAYS)) / statistics.stdev(DAYS) for x in DAYS) <= 13 / math.sqrt(14)
