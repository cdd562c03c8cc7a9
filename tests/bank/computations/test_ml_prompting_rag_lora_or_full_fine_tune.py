"""Recomputes the numbers in the model answer of ml-prompting-rag-lora-or-full-fine-tune."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-prompting-rag-lora-or-full-fine-tune.yaml").read_text(encoding="utf-8"))["answer"]


def shown(text: str) -> bool:
    """The answer prints this number as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def test_extraction_costs():
    input_cost, output_cost = 3000 * 3 / 1e6, 250 * 15 / 1e6
    assert shown(f"${input_cost:.3f}") and shown(f"${output_cost:.5f}")
    per_email = input_cost + output_cost
    assert shown(f"${per_email:.5f} per email")
    hosted = per_email * 2.5e6
    assert shown(f"${hosted:,.0f} a month")
    gpus = 2 * 2.50 * 730
    assert shown(f"${gpus:,.0f} a month")
    assert shown(f"${round(hosted - gpus, -3):,.0f} less")
    assert round(2.5e6 / (30 * 86400)) == 1  # "about 1 email per second"


def test_encoder_memory():
    assert shown(f"{110e6 * 16 / 1e9:.2f} GB")
