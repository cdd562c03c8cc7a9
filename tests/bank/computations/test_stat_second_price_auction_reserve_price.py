"""Recomputes the numbers in stat-second-price-auction-reserve-price."""

from fractions import Fraction
from math import comb
from pathlib import Path

import yaml
from scipy import integrate

FILE = Path(__file__).resolve().parents[3] / "content/questions/statistics/stat-second-price-auction-reserve-price.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words


def revenue_numeric(n, r):
    """E[max(second-highest, r) · 1{highest ≥ r}] by integrating over (second, highest)."""
    value, _ = integrate.dblquad(lambda s, h: n * (n - 1) * s ** (n - 2) * max(s, r), r, 1, 0, lambda h: h)
    return value


def revenue_formula(n, r):
    r = Fraction(r)
    return Fraction(n - 1, n + 1) + r**n - Fraction(2 * n, n + 1) * r ** (n + 1)


def test_no_reserve_and_winner_surplus():
    for n, printed in ((2, "1/3"), (5, "2/3")):
        assert abs(revenue_numeric(n, 0) - (n - 1) / (n + 1)) < 1e-9
        assert f"**{printed}**" in ANSWER
    surplus = {n: Fraction(n, n + 1) - Fraction(n - 1, n + 1) for n in (2, 5)}
    assert f"{surplus[2]} with 2 bidders, {surplus[5]} with 5" in ANSWER


def test_two_bidders_with_reserve():
    for r in (0.2, 0.5, 0.8):
        assert abs(revenue_numeric(2, r) - float(revenue_formula(2, Fraction(r).limit_denominator(10)))) < 1e-8
        assert abs(float(revenue_formula(2, Fraction(r).limit_denominator(10))) - (1 / 3 + r * r - 4 / 3 * r**3)) < 1e-12
    best = max((Fraction(k, 1000) for k in range(1001)), key=lambda r: revenue_formula(2, r))
    assert best == Fraction(1, 2)
    assert revenue_formula(2, best) == Fraction(5, 12) and "**5/12 ≈ 0.417**" in ANSWER
    assert f"**{float(revenue_formula(2, best) / Fraction(1, 3) - 1):.0%}** more" in ANSWER
    assert best**2 == Fraction(1, 4) and "**1/4** of impressions" in ANSWER


def test_five_bidders_with_reserve():
    five = revenue_formula(5, Fraction(1, 2))
    assert five == Fraction(43, 64) and abs(revenue_numeric(5, 0.5) - float(five)) < 1e-8
    assert f"43/64 ≈ {float(five):.3f}" in ANSWER
    binds = Fraction(sum(comb(5, k) for k in (4, 5)), 32)  # at least four of five below 1/2
    assert binds == Fraction(6, 32) and f"6/32 ≈ {float(binds):.0%}" in ANSWER
    assert float(five / Fraction(2, 3) - 1) < 0.01
