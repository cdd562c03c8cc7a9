"""pm-support-deflection-pitfalls: every computed number in the model answer, recomputed."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/product-metrics/pm-support-deflection-pitfalls.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())


def rounds_to(value: float, printed: str, unit: float | None = None) -> bool:
    """value, rounded as `printed` is: to its last decimal, or to `unit` ("2,500" to 100)."""
    digits = printed.replace(",", "")
    step = unit or 10.0 ** -(len(digits.split(".")[1]) if "." in digits else 0)
    return abs(value - float(digits)) <= step / 2 + 1e-9


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
PRINTED = [
    ("62,000 − 15,000 who contacted a human within 7 days = **47,000**", "47,000", 62_000 - 15_000),
    ("Upper bound 47%", "47", (62_000 - 15_000) / 100_000 * 100),
    ("perhaps 38–47% of conversations", "38", (62_000 - 15_000 - 9_000) / 100_000 * 100),
    ("(40 − 31) / 40 = **22.5%**", "22.5", (40 - 31) / 40 * 100),
    ("9 contacts avoided per 1,000 MAU", "9", 40 - 31),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)
