"""Recomputes the numbers in the model answer of ml-transformer-positional-information."""

import math
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-transformer-positional-information.yaml").read_text(encoding="utf-8"))["answer"]

THETA = 0.5


def shown(text: str) -> bool:
    """The answer prints this number (or pair) as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def rotated(position):
    """(1, 0) rotated by position · θ."""
    return math.cos(position * THETA), math.sin(position * THETA)


def pair(v) -> str:
    return "(" + ", ".join(f"{x:.3f}".replace("-", "−") for x in v) + ")"


def test_rotated_vectors_and_offset_only_dot_products():
    dots = []
    for m, n in ((2, 5), (12, 15)):
        q, k = rotated(m), rotated(n)
        assert shown(pair(q)) and shown(pair(k))
        dots.append(q[0] * k[0] + q[1] * k[1])
        rounded = [round(x, 3) for x in q + k]
        assert f"{rounded[0] * rounded[2] + rounded[1] * rounded[3]:.2f}" == "0.07"  # the printed "≈ 0.07"
    assert math.isclose(dots[0], dots[1]) and math.isclose(dots[0], math.cos(1.5))
    assert shown(f"{math.cos(1.5):.4f}")
