"""Recomputes the numbers in the model answer of ml-precision-recall-at-k-mrr."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-precision-recall-at-k-mrr.yaml").read_text(encoding="utf-8"))["answer"]

RESULTS = {"reset password": [1, 0, 1, 0, 0], "export invoices": [0, 0, 1, 1, 0], "delete account": [0, 0, 0, 0, 0]}
RELEVANT = {"reset password": 2, "export invoices": 4, "delete account": 1}
FULL_RANK_OF_FIRST_HIT = {"delete account": 8}


def shown(number: str) -> bool:
    """The answer prints this number as a whole token (0.4 does not match 0.45)."""
    return re.search(rf"(?<![\d.]){re.escape(number)}(?!\d|\.\d)", ANSWER) is not None


def reciprocal_rank(hits):
    return next((1 / (i + 1) for i, hit in enumerate(hits) if hit), 0.0)


def test_means_over_the_three_queries():
    precision = [sum(h) / 5 for h in RESULTS.values()]
    recall = [sum(h) / RELEVANT[q] for q, h in RESULTS.items()]
    rr = [reciprocal_rank(h) for h in RESULTS.values()]
    assert precision == [0.4, 0.4, 0.0] and recall == [1.0, 0.5, 0.0]
    assert shown(f"{sum(precision) / 3:.3f}")
    assert shown(f"{sum(recall) / 3:.1f}")
    assert shown(f"{rr[1]:.3f}")
    assert shown(f"{sum(rr) / 3:.3f}")


def test_uncut_mrr_and_pooled_recall():
    rr = [reciprocal_rank(RESULTS["reset password"]), reciprocal_rank(RESULTS["export invoices"]),
          1 / FULL_RANK_OF_FIRST_HIT["delete account"]]
    assert shown(f"{rr[2]:.3f}")
    assert shown(f"{sum(rr) / 3:.3f}")
    pooled = sum(sum(h) for h in RESULTS.values()) / sum(RELEVANT.values())
    assert shown(f"{pooled:.3f}")


def test_precision_ceilings():
    for query, best in (("reset password", "0.4"), ("export invoices", "0.8"), ("delete account", "0.2")):
        assert f"{min(RELEVANT[query], 5) / 5:.1f}" == best
        assert shown(best)
