"""Recomputes the numbers in exp-instrumental-variable-encouragement."""

import math
from pathlib import Path

import yaml

FILE = Path(__file__).resolve().parents[3] / "content/questions/experimentation/exp-instrumental-variable-encouragement.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
N = 20_000
TRIED = {"prompt": 0.30, "control": 0.05}
RETAINED = {"prompt": 0.410, "control": 0.395}


def test_pooled_figures_in_the_prompt_are_consistent():
    tried = sum(TRIED[a] * N for a in TRIED)
    retained = sum(RETAINED[a] * N for a in RETAINED)
    retained_tried = 0.58 * tried
    assert round((retained - retained_tried) / (2 * N - tried), 3) == 0.365


def test_itt_first_stage_and_wald():
    itt = RETAINED["prompt"] - RETAINED["control"]
    first = TRIED["prompt"] - TRIED["control"]
    assert f"= **{itt * 100:.1f} pp**" in ANSWER and f"= **{first * 100:.0f} pp** more" in ANSWER
    assert f"1.5 / 25 = **{itt / first * 100:.0f} pp**" in ANSWER
    assert f"**compliers ({first:.0%})**" in ANSWER and f"never-takers ({1 - TRIED['prompt']:.0%}" in ANSWER


def test_interval_and_instrument_strength():
    itt = RETAINED["prompt"] - RETAINED["control"]
    first = TRIED["prompt"] - TRIED["control"]
    se_itt = math.sqrt(sum(r * (1 - r) / N for r in RETAINED.values()))
    se_first = math.sqrt(sum(t * (1 - t) / N for t in TRIED.values()))
    assert f"≈ {se_itt * 100:.2f} pp." in ANSWER
    se_late = se_itt / first
    assert f"0.49 / 0.25 ≈ {se_late * 100:.2f} pp" in ANSWER
    delta = math.sqrt(se_itt**2 / first**2 + itt**2 * se_first**2 / first**4)
    assert abs(delta - se_late) < 0.0002  # the first-stage noise adds almost nothing
    assert f"its SE is {se_first * 100:.2f} pp" in ANSWER
    late = itt / first
    assert f"6 ± {1.96 * se_late * 100:.1f} pp, **≈ [{(late - 1.96 * se_late) * 100:.1f}, {(late + 1.96 * se_late) * 100:.1f}] pp**" in ANSWER
    assert f"(z ≈ {round(first / se_first, -1):.0f})" in ANSWER
    assert f"each 0.25 pp of direct effect removes {0.0025 / first * 100:.0f} pp" in ANSWER
