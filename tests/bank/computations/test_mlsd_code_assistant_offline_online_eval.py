"""Recomputes the numbers in the model answer of mlsd-code-assistant-offline-online-eval."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml-system-design/mlsd-code-assistant-offline-online-eval.yaml").read_text(encoding="utf-8"))["answer"]


def shown(text: str) -> bool:
    """The answer prints this number as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def retained(shown_per_day, acceptance, characters, kept):
    return shown_per_day * acceptance * characters * kept


def test_retained_characters():
    a = retained(400, 0.25, 120, 0.70)
    b = retained(500, 0.32, 45, 0.85)
    assert shown(f"**{a:,.0f}**") and shown(f"**{b:,.0f}**")
    assert shown(f"{1 - b / a:.0%}")
