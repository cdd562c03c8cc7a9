"""Recomputes the numbers in the model answer of ml-kmeans-iterations-by-hand."""

import re
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-kmeans-iterations-by-hand.yaml").read_text(encoding="utf-8"))["answer"]

POINTS = np.array([[1, 1], [2, 1], [1, 3], [6, 5], [7, 7], [5, 7]], dtype=float)
START = np.array([[1, 1], [2, 1]], dtype=float)


def shown(text: str) -> bool:
    """The answer prints this number (or pair) as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def squared_distances(centroids):
    return ((POINTS[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)


def lloyd(centroids):
    """Yields (assignment, centroids after the update, inertia after the update) until stable."""
    previous = None
    while True:
        assignment = squared_distances(centroids).argmin(axis=1)
        if previous is not None and (assignment == previous).all():
            return
        centroids = np.array([POINTS[assignment == k].mean(axis=0) for k in range(2)])
        yield assignment, centroids, ((POINTS - centroids[assignment]) ** 2).sum()
        previous = assignment


def test_first_assignment_distances():
    d = squared_distances(START)
    for a, b in d:
        assert shown(f"{a:.0f} vs {b:.0f}")


def test_iterations_and_inertia():
    steps = list(lloyd(START))
    assert len(steps) == 2
    (a1, c1, i1), (a2, c2, i2) = steps
    assert list(a1) == [0, 1, 0, 1, 1, 1] and list(a2) == [0, 0, 0, 1, 1, 1]
    assert shown("(1, 2)") and shown("(5, 5)") and c1.tolist() == [[1, 2], [5, 5]]
    assert shown(f"**{i1:.0f}**")
    assert shown(f"({c2[0][0]:.2f}, {c2[0][1]:.2f})") and shown(f"({c2[1][0]:.0f}, {c2[1][1]:.2f})")
    assert shown(f"{i2:.1f}")
    per_cluster = [((POINTS[a2 == k] - c2[k]) ** 2).sum() * 9 for k in range(2)]
    assert shown(f"{per_cluster[0]:.0f}/9 + {per_cluster[1]:.0f}/9")


def test_income_swamps_the_other_features():
    assert shown(f"{15000 ** 2:,}")
    assert shown(f"{((POINTS[:, None] - POINTS[None]) ** 2).sum(axis=2).max():.0f} (P1 to P5)")
