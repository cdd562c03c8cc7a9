"""Recomputes the numbers in exp-regression-discontinuity-gold-tier."""

from pathlib import Path

import yaml

FILE = Path(__file__).resolve().parents[3] / "content/questions/experimentation/exp-regression-discontinuity-gold-tier.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
TAKE_UP_JUMP = 0.64 - 0.04
JUMPS = {25: (41, 18), 50: (36, 12), 100: (30, 8), 200: (19, 5)}
BINS = {480: 1_010, 490: 940, 500: 1_260, 510: 1_000}


def test_fuzzy_estimate_and_interval():
    assert f"= **{TAKE_UP_JUMP * 100:.0f} points**" in ANSWER
    jump, se = JUMPS[50]
    effect, se_effect = jump / TAKE_UP_JUMP, se / TAKE_UP_JUMP
    assert f"36 / 0.60 = **${effect:.0f}**" in ANSWER
    assert f"12 / 0.60 = ${se_effect:.0f}" in ANSWER
    assert f"**[${effect - 1.96 * se_effect:.0f}, ${effect + 1.96 * se_effect:.0f}]**" in ANSWER


def test_scaled_bandwidth_estimates():
    scaled = ", ".join(f"${jump / TAKE_UP_JUMP:.0f}" for jump, _ in JUMPS.values())
    assert f"Scaled by 0.60: {scaled}." in ANSWER
    assert f"(SE $18 → ${JUMPS[25][1] / TAKE_UP_JUMP:.0f} after scaling)" in ANSWER


def test_bunching_above_the_cutoff():
    expected = (BINS[490 - 10] + BINS[510]) / 2
    extra = BINS[500] - expected
    assert f"about {expected:,.0f} expected" in ANSWER
    assert f"(≈ **{extra:.0f} extra**, +{extra / expected:.0%})" in ANSWER
