"""Recomputes the numbers in the model answer of ml-hyperparameter-grid-random-bayesian."""

import math
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-hyperparameter-grid-random-bayesian.yaml").read_text(encoding="utf-8"))["answer"]


def shown(text: str) -> bool:
    """The answer prints this number as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def test_grid_coverage():
    assert 4 * 4 * 2 * 2 == 64 and 64 // (4 * 4) == 4


def test_chance_of_hitting_the_top_five_percent():
    assert shown(f"{1 - 0.95 ** 64:.2f}")
    needed = math.log(0.05) / math.log(0.95)
    assert shown(f"{needed:.1f}") and shown(f"**{math.ceil(needed)}**")
    assert 1 - 0.95 ** math.ceil(needed) >= 0.95 > 1 - 0.95 ** (math.ceil(needed) - 1)


def test_uniform_learning_rate_draws():
    low, high, cut = 0.0001, 0.1, 0.01
    assert shown(f"{high - cut:.2f}/{high - low:.4f}")
    assert shown(f"{(high - cut) / (high - low):.0%}")


def test_log_uniform_gives_each_decade_a_third():
    low, high = math.log10(0.0001), math.log10(0.1)
    decade = (math.log10(0.1) - math.log10(0.01)) / (high - low)
    assert math.isclose(decade, 1 / 3) and "gets a third of the draws" in ANSWER
