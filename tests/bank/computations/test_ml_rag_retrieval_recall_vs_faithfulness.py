"""Recomputes the numbers in the model answer of ml-rag-retrieval-recall-vs-faithfulness."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-rag-retrieval-recall-vs-faithfulness.yaml").read_text(encoding="utf-8"))["answer"]

# (gold passage retrieved, answer, every claim supported): cases
CASES = {
    ("hit", "correct", True): 112, ("hit", "correct", False): 8,
    ("hit", "wrong", True): 6, ("hit", "wrong", False): 24,
    ("miss", "correct", False): 10, ("miss", "wrong", False): 32, ("miss", "abstain", None): 8,
}


def shown(text: str) -> bool:
    """The answer prints this number as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def count(**where):
    keys = ("retrieval", "answer", "supported")
    return sum(n for case, n in CASES.items() if all(case[keys.index(k)] == v for k, v in where.items()))


def rates():
    total = sum(CASES.values())
    hits = count(retrieval="hit")
    return {
        "total": total, "recall": hits / total, "accuracy": count(answer="correct") / total,
        "given_hit": count(retrieval="hit", answer="correct") / hits,
        "given_miss": count(retrieval="miss", answer="correct") / (total - hits),
    }


def test_headline_rates():
    r = rates()
    assert r["total"] == 200
    assert shown(f"{r['recall']:.2f}") and shown(f"{r['accuracy']:.2f}")
    assert shown(f"{r['given_hit']:.2f}") and shown(f"{r['given_miss']:.2f}")
    answering = r["total"] - count(answer="abstain")
    assert answering == 192
    assert shown(f"{count(supported=True) / answering:.3f}")


def test_failure_split_and_what_ifs():
    r = rates()
    failures = r["total"] - count(answer="correct")
    assert failures == 70 and count(retrieval="miss") - count(retrieval="miss", answer="correct") == 40
    assert shown(f"{0.90 * r['given_hit'] + 0.10 * r['given_miss']:.2f}")
    assert shown(f"{r['recall'] * 0.90 + (1 - r['recall']) * r['given_miss']:.3f}")
    assert shown(f"{count(answer='abstain') / count(retrieval='miss'):.0%}")


def test_correct_but_unsupported_share():
    unsupported = count(answer="correct", supported=False)
    assert unsupported == 18
    assert shown(f"{unsupported / count(answer='correct'):.1%}")
