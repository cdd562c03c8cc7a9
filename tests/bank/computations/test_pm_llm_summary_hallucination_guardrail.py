"""pm-llm-summary-hallucination-guardrail: every computed number in the model answer, recomputed."""

from math import sqrt
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/product-metrics/pm-llm-summary-hallucination-guardrail.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())


def rounds_to(value: float, printed: str, unit: float | None = None) -> bool:
    """value, rounded as `printed` is: to its last decimal, or to `unit` ("2,500" to 100)."""
    digits = printed.replace(",", "")
    step = unit or 10.0 ** -(len(digits.split(".")[1]) if "." in digits else 0)
    return abs(value - float(digits)) <= step / 2 + 1e-9


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
P1, P2 = 0.03, 0.045
PBAR = (P1 + P2) / 2
A = 1.96 * sqrt(2 * PBAR * (1 - PBAR))
B = 0.8416 * sqrt(P1 * (1 - P1) + P2 * (1 - P2))
N = (A + B) ** 2 / (P2 - P1) ** 2
PRINTED = [
    ("p̄ = 0.0375", "0.0375", PBAR),
    ("√(2 × 0.0375 × 0.9625) = 1.96 × 0.2687", "0.2687", sqrt(2 * PBAR * (1 - PBAR))),
    ("1.96 × 0.2687 = 0.5266", "0.5266", A),
    ("√(0.0291 + 0.0430)", "0.0291", P1 * (1 - P1)),
    ("√(0.0291 + 0.0430)", "0.0430", P2 * (1 - P2)),
    ("0.8416 × 0.2685 = 0.2259", "0.2685", sqrt(P1 * (1 - P1) + P2 * (1 - P2))),
    ("0.8416 × 0.2685 = 0.2259", "0.2259", B),
    ("(0.5266 + 0.2259)² / 0.015² = 0.5663", "0.5663", (A + B) ** 2),
    ("/ 0.000225 ≈ **2,500 per model**", "2,500", N, 100),
    ("That is 5,000 human-labelled summaries", "5,000", 2 * N, 100),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)
