"""Recomputes the numbers in the model answer of mlsd-credit-model-drift-alerting."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml-system-design/mlsd-credit-model-drift-alerting.yaml").read_text(encoding="utf-8"))["answer"]


def shown(text: str) -> bool:
    """The answer prints this number as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def test_false_pages():
    features, p = 150, 0.01
    assert shown(f"**{features * p:.1f}**")
    assert shown(f"**{1 - (1 - p) ** features:.2f}**")


def test_psi_sampling_noise():
    bins = 10
    assert shown(f"**{(bins - 1) / 20000:.5f}**")
    assert shown(f"**{(bins - 1) / 300:.2f}**")
