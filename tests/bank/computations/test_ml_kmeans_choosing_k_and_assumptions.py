"""Recomputes the numbers in the model answer of ml-kmeans-choosing-k-and-assumptions."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-kmeans-choosing-k-and-assumptions.yaml").read_text(encoding="utf-8"))["answer"]

INERTIA = {1: 15000, 2: 9000, 3: 5400, 4: 2900, 5: 2600, 6: 2380, 7: 2200}
SILHOUETTE = {2: 0.38, 3: 0.44, 4: 0.52, 5: 0.47, 6: 0.41, 7: 0.39}


def shown(text: str) -> bool:
    """The answer prints this number as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def test_relative_drops():
    for k in range(2, 8):
        before, after = INERTIA[k - 1], INERTIA[k]
        drop = (before - after) / before * 100
        assert shown(f"{before - after:,}/{before:,}")
        assert shown(f"{drop:.1f}%".replace(".0%", "%"))


def test_elbow_and_silhouette_agree_on_four():
    drops = {k: (INERTIA[k - 1] - INERTIA[k]) / INERTIA[k - 1] for k in range(2, 8)}
    elbow = max(k for k in drops if drops[k] > 0.3)
    assert elbow == 4 and max(SILHOUETTE, key=SILHOUETTE.get) == 4
    assert shown(f"{(1 - INERTIA[4] / INERTIA[1]) * 100:.1f}%")
    assert 5000 * 3 * 1.0 == INERTIA[1]  # total sum of squares of 3 standardised features
