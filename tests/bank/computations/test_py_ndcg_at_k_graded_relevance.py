"""py-ndcg-at-k-graded-relevance: the printed DCG numbers, and the published code."""

import math
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/python/py-ndcg-at-k-graded-relevance.yaml").read_text(encoding="utf-8"))["answer"]
JUDGED = {"A": 3, "B": 2, "C": 3, "D": 0, "E": 1, "F": 2}
RANKED = ["B", "A", "X", "E", "C"]


def dcg(rels, gain=lambda r: 2**r - 1) -> float:
    return sum(gain(r) / math.log2(i + 2) for i, r in enumerate(rels))


def published():
    namespace: dict = {}
    exec(re.search(r"```python\n(.*?)```", ANSWER, re.S).group(1), namespace)
    return namespace["ndcg_at_k"]


def test_the_printed_numbers():
    got = [JUDGED.get(d, 0) for d in RANKED]
    ideal = sorted(JUDGED.values(), reverse=True)
    returned = sorted(got, reverse=True)
    linear = lambda r: r  # noqa: E731
    printed = {
        "1, 0.631, 0.5, 0.431, 0.387": ", ".join(f"{1 / math.log2(i + 2):.3f}".rstrip("0").rstrip(".") for i in range(5)),
        "≈ **10.56**": f"{dcg(got):.2f}",
        "≈ **14.60**": f"{dcg(ideal[:5]):.2f}",
        "7 + 4.42 + 1.5 + 1.29 + 0.39": " + ".join(f"{(2**r - 1) / math.log2(i + 2):.2f}".rstrip("0").rstrip(".") for i, r in enumerate(ideal[:5])),
        "≈ **0.723**": f"{dcg(got) / dcg(ideal[:5]):.3f}",
        "≈ **0.574**": f"{dcg(got[:3]) / dcg(ideal[:3]):.3f}",
        "IDCG ≈ 13.35": f"{dcg(returned):.2f}",
        "≈ **0.791**": f"{dcg(got) / dcg(returned):.3f}",
        "NDCG@5 ≈ 0.768": f"{dcg(got, linear) / dcg(ideal[:5], linear):.3f}",
    }
    for text, value in printed.items():
        assert text in ANSWER, text
        assert value in text, (text, value)


def test_the_published_function():
    ndcg = published()
    assert ndcg(RANKED, JUDGED, 5) == pytest.approx(0.7232, abs=1e-4)
    assert ndcg(RANKED, JUDGED, 3) == pytest.approx(0.5742, abs=1e-4)
    assert ndcg(["A", "C", "B", "F", "E"], JUDGED, 5) == pytest.approx(1.0)
    assert ndcg(["A"], JUDGED, 5) < 1.0  # a short list is penalised
    assert math.isnan(ndcg(["D"], {"D": 0}, 3))
    with pytest.raises(ValueError):
        ndcg(RANKED, JUDGED, 0)
