"""Recomputes the numbers in the model answer of ml-permutation-vs-impurity-importance."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-permutation-vs-impurity-importance.yaml").read_text(encoding="utf-8"))["answer"]

BASELINE = 0.840
IMPURITY = {"support_calls_30d": 0.25, "customer_id_hash": 0.22, "total_charges": 0.20,
            "tenure_months": 0.18, "monthly_charges": 0.15}
PERMUTED = {"support_calls_30d": 0.781, "customer_id_hash": 0.839, "total_charges": 0.826,
            "tenure_months": 0.829, "monthly_charges": 0.808}


def shown(text: str) -> bool:
    """The answer prints this number as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def test_ranking_table():
    drops = {f: BASELINE - auc for f, auc in PERMUTED.items()}
    by_drop = sorted(drops, key=drops.get, reverse=True)
    by_impurity = sorted(IMPURITY, key=IMPURITY.get, reverse=True)
    for rank, feature in enumerate(by_drop, start=1):
        row = f"| {feature} | **{drops[feature]:.3f}** | {rank} | {by_impurity.index(feature) + 1} |"
        assert row in ANSWER, row


def test_correlated_pair():
    single = (BASELINE - PERMUTED["tenure_months"]) + (BASELINE - PERMUTED["total_charges"])
    joint = BASELINE - 0.790
    assert shown(f"{single:.3f}") and shown(f"{joint:.3f}")
    assert round(joint / single) == 2
    assert shown(f"{BASELINE - 0.838:.3f}")
