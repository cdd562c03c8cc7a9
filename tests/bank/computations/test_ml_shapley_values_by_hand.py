"""Recomputes the numbers in the model answer of ml-shapley-values-by-hand."""

import math
import re
from itertools import permutations
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-shapley-values-by-hand.yaml").read_text(encoding="utf-8"))["answer"]

V = {"": 0.10, "I": 0.12, "D": 0.16, "L": 0.20, "ID": 0.19, "IL": 0.23, "DL": 0.34, "IDL": 0.40}


def shown(text: str) -> bool:
    """The answer prints this number as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def value(features) -> float:
    return V["".join(f for f in "IDL" if f in features)]


def shapley_by_orders():
    """Average marginal contribution over all 3! orders of revealing the features."""
    phi = dict.fromkeys("IDL", 0.0)
    orders = list(permutations("IDL"))
    for order in orders:
        known = set()
        for feature in order:
            phi[feature] += (value(known | {feature}) - value(known)) / len(orders)
            known.add(feature)
    return phi


def shapley_by_weights(feature):
    """The coalition formula with weights |S|!(n − |S| − 1)!/n!."""
    others = [f for f in "IDL" if f != feature]
    total = 0.0
    for subset in ((), (others[0],), (others[1],), tuple(others)):
        weight = math.factorial(len(subset)) * math.factorial(2 - len(subset)) / math.factorial(3)
        total += weight * (value(set(subset) | {feature}) - value(set(subset)))
    return total


def test_shapley_values_two_ways():
    phi = shapley_by_orders()
    for feature in "IDL":
        assert math.isclose(phi[feature], shapley_by_weights(feature))
        assert shown(f"**{phi[feature]:.3f}**")
        assert shown(f"{phi[feature]:.4f}")
    assert math.isclose(sum(phi.values()), V["IDL"] - V[""])


def test_printed_partial_sums():
    for first_or_last, second in (((0.02, 0.06), (0.03, 0.03)), ((0.06, 0.17), (0.07, 0.14)), ((0.10, 0.21), (0.11, 0.18))):
        assert shown(f"{sum(first_or_last) / 3:.4f}") and shown(f"{sum(second) / 6:.4f}")


def test_interaction_and_linear_check():
    interaction = V["DL"] - V["D"] - V["L"] + V[""]
    assert shown(f"**{interaction:.2f}**") and shown(f"{interaction / 2:.2f} each")
    assert shown(f"+{-0.02 * (3 - 6):.2f}")
    assert shown(f"{2 ** 40 / 1e12:.1f} × 10^12")
