"""pm-push-opens-vs-disables: every computed number in the model answer, recomputed."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/product-metrics/pm-push-opens-vs-disables.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())


def rounds_to(value: float, printed: str, unit: float | None = None) -> bool:
    """value, rounded as `printed` is: to its last decimal, or to `unit` ("2,500" to 100)."""
    digits = printed.replace(",", "")
    step = unit or 10.0 ** -(len(digits.split(".")[1]) if "." in digits else 0)
    return abs(value - float(digits)) <= step / 2 + 1e-9


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
EXTRA_DISABLES = 0.021 - 0.013
PRINTED = [
    ("opens rose by 0.30 per user per week (+60%)", "0.30", 0.80 - 0.50),
    ("opens rose by 0.30 per user per week (+60%)", "60", (0.80 / 0.50 - 1) * 100),
    ("but sessions by only 0.10 (+2.5%)", "0.10", 4.10 - 4.00),
    ("but sessions by only 0.10 (+2.5%)", "2.5", (4.10 / 4.00 - 1) * 100),
    ("2.1% − 1.3% = **0.8 points**", "0.8", EXTRA_DISABLES * 100),
    ("0.008 × 1.0 ≈ **0.008 sessions a week**", "0.008", EXTRA_DISABLES * 1.0),
    ("larger by about 12×", "12", 0.10 / (EXTRA_DISABLES * 1.0), 1),
    ("~0.27 points a week (0.8 / 3)", "0.27", 0.8 / 3),
    ("for a year (~14 points)", "14", 0.8 / 3 * 52),
    ("the loss reaches about 0.14 sessions a week", "0.14", 0.8 / 3 * 52 / 100 * 1.0),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)


def test_the_stated_relations():
    assert abs((0.30 - 0.10) / 0.30 - 2 / 3) < 1e-9 and "Two-thirds of the extra opens" in TEXT
