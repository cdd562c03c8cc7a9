"""Recomputes the numbers in exp-thompson-sampling-headlines."""

import math
from pathlib import Path

import yaml
from scipy import integrate, stats

FILE = Path(__file__).resolve().parents[3] / "content/questions/experimentation/exp-thompson-sampling-headlines.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
DATA = {"H1": (50, 1000), "H2": (62, 1000), "H3": (8, 150)}
POSTERIORS = {arm: stats.beta(1 + clicks, 1 + n - clicks) for arm, (clicks, n) in DATA.items()}


def test_posterior_table():
    for arm, post in POSTERIORS.items():
        a, b = post.args
        low, high = post.ppf([0.025, 0.975])
        assert f"| {arm} | Beta({a}, {b}) | {post.mean():.2%} | [{low:.1%}, {high:.1%}] |" in ANSWER


def test_thompson_shares_are_the_probabilities_of_being_best():
    shares = {}
    for arm, post in POSTERIORS.items():
        others = [p for other, p in POSTERIORS.items() if other != arm]
        integrand = lambda x: post.pdf(x) * math.prod(p.cdf(x) for p in others)  # noqa: E731
        shares[arm] = integrate.quad(integrand, 0, 0.3, points=[0.05, 0.06, 0.07], limit=500)[0]
    assert abs(sum(shares.values()) - 1) < 1e-6
    for arm, share in shares.items():
        assert f"{arm}: **≈ {share:.0%}** ({share:.1%})" in ANSWER


def test_epsilon_greedy_shares():
    greedy = max(POSTERIORS, key=lambda arm: POSTERIORS[arm].mean())
    assert greedy == "H2"
    assert f"0.9 + 0.1 / 3 ≈ **{0.9 + 0.1 / 3:.1%}**" in ANSWER
    assert f"**{0.1 / 3:.1%}** each" in ANSWER
