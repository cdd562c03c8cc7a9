"""Recomputes the numbers in the model answer of ml-batch-norm-vs-layer-norm."""

import re
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-batch-norm-vs-layer-norm.yaml").read_text(encoding="utf-8"))["answer"]

X = np.array([[1, 2, 3, 6], [3, 2, 5, 2], [5, 2, 1, 4]], dtype=float)
EPS = 1e-5


def shown(text: str) -> bool:
    """The answer prints this number (or tuple) as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def as_printed(values) -> str:
    """(−1.225, 0, 0, 1.225): three decimals, zeros bare, real minus signs."""
    parts = ["0" if abs(v) < 5e-4 else f"{v:.3f}".replace("-", "−") for v in values]
    return "(" + ", ".join(parts) + ")"


def test_batch_norm_of_example_one():
    mean, var = X.mean(axis=0), X.var(axis=0)
    assert list(mean) == [3, 2, 3, 4] and var[1] == 0
    assert shown(f"{var[0]:.3f}") and shown(f"{np.sqrt(var[0]):.3f}")
    out = (X - mean) / np.sqrt(var + EPS)
    assert shown(as_printed(out[0]))


def test_layer_norm_of_example_one():
    mean, var = X[0].mean(), X[0].var()
    assert mean == 3 and shown(f"{var:.1f}") and shown(f"{np.sqrt(var):.3f}")
    assert shown(as_printed((X[0] - mean) / np.sqrt(var + EPS)))


def test_batch_of_one_collapses_to_zero():
    single = X[:1]
    out = (single - single.mean(axis=0)) / np.sqrt(single.var(axis=0) + EPS)
    assert np.all(out == 0)
