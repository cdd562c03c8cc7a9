"""Recomputes the numbers in exp-synthetic-control-tv-campaign."""

import math
from pathlib import Path

import yaml

FILE = Path(__file__).resolve().parents[3] / "content/questions/experimentation/exp-synthetic-control-tv-campaign.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
R = [48.3, 48.8, 50.2, 51.5, 57.0, 58.1, 59.0]
DONORS = {0.5: [40, 42, 41, 44, 45, 46, 47], 0.3: [60, 61, 63, 64, 66, 65, 67], 0.2: [50, 49, 52, 53, 54, 55, 55]}
PLACEBO_MAX = 9.6


def synthetic():
    return [sum(w * d[m] for w, d in DONORS.items()) for m in range(7)]


def rmspe(gaps):
    return math.sqrt(sum(g * g for g in gaps) / len(gaps))


def fmt(x):
    return f"{x:.1f}".replace("-", "−")


def test_synthetic_series_and_gaps():
    s = synthetic()
    assert "| synthetic R | " + " | ".join(fmt(v) for v in s) + " |" in ANSWER
    assert "| gap R − synthetic | " + " | ".join(fmt(r - v) for r, v in zip(R, s)) + " |" in ANSWER


def test_effect_in_counts_and_percent():
    s = synthetic()
    gaps = [r - v for r, v in zip(R[4:], s[4:])]
    assert f"**≈ {sum(gaps) / 3:.1f} thousand sign-ups a month**" in ANSWER
    assert f"that is {sum(gaps):.1f} on a synthetic base of {sum(s[4:]):.1f}, about **+{sum(gaps) / sum(s[4:]):.0%}**" in ANSWER


def test_rmspe_ratio_and_placebo_p_value():
    s = synthetic()
    pre, post = rmspe([r - v for r, v in zip(R[:4], s[:4])]), rmspe([r - v for r, v in zip(R[4:], s[4:])])
    assert f"≈ **{pre:.2f}** thousand" in ANSWER and f"/ 3) ≈ {post:.2f};" in ANSWER
    ratio = post / pre
    assert f"≈ **{ratio:.1f}**" in ANSWER and ratio > PLACEBO_MAX
    rank = 1  # every placebo ratio is at most PLACEBO_MAX, below R's
    assert f"**p = {rank} / 20 = {rank / 20:.2f}**" in ANSWER
