"""pm-checkout-conversion-mix-shift: every computed number in the model answer, recomputed."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/product-metrics/pm-checkout-conversion-mix-shift.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())


def rounds_to(value: float, printed: str, unit: float | None = None) -> bool:
    """value, rounded as `printed` is: to its last decimal, or to `unit` ("2,500" to 100)."""
    digits = printed.replace(",", "")
    step = unit or 10.0 ** -(len(digits.split(".")[1]) if "." in digits else 0)
    return abs(value - float(digits)) <= step / 2 + 1e-9


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
LAST, THIS = 100_000 * 0.010 + 400_000 * 0.035, 140_000 * 0.010 + 400_000 * 0.035
PRINTED = [
    ("1,000 + 14,000 = **15,000**", "15,000", LAST),
    ("purchases from 500,000 sessions = 3.00%", "3.00", LAST / 500_000 * 100),
    ("1,400 + 14,000 = **15,400**", "15,400", THIS),
    ("purchases from 540,000 sessions = 2.85%", "2.85", THIS / 540_000 * 100),
    ("Paid social went from 20% to 26% of sessions", "26", 140_000 / 540_000 * 100),
    ("Purchases *rose* 2.7%", "2.7", (THIS / LAST - 1) * 100),
    ("0.2 × 1.0% + 0.8 × 3.5% = **3.00%**", "3.00", 0.2 * 1.0 + 0.8 * 3.5),
    ("The campaign added 40,000 sessions and 400 purchases", "400", THIS - LAST),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)
