"""Recomputes the numbers in the model answer of mlsd-browser-agent-injection-release-gate."""

import math
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml-system-design/mlsd-browser-agent-injection-release-gate.yaml").read_text(encoding="utf-8"))["answer"]
Z = 1.96


def shown(text: str) -> bool:
    """The answer prints this number as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def wilson(p: float, n: int):
    denominator = 1 + Z * Z / n
    centre = (p + Z * Z / (2 * n)) / denominator
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / denominator
    return centre, half


def test_candidate_and_current_intervals():
    centre, half = wilson(18 / 1200, 1200)
    assert shown(f"{18 / 1200:.1%}") and shown(f"{centre:.5f}") and shown(f"{half:.5f}")
    assert shown(f"{centre - half:.2%}–{centre + half:.2%}")
    assert centre + half > 0.02
    centre, half = wilson(30 / 1200, 1200)
    assert shown(f"{30 / 1200:.1%}") and shown(f"{centre - half:.2%}–{centre + half:.2%}")


def test_suite_size_to_pass_the_gate():
    n = 1000
    while sum(wilson(0.015, n)) >= 0.02:
        n += 10
    assert round(n, -3) == 3000 and shown("**3,000**")
    normal = Z * Z * 0.015 * 0.985 / 0.005 ** 2
    assert shown(f"{normal:,.0f}")


def test_benign_drop():
    se = math.sqrt(0.78 * 0.22 / 500 + 0.74 * 0.26 / 500)
    assert shown(f"{se:.3f}") and shown(f"{0.04 / se:.2f}")
