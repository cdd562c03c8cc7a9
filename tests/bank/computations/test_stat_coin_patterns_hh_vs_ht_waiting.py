"""Recomputes the numbers in stat-coin-patterns-hh-vs-ht-waiting."""

from fractions import Fraction
from pathlib import Path

import numpy as np
import yaml

FILE = Path(__file__).resolve().parents[3] / "content/questions/statistics/stat-coin-patterns-hh-vs-ht-waiting.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words


def step(state, symbol, patterns):
    """Longest suffix of state+symbol that is a prefix of some pattern (or a whole pattern)."""
    s = state + symbol
    while s and not any(p.startswith(s) for p in patterns):
        s = s[1:]
    return s


def chain(patterns, p_heads):
    """Expected flips to the first pattern, and the probability that each pattern comes first."""
    states = sorted({p[:k] for p in patterns for k in range(len(p))})
    index = {s: i for i, s in enumerate(states)}
    a = np.eye(len(states))
    b_time = np.ones(len(states))
    b_win = {p: np.zeros(len(states)) for p in patterns}
    for s in states:
        for symbol, prob in (("H", p_heads), ("T", 1 - p_heads)):
            nxt = step(s, symbol, patterns)
            if nxt in patterns:
                b_win[nxt][index[s]] += prob
            else:
                a[index[s], index[nxt]] -= prob
    time = np.linalg.solve(a, b_time)[index[""]]
    wins = {p: np.linalg.solve(a, v)[index[""]] for p, v in b_win.items()}
    return time, wins


def test_expected_waits():
    assert round(chain(["HH"], 0.5)[0], 9) == 6 and "**E₀ = 6**" in ANSWER
    assert round(chain(["HT"], 0.5)[0], 9) == 4 and "= **4**" in ANSWER


def test_races():
    _, wins = chain(["HH", "HT"], 0.5)
    assert abs(wins["HH"] - 0.5) < 1e-12 and "HH vs HT race: 50/50" in ANSWER
    _, wins = chain(["HH", "TH"], 0.5)
    assert abs(wins["TH"] - 0.75) < 1e-12 and "P(TH first) = **¾**" in ANSWER


def test_payment_failures():
    p = Fraction(1, 10)  # "H" stands for a failure here
    two_failures = chain(["HH"], float(p))[0]
    assert abs(two_failures - float((1 + p) / p**2)) < 1e-9
    assert f"= 1.1 / 0.01 = **{two_failures:.0f} payments**" in ANSWER
    fail_then_success = chain(["HT"], float(p))[0]
    assert f"≈ **{fail_then_success:.1f} payments**" in ANSWER
    assert f"about {11_000 / two_failures:.0f} alerts an hour" in ANSWER
