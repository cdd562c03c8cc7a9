"""Recomputes the numbers in exp-bayesian-beta-binomial-signups."""

import math
from pathlib import Path

import yaml
from scipy import integrate, stats

FILE = Path(__file__).resolve().parents[3] / "content/questions/experimentation/exp-bayesian-beta-binomial-signups.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words


def p_b_beats_a(a, b, ratio=1.0):
    value, _ = integrate.quad(lambda x: b.pdf(x) * a.cdf(x / ratio), 0.02, 0.10, points=[0.05, 0.06], limit=200)
    return value


def test_posteriors_and_their_intervals():
    a, b = stats.beta(201, 3801), stats.beta(237, 3765)
    assert f"{a.mean():.2%}" == "5.02%" and f"{b.mean():.2%}" == "5.92%"
    for dist in (a, b):
        low, high = dist.ppf([0.025, 0.975])
        assert f"[{low:.2%}, {high:.2%}]" in ANSWER


def test_probability_b_beats_a_and_the_z_test():
    a, b = stats.beta(201, 3801), stats.beta(237, 3765)
    assert f"P(B > A) ≈ {p_b_beats_a(a, b):.1%}" in ANSWER
    assert f"P(B > 1.1 · A) ≈ {p_b_beats_a(a, b, 1.1):.0%}" in ANSWER
    diff, sd = b.mean() - a.mean(), math.sqrt(a.var() + b.var())
    assert f"mean {diff * 100:.2f} points" in ANSWER and f"SD √(Var_A + Var_B) ≈ {sd * 100:.2f} points" in ANSWER
    assert f"{stats.norm.cdf(diff / sd):.1%}" == "96.2%"
    pooled = 436 / 8000
    z = (236 / 4000 - 200 / 4000) / math.sqrt(pooled * (1 - pooled) * 2 / 4000)
    assert f"z ≈ {z:.2f}, one-sided p ≈ {stats.norm.sf(z):.3f}" in ANSWER
    assert f"(two-sided {2 * stats.norm.sf(z):.3f})" in ANSWER


def test_informative_prior():
    a, b = stats.beta(250, 4750), stats.beta(286, 4714)
    assert f"{a.mean():.2%}" in ANSWER and f"{b.mean():.2%}" in ANSWER
    assert f"P(B > A) ≈ {p_b_beats_a(a, b):.1%}" in ANSWER
