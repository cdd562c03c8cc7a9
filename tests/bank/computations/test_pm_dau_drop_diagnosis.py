"""pm-dau-drop-diagnosis: every computed number in the model answer, recomputed."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/product-metrics/pm-dau-drop-diagnosis.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())


def rounds_to(value: float, printed: str, unit: float | None = None) -> bool:
    """value, rounded as `printed` is: to its last decimal, or to `unit` ("2,500" to 100)."""
    digits = printed.replace(",", "")
    step = unit or 10.0 ** -(len(digits.split(".")[1]) if "." in digits else 0)
    return abs(value - float(digits)) <= step / 2 + 1e-9


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
PRINTED = [
    ("iOS −0.05M", "0.05", 4.10 - 4.05),
    ("Web −0.01M", "0.01", 0.50 - 0.49),
    ("Android −0.74M", "0.74", 5.40 - 4.66),
    ("0.74 / 0.80 ≈ 92%", "92", 0.74 / 0.80 * 100),
    ("7.11 should be 40% × 5.40M = 2.16M", "2.16", 0.40 * 5.40),
    ("7.12 should be 60% × 5.40M = 3.24M", "3.24", 0.60 * 5.40),
    ("(observed 2.50M, −23%)", "23", (1 - 2.50 / 3.24) * 100),
    ("(about 0.74M people)", "0.74", 3.24 - 2.50),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)
