"""Recomputes the numbers in the model answer of mlsd-loan-decline-reason-codes-shap."""

import math
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml-system-design/mlsd-loan-decline-reason-codes-shap.yaml").read_text(encoding="utf-8"))["answer"]

BASE = -2.0
SHAP = {"late_payments_12m": 0.50, "revolving_utilisation_6m_avg": 0.40, "revolving_utilisation_now": 0.35,
        "hard_inquiries_6m": 0.30, "months_at_address": 0.10, "income": -0.20}
GROUPS = {"revolving utilisation": ["revolving_utilisation_6m_avg", "revolving_utilisation_now"],
          "late payments": ["late_payments_12m"], "recent credit inquiries": ["hard_inquiries_6m"],
          "months at address": ["months_at_address"], "income": ["income"]}


def shown(text: str) -> bool:
    """The answer prints this number as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def probability(log_odds: float) -> float:
    return 1 / (1 + math.exp(-log_odds))


def test_prediction_and_base_value():
    total = sum(SHAP.values())
    assert shown(f"{total:.2f}")
    log_odds = BASE + total
    assert shown(f"**{log_odds:.2f}**".replace("-", "−")) and shown(f"**{probability(log_odds):.1%}**")
    assert probability(log_odds) >= 0.20
    assert shown(f"**{probability(BASE):.1%}**")


def test_grouped_reasons():
    grouped = {g: sum(SHAP[f] for f in fs) for g, fs in GROUPS.items()}
    top = sorted((g for g in grouped if grouped[g] > 0), key=grouped.get, reverse=True)[:4]
    assert top == ["revolving utilisation", "late payments", "recent credit inquiries", "months at address"]
    assert shown(f"**revolving utilisation {grouped['revolving utilisation']:.2f}**")


def test_removing_utilisation_is_not_enough():
    log_odds = BASE + sum(SHAP.values()) - 0.75
    assert shown(f"{log_odds:.2f}".replace("-", "−")) and shown(f"**{probability(log_odds):.1%}**")
    assert probability(log_odds) >= 0.20


def test_treeshap_cost():
    operations = 500 * 2 ** 6 * 6 ** 2
    assert shown(f"**{operations / 1e6:.2f}M**")
