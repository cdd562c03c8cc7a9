"""pm-metric-sensitivity-robustness: every computed number in the model answer, recomputed."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/product-metrics/pm-metric-sensitivity-robustness.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())


def rounds_to(value: float, printed: str, unit: float | None = None) -> bool:
    """value, rounded as `printed` is: to its last decimal, or to `unit` ("2,500" to 100)."""
    digits = printed.replace(",", "")
    step = unit or 10.0 ** -(len(digits.split(".")[1]) if "." in digits else 0)
    return abs(value - float(digits)) <= step / 2 + 1e-9


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
K = 2 * (1.96 + 0.84) ** 2
PRINTED = [
    ("= 15.68σ²/δ²", "15.68", K),
    ("15.68 × 625 / 0.000441 ≈ **22.2M**", "22.2", K * 25.0**2 / 0.021**2 / 1e6),
    ("| Revenue | 625 | 0.021 |", "0.021", 0.01 * 2.10),
    ("**22.2M** | ~15 |", "15", K * 25.0**2 / 0.021**2 / 1.5e6),
    ("| Capped revenue | 81 | 0.0198 |", "0.0198", 0.01 * 1.98),
    ("15.68 × 81 / 0.000392 ≈ **3.24M**", "3.24", K * 9.0**2 / 0.0198**2 / 1e6),
    ("/ 0.000392", "0.000392", 0.0198**2),
    ("**3.24M** | ~2.2 |", "2.2", K * 9.0**2 / 0.0198**2 / 1.5e6),
    ("0.04 × 0.96 = 0.0384", "0.0384", 0.04 * 0.96),
    ("15.68 × 0.0384 / 1.6e-7 ≈ **3.76M**", "3.76", K * 0.0384 / 0.0004**2 / 1e6),
    ("**3.76M** | ~2.5 |", "2.5", K * 0.0384 / 0.0004**2 / 1.5e6),
    ("| Sessions | 16 | 0.032 |", "0.032", 0.01 * 3.2),
    ("15.68 × 16 / 0.001024 ≈ **0.25M**", "0.25", K * 4.0**2 / 0.032**2 / 1e6),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)


def test_the_stated_relations():
    assert K * 4.0**2 / 0.032**2 < 1.5e6  # sessions: "< 1" week
