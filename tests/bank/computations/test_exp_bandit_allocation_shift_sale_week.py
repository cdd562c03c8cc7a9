"""Recomputes the numbers in exp-bandit-allocation-shift-sale-week."""

import math
from pathlib import Path

import yaml

FILE = Path(__file__).resolve().parents[3] / "content/questions/experimentation/exp-bandit-allocation-shift-sale-week.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
# (week, arm): (assignment probability, visitors, orders)
LOG = {(1, "A"): (0.5, 10_000, 300), (1, "B"): (0.5, 10_000, 320), (2, "A"): (0.2, 4_000, 340), (2, "B"): (0.8, 16_000, 1_280)}
ALL = 40_000


def rate(week, arm):
    _, n, orders = LOG[(week, arm)]
    return orders / n


def test_pooled_rates_and_shares():
    for arm, printed in (("A", "(300 + 340) / 14,000"), ("B", "(320 + 1,280) / 26,000")):
        n = sum(LOG[(w, arm)][1] for w in (1, 2))
        orders = sum(LOG[(w, arm)][2] for w in (1, 2))
        assert f"{printed} ≈ **{orders / n:.2%}**" in ANSWER
    assert f"{16_000 / 26_000:.0%} of B's" in ANSWER and f"{4_000 / 14_000:.0%} of A's" in ANSWER


def test_stratified_and_ipw_agree():
    diffs = [rate(w, "B") - rate(w, "A") for w in (1, 2)]
    assert f"**+{diffs[0] * 100:.1f} pp**" in ANSWER and f"**−{-diffs[1] * 100:.1f} pp**" in ANSWER
    stratified = sum(diffs) / 2
    ipw = {arm: sum(LOG[(w, arm)][2] / LOG[(w, arm)][0] for w in (1, 2)) / ALL for arm in "AB"}
    assert abs(stratified - (ipw["B"] - ipw["A"])) < 1e-12
    assert f"= {ipw['A'] * ALL:,.0f} / 40,000 = {ipw['A']:.2%}" in ANSWER
    assert f"= {ipw['B'] * ALL:,.0f} / 40,000 = {ipw['B']:.2%}" in ANSWER
    assert ANSWER.count(f"**−{-stratified * 100:.2f} pp**") == 2


def test_standard_error():
    se = [math.sqrt(sum(rate(w, a) * (1 - rate(w, a)) / LOG[(w, a)][1] for a in "AB")) for w in (1, 2)]
    assert f"≈ {se[0] * 100:.2f} pp; week 2" in ANSWER and f"≈ {se[1] * 100:.2f} pp. The" in ANSWER
    combined = 0.5 * math.hypot(*se)
    assert f"**{combined * 100:.2f} pp**" in ANSWER
    assert f"± {1.96 * combined * 100:.2f} pp" in ANSWER
