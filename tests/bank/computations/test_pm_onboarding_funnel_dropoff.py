"""pm-onboarding-funnel-dropoff: every computed number in the model answer, recomputed."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/product-metrics/pm-onboarding-funnel-dropoff.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())


def rounds_to(value: float, printed: str, unit: float | None = None) -> bool:
    """value, rounded as `printed` is: to its last decimal, or to `unit` ("2,500" to 100)."""
    digits = printed.replace(",", "")
    step = unit or 10.0 ** -(len(digits.split(".")[1]) if "." in digits else 0)
    return abs(value - float(digits)) <= step / 2 + 1e-9


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
STEPS = [100_000, 70_000, 28_000, 21_000, 12_000]
PRINTED = [
    ("| Open → account | 70,000 | 70% | 30,000 |", "70", STEPS[1] / STEPS[0] * 100),
    ("| Open → account | 70,000 | 70% | 30,000 |", "30,000", STEPS[0] - STEPS[1]),
    ("| Account → bank link | 28,000 | **40%** | **42,000** |", "40", STEPS[2] / STEPS[1] * 100),
    ("| Account → bank link | 28,000 | **40%** | **42,000** |", "42,000", STEPS[1] - STEPS[2]),
    ("| Link → budget | 21,000 | 75% | 7,000 |", "75", STEPS[3] / STEPS[2] * 100),
    ("| Link → budget | 21,000 | 75% | 7,000 |", "7,000", STEPS[2] - STEPS[3]),
    ("| Budget → week-2 active | 12,000 | 57% | 9,000 |", "57", STEPS[4] / STEPS[3] * 100),
    ("| Budget → week-2 active | 12,000 | 57% | 9,000 |", "9,000", STEPS[3] - STEPS[4]),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)
