"""beh-push-back-flawed-analysis-request: every computed number in the model answer, recomputed."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/behavioral/beh-push-back-flawed-analysis-request.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())


def rounds_to(value: float, printed: str, unit: float | None = None) -> bool:
    """value, rounded as `printed` is: to its last decimal, or to `unit` ("2,500" to 100)."""
    digits = printed.replace(",", "")
    step = unit or 10.0 ** -(len(digits.split(".")[1]) if "." in digits else 0)
    return abs(value - float(digits)) <= step / 2 + 1e-9


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
PRINTED = [
    ("60-day retention was 58% for users who had used a template vs 29%", "58", 2 * 29),
    ("**+2.8 points** (95% CI +1.2 to +4.4) on a 31% base, about 9% relative", "9", 2.8 / 31 * 100),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)


def test_the_stated_relations():
    assert abs((1.2 + 4.4) / 2 - 2.8) < 1e-9  # the interval is centred on the estimate
