"""Recomputes the numbers in the model answer of ml-prompt-injection-email-assistant."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-prompt-injection-email-assistant.yaml").read_text(encoding="utf-8"))["answer"]


def shown(text: str) -> bool:
    """The answer prints this number as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def test_daily_chance_of_a_successful_injection():
    per_attempt, attempts = 0.005, 1000
    assert shown(f"{1 - (1 - per_attempt) ** attempts:.3f}")
    assert shown(f"{per_attempt * attempts:.0f}")
