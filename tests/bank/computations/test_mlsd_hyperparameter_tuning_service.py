"""Recomputes the numbers in the model answer of mlsd-hyperparameter-tuning-service."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml-system-design/mlsd-hyperparameter-tuning-service.yaml").read_text(encoding="utf-8"))["answer"]


def shown(text: str) -> bool:
    """The answer prints this number as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def rungs(configs=81, eta=3, min_epochs=1, max_epochs=81):
    n, r = configs, min_epochs
    while r <= max_epochs and n >= 1:
        yield n, r
        n, r = n // eta, r * eta


def test_successive_halving_budgets():
    plan = list(rungs())
    assert plan == [(81, 1), (27, 3), (9, 9), (3, 27), (1, 81)]
    restart = sum(n * r for n, r in plan)
    resume, previous = 0, 0
    for n, r in plan:
        resume += n * (r - previous)
        previous = r
    full = 81 * 81
    assert shown(f"**{restart}**") and shown(f"**{resume}**") and shown(f"**{full:,}**")
    assert shown(f"**{full / restart:.0f}×**") and shown(f"**{full / resume:.0f}×**")


def test_test_set_looks():
    assert shown(f"**{40 * 20}**")
