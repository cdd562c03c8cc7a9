"""Recomputes the numbers in the model answer of mlsd-podcast-new-episode-cold-start."""

import math
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml-system-design/mlsd-podcast-new-episode-cold-start.yaml").read_text(encoding="utf-8"))["answer"]


def shown(text: str) -> bool:
    """The answer prints this number as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def test_exploration_budget_per_episode():
    per_episode = 50e6 * 0.05 / 30000
    assert shown(f"**{per_episode:.0f}**") and shown(f"**{per_episode * 0.04:.1f}**")
    se = math.sqrt(0.04 * 0.96 / round(per_episode))
    assert shown(f"**{se:.3f}**") and round(se / 0.04, 1) == 0.5


def test_shrunk_estimate():
    n = round(50e6 * 0.05 / 30000)
    assert shown(f"**{(4 + 6) / (100 + n):.1%}**") and shown(f"**{6 / n:.1%}**")
