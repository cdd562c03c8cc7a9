"""Recomputes the numbers in the model answer of ml-transformer-positional-information."""

import math

from printed import question, shown_in

ANSWER = question("ml-transformer-positional-information")["answer"]

THETA = 0.5


shown = shown_in(ANSWER)


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
