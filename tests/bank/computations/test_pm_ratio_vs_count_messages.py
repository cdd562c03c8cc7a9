"""pm-ratio-vs-count-messages: every computed number in the model answer, recomputed."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/product-metrics/pm-ratio-vs-count-messages.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())


def rounds_to(value: float, printed: str, unit: float | None = None) -> bool:
    """value, rounded as `printed` is: to its last decimal, or to `unit` ("2,500" to 100)."""
    digits = printed.replace(",", "")
    step = unit or 10.0 ** -(len(digits.split(".")[1]) if "." in digits else 0)
    return abs(value - float(digits)) <= step / 2 + 1e-9


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
MAY, JUNE = 2.00 * 20.0, 1.80 * 21.2
PRINTED = [
    ("May: 2.00M × 20.0 = 40.0M", "40.0", MAY),
    ("June: 1.80M × 21.2 = 38.16M", "38.16", JUNE),
    ("(38.16 − 40.0) / 40.0 ≈ −4.6%", "4.6", (1 - JUNE / MAY) * 100),
    ("DAU fell 10%", "10", (1 - 1.80 / 2.00) * 100),
    ("40.0M − 1.0M = 39.0M", "1.0", 0.2 * 5),
    ("i.e. 21.7 each in May", "21.7", (MAY - 0.2 * 5) / 1.80),
    ("the 6% is pure composition", "6", (21.2 / 20.0 - 1) * 100),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)
