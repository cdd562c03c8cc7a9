"""Recomputes the numbers in the model answer of ml-scaled-dot-product-attention."""

import math
import re
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-scaled-dot-product-attention.yaml").read_text(encoding="utf-8"))["answer"]

Q = np.array([1, 0, 1, 0], dtype=float)
K = np.array([[1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 0, 0]], dtype=float)
V = np.array([[1, 0], [0, 1], [1, 1]], dtype=float)


def shown(text: str) -> bool:
    """The answer prints this number (or tuple) as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def triple(values, places=3) -> str:
    return "(" + ", ".join(f"{v:.{places}f}" for v in values) + ")"


def softmax(s):
    e = np.exp(s - s.max())
    return e / e.sum()


def test_scaled_attention():
    scores = K @ Q / math.sqrt(4)
    assert list(scores) == [1, 0, 0.5]
    e = np.exp(scores)
    assert shown(f"({e[0]:.3f}, 1, {e[2]:.3f})")
    assert shown(f"{np.exp(scores).sum():.3f}")
    weights = softmax(scores)
    assert shown(triple(weights))
    assert shown(triple(weights @ V))


def test_unscaled_attention():
    scores = K @ Q
    assert shown(f"{np.exp(scores).sum():.3f}")
    assert shown(triple(softmax(scores)))


def test_saturation_without_scaling():
    d = 64
    unscaled = 1 / (1 + math.exp(-math.sqrt(d)))  # one standard deviation is √64 = 8
    scaled = 1 / (1 + math.exp(-1))
    assert shown(f"{unscaled:.4f}") and shown(f"{scaled:.3f}")
    assert shown(f"{unscaled * (1 - unscaled):.4f}") and shown(f"{scaled * (1 - scaled):.3f}")


def test_score_matrix_size():
    n, heads, bytes_per = 8192, 32, 2
    assert shown(f"{n * n / 1e6:.1f}M")
    assert shown(f"{n * n * bytes_per / 1e6:.0f} MB")
    assert shown(f"{n * n * bytes_per * heads / 1e9:.1f} GB")
