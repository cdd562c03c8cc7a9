"""Recomputes the numbers in the model answer of ml-agent-eval-pass-at-k-reliability."""

import math
import re
import statistics
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-agent-eval-pass-at-k-reliability.yaml").read_text(encoding="utf-8"))["answer"]

TRIALS = 4
TASKS_BY_PASSES = {4: 20, 3: 10, 2: 8, 1: 5, 0: 7}


def shown(text: str) -> bool:
    """The answer prints this number as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def per_task_rates():
    return [passes / TRIALS for passes, tasks in TASKS_BY_PASSES.items() for _ in range(tasks)]


def test_pass_metrics():
    tasks = sum(TASKS_BY_PASSES.values())
    passing = sum(p * t for p, t in TASKS_BY_PASSES.items())
    assert (tasks, passing) == (50, 131)
    assert shown(f"{passing / (tasks * TRIALS):.3f}")
    assert shown(f"{(tasks - TASKS_BY_PASSES[0]) / tasks:.2f}")
    assert shown(f"{TASKS_BY_PASSES[4] / tasks:.2f}")
    assert sum(TASKS_BY_PASSES[c] for c in (1, 2, 3)) == 23  # pass only some of the time


def test_independent_trials_would_look_different():
    p = 131 / 200
    assert shown(f"{1 - (1 - p) ** 4:.3f}") and shown(f"{p ** 4:.3f}")


def test_unbiased_estimators_match_the_direct_counts_at_k_equals_n():
    at = [1 - math.comb(TRIALS - c, TRIALS) / math.comb(TRIALS, TRIALS) for c in TASKS_BY_PASSES]
    hat = [math.comb(c, TRIALS) / math.comb(TRIALS, TRIALS) for c in TASKS_BY_PASSES]
    weights = list(TASKS_BY_PASSES.values())
    assert math.isclose(sum(a * w for a, w in zip(at, weights)) / 50, 0.86)
    assert math.isclose(sum(h * w for h, w in zip(hat, weights)) / 50, 0.40)


def test_clustered_and_naive_standard_errors():
    p = 131 / 200
    assert shown(f"{math.sqrt(p * (1 - p) / 200):.3f}")
    sd = statistics.stdev(per_task_rates())
    se = sd / math.sqrt(50)
    assert shown(f"{sd:.3f}") and shown(f"{se:.3f}")
    assert shown(f"{p - 1.96 * se:.2f}–{p + 1.96 * se:.2f}")


def test_the_single_run_claim():
    assert shown(f"{math.sqrt(0.70 * 0.30 / 50):.3f}")
    assert shown(f"{(0.70 - 131 / 200) * 100:.1f}-point")
