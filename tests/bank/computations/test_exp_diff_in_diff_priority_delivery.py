"""Recomputes the numbers in exp-diff-in-diff-priority-delivery."""

from pathlib import Path

import yaml

FILE = Path(__file__).resolve().parents[3] / "content/questions/experimentation/exp-diff-in-diff-priority-delivery.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
T = {"Dec": 114, "Jan": 117, "Feb": 120, "post": 138}
C = {"Dec": 94, "Jan": 97, "Feb": 100, "post": 110}


def test_naive_and_levels_did():
    naive = T["post"] - T["Feb"]
    assert f"138 − 120 = +{naive} (+{naive / T['Feb']:.0%})" in ANSWER
    did = naive - (C["post"] - C["Feb"])
    assert f"DiD = 18 − 10 = **+{did} orders" in ANSWER
    counterfactual = T["Feb"] + C["post"] - C["Feb"]
    assert f"120 + 10 = {counterfactual}, so the effect is 8 / 130 ≈ **+{did / counterfactual:.1%}**" in ANSWER


def test_pre_trends_are_parallel_in_levels_not_logs():
    t_steps = {T["Jan"] - T["Dec"], T["Feb"] - T["Jan"]}
    c_steps = {C["Jan"] - C["Dec"], C["Feb"] - C["Jan"]}
    assert t_steps == c_steps == {3}
    assert f"120 / 114 − 1 ≈ {T['Feb'] / T['Dec'] - 1:.1%}" in ANSWER
    assert f"100 / 94 − 1 ≈ {C['Feb'] / C['Dec'] - 1:.1%}" in ANSWER


def test_log_scale_did():
    counterfactual = T["Feb"] * C["post"] / C["Feb"]
    assert f"120 × 110 / 100 = {counterfactual:.0f}" in ANSWER
    assert f"138 / 132 − 1 ≈ **+{T['post'] / counterfactual - 1:.1%}**" in ANSWER
