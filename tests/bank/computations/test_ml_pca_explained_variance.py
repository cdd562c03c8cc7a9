"""Recomputes the numbers in the model answer of ml-pca-explained-variance."""

import math
import re
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-pca-explained-variance.yaml").read_text(encoding="utf-8"))["answer"]

EIGENVALUES = [4.2, 2.1, 1.3, 0.9, 0.5, 0.4, 0.3, 0.15, 0.1, 0.05]


def shown(text: str) -> bool:
    """The answer prints this number as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def percent(x: float) -> str:
    return f"{x:.1%}".replace(".0%", "%")


def test_two_by_two_eigenpairs():
    values, vectors = np.linalg.eigh(np.array([[1, 0.8], [0.8, 1]]))
    assert np.allclose(values, [0.2, 1.8])
    assert np.allclose(np.abs(vectors[:, 1]), [1 / math.sqrt(2)] * 2)
    assert shown(f"{values[1]:.1f}") and shown(f"{values[0]:.1f}")
    assert shown(percent(values[1] / 2)) and shown(percent(values[0] / 2))


def test_projection_and_reconstruction():
    x = np.array([2.0, 1.0])
    u = np.array([1.0, 1.0]) / math.sqrt(2)
    score = x @ u
    reconstruction = score * u
    assert shown(f"{score:.3f}") and shown(f"({reconstruction[0]:.1f}, {reconstruction[1]:.1f})")
    assert shown(f"{((x - reconstruction) ** 2).sum():.1f}")


def test_shares_and_cumulative():
    total = sum(EIGENVALUES)
    assert math.isclose(total, 10)
    cumulative = np.cumsum(EIGENVALUES) / total
    row = "| cumulative | " + " | ".join(percent(c) for c in cumulative) + " |"
    assert row.replace("| 90% |", "| **90%** |") in ANSWER
    assert "| share | " + " | ".join(percent(e / total) for e in EIGENVALUES) + " |" in ANSWER
    keep = int(np.argmax(cumulative >= 0.9 - 1e-12)) + 1
    assert keep == 5 and sum(e > 1 for e in EIGENVALUES) == 3
    assert shown(percent(cumulative[2]))


def test_reconstruction_error_is_the_dropped_variance():
    dropped = sum(EIGENVALUES[5:])
    assert shown(f"{dropped:.1f}") and shown(percent(dropped / sum(EIGENVALUES)))
    assert shown(f"{2000 ** 2:,}")
