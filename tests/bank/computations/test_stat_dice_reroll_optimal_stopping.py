"""Recomputes the numbers in stat-dice-reroll-optimal-stopping."""

from fractions import Fraction
from pathlib import Path

import yaml

FILE = Path(__file__).resolve().parents[3] / "content/questions/statistics/stat-dice-reroll-optimal-stopping.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
FACES = range(1, 7)


def value_with_rerolls(k):
    """Backward induction: the value of the game with k re-rolls left."""
    value = Fraction(sum(FACES), 6)
    for _ in range(k):
        value = sum(max(Fraction(x), value) for x in FACES) / 6
    return value


def test_finite_rerolls():
    assert value_with_rerolls(0) == Fraction(7, 2) and "**$3.50**" in ANSWER
    assert value_with_rerolls(1) == Fraction(17, 4) and "**$4.25**" in ANSWER
    two = value_with_rerolls(2)
    assert two == Fraction(14, 3) and f"14/3 ≈ **${float(two):.2f}**" in ANSWER
    assert f"→ {float(two):.2f} → …" in ANSWER
    keep_first = [x for x in FACES if x > value_with_rerolls(1)]
    assert keep_first == [5, 6]


def test_unlimited_rerolls_at_one_dollar():
    value = Fraction(0)
    for _ in range(200):  # value iteration converges quickly
        value = sum(max(Fraction(x), value - 1) for x in FACES) / 6
    assert abs(float(value) - 4) < 1e-12 and "**V = 4**" in ANSWER

    def policy_value(threshold):  # keep any roll >= threshold; V = mean(kept) + P(reroll)(V - 1)
        kept = [x for x in FACES if x >= threshold]
        p_reroll = Fraction(6 - len(kept), 6)
        return (Fraction(sum(kept), 6) - p_reroll) / (1 - p_reroll)

    assert policy_value(4) == policy_value(3) == 4
    assert policy_value(5) == Fraction(7, 2) and policy_value(1) == Fraction(7, 2)
