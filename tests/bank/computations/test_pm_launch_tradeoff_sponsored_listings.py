"""pm-launch-tradeoff-sponsored-listings: every computed number in the model answer, recomputed."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/product-metrics/pm-launch-tradeoff-sponsored-listings.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())


def rounds_to(value: float, printed: str, unit: float | None = None) -> bool:
    """value, rounded as `printed` is: to its last decimal, or to `unit` ("2,500" to 100)."""
    digits = printed.replace(",", "")
    step = unit or 10.0 ** -(len(digits.split(".")[1]) if "." in digits else 0)
    return abs(value - float(digits)) <= step / 2 + 1e-9


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
ADS, COMMISSION = 0.09 * 1.5e6, 0.006 * 50e6 * 0.12
PRINTED = [
    ("+9% × $1.5M = **+$135k**", "135", ADS / 1e3),
    ("−0.6% × $50M = −$300k GMV", "300", 0.006 * 50e6 / 1e3),
    ("× 12% = **−$36k**", "36", COMMISSION / 1e3),
    ("Net: **+$99k a week**", "99", (ADS - COMMISSION) / 1e3),
    ("(≈ $5M a year", "5", (ADS - COMMISSION) * 52 / 1e6),
    ("$6.0M commission + $1.5M ads = $7.5M", "6.0", 0.12 * 50),
    ("$6.0M commission + $1.5M ads = $7.5M", "7.5", 0.12 * 50 + 1.5),
    ("the gain is **~1.3%** of revenue", "1.3", (ADS - COMMISSION) / 7.5e6 * 100),
    ("30.0% → 29.7% is **−1% relative**", "1", 0.3 / 30 * 100),
    ("the CI runs from about −2.3% to +0.3%", "2.3", 0.7 / 30 * 100),
    ("−2.3% to +0.3%", "0.3", 0.1 / 30 * 100),
    ("i.e. $75k–$150k a week", "75", 0.01 * 7.5e6 / 1e3),
    ("$75k–$150k a week", "150", 0.02 * 7.5e6 / 1e3),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)
