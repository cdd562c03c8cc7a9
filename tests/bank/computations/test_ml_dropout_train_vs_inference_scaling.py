"""Recomputes the numbers in the model answer of ml-dropout-train-vs-inference-scaling."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-dropout-train-vs-inference-scaling.yaml").read_text(encoding="utf-8"))["answer"]

H = (2.0, 4.0, 1.0, 3.0)
P = 0.25
MASK = (1, 0, 1, 1)


def shown(text: str) -> bool:
    """The answer prints this number as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def test_inverted_dropout_pass():
    out = [h * m / (1 - P) for h, m in zip(H, MASK)]
    assert shown(f"{1 / (1 - P):.3f}")
    assert [round(v, 3) for v in out] == [2.667, 0, 1.333, 4.0]
    assert shown("(2.667, 0, 1.333, 4.0)")
    assert shown(f"{sum(out):.1f}")
    expected = [(1 - P) * h / (1 - P) for h in H]
    assert expected == list(H)


def test_the_unscaled_bug():
    train_sum = (1 - P) * sum(H)
    assert shown(f"{train_sum:.1f}") and shown(f"{sum(H):.0f}")
    assert shown(f"{sum(H) / train_sum:.3f}×")
    assert shown(f"{1 - P:.2f}")
