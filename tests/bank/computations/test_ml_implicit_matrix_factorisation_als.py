"""Recomputes the numbers in the model answer of ml-implicit-matrix-factorisation-als."""

import re
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-implicit-matrix-factorisation-als.yaml").read_text(encoding="utf-8"))["answer"]

Y = np.array([[1, 0], [0, 1], [1, 1], [0.8, 0.3]])
PLAYS = np.array([5, 0, 1, 0], dtype=float)
ALPHA, LAMBDA = 2, 0.1


def shown(text: str) -> bool:
    """The answer prints this number (or vector) as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def signed(x: float, places: int = 3) -> str:
    return f"{x:.{places}f}".replace("-", "−")


def als_user_step():
    confidence = 1 + ALPHA * PLAYS
    preference = (PLAYS > 0).astype(float)
    gram = Y.T @ np.diag(confidence) @ Y
    system = gram + LAMBDA * np.eye(2)
    rhs = Y.T @ (confidence * preference)
    return confidence, gram, system, rhs, np.linalg.solve(system, rhs)


def test_normal_equations():
    confidence, gram, system, rhs, _ = als_user_step()
    assert shown("(" + ", ".join(f"{c:.0f}" for c in confidence) + ")")
    assert shown(f"[[{gram[0, 0]:.2f}, {gram[0, 1]:.2f}], [{gram[1, 0]:.2f}, {gram[1, 1]:.2f}]]")
    assert shown(f"[[{system[0, 0]:.2f}, {system[0, 1]:.2f}], [{system[1, 0]:.2f}, {system[1, 1]:.2f}]]")
    assert shown(f"({rhs[0]:.0f}, {rhs[1]:.0f})")
    assert shown(f"{np.linalg.det(system):.3f}")


def test_the_yty_trick_gives_the_same_matrix():
    confidence, gram, *_ = als_user_step()
    assert np.allclose(gram, Y.T @ Y + Y.T @ np.diag(confidence - 1) @ Y)


def test_user_factor_and_scores():
    *_, system, rhs, x = als_user_step()
    a, b, c, d = system.ravel()
    numerators = (d * rhs[0] - b * rhs[1], -c * rhs[0] + a * rhs[1])
    assert shown(f"({numerators[0]:.2f}, {signed(numerators[1], 2)})")
    assert shown(f"({x[0]:.3f}, {signed(x[1])})")
    scores = Y @ x
    for score in scores:
        assert shown(f"**{signed(score)}**")
    unplayed = [i for i in range(4) if PLAYS[i] == 0]
    assert max(unplayed, key=lambda i: scores[i]) == 3  # song 4


def test_scale():
    assert 10e6 * 2e6 == 2e13
