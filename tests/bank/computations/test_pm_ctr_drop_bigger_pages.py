"""pm-ctr-drop-bigger-pages: every computed number in the model answer, recomputed."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/product-metrics/pm-ctr-drop-bigger-pages.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())


def rounds_to(value: float, printed: str, unit: float | None = None) -> bool:
    """value, rounded as `printed` is: to its last decimal, or to `unit` ("2,500" to 100)."""
    digits = printed.replace(",", "")
    step = unit or 10.0 ** -(len(digits.split(".")[1]) if "." in digits else 0)
    return abs(value - float(digits)) <= step / 2 + 1e-9


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
PRINTED = [
    ("Impressions: 40 → 80 (+100%)", "100", (80 / 40 - 1) * 100),
    ("Clicks per user: 2.0 → 2.2 (+10%)", "10", (2.2 / 2.0 - 1) * 100),
    ("Saves per user: 0.50 → 0.54 (+8%)", "8", (0.54 / 0.50 - 1) * 100),
    ("CTR: 2.2 / 80 = 2.75%", "2.75", 2.2 / 80 * 100),
    ("2.0 / 40 = 5.0%", "5.0", 2.0 / 40 * 100),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)
