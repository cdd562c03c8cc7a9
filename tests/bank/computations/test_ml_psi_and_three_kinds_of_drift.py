"""Recomputes the numbers in the model answer of ml-psi-and-three-kinds-of-drift."""

import math
import re
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-psi-and-three-kinds-of-drift.yaml").read_text(encoding="utf-8"))["answer"]

EXPECTED = [0.20] * 5
ACTUAL = [0.10, 0.15, 0.20, 0.25, 0.30]


def shown(text: str) -> bool:
    """The answer prints this number as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def psi(actual, expected):
    return sum((a - e) * math.log(a / e) for a, e in zip(actual, expected))


def test_psi_terms_and_total():
    for a, e in zip(ACTUAL, EXPECTED):
        term = (a - e) * math.log(a / e)
        assert shown(f"**{term:.3f}**") or (term == 0 and shown("**0**"))
    assert shown(f"**{psi(ACTUAL, EXPECTED):.3f}**")


def test_psi_is_the_symmetrised_kl_divergence():
    kl = lambda p, q: sum(x * math.log(x / y) for x, y in zip(p, q))  # noqa: E731
    assert math.isclose(psi(ACTUAL, EXPECTED), kl(ACTUAL, EXPECTED) + kl(EXPECTED, ACTUAL))


def test_noise_of_a_100_row_daily_psi():
    bins, n = 10, 100
    assert shown(f"{(bins - 1) / n:.2f}")
    rng = np.random.default_rng(19)
    p = np.full(bins, 1 / bins)
    shares = np.clip(rng.multinomial(n, p, size=20000) / n, 1e-4, None)
    daily = ((shares - p) * np.log(shares / p)).sum(axis=1)
    assert abs(daily.mean() - (bins - 1) / n) < 0.01
    over = (daily > 0.1).mean()
    assert 0.35 < over < 0.45 and shown("**40%**")
