"""pm-goodhart-answers-target: every computed number in the model answer, recomputed."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/product-metrics/pm-goodhart-answers-target.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())


def rounds_to(value: float, printed: str, unit: float | None = None) -> bool:
    """value, rounded as `printed` is: to its last decimal, or to `unit` ("2,500" to 100)."""
    digits = printed.replace(",", "")
    step = unit or 10.0 ** -(len(digits.split(".")[1]) if "." in digits else 0)
    return abs(value - float(digits)) <= step / 2 + 1e-9


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
PRINTED = [
    ("answers went up 25%", "25", (125_000 / 100_000 - 1) * 100),
    ("41% × 50,000 = **20,500** before", "20,500", 0.41 * 50_000),
    ("38% × 50,000 = **19,000** after (−7%)", "19,000", 0.38 * 50_000),
    ("**19,000** after (−7%)", "7", (1 - 0.38 / 0.41) * 100),
    ("Removed answers: 3,000 → 11,250 a week", "3,000", 0.03 * 100_000),
    ("3,000 → 11,250 a week (9% of 125,000)", "11,250", 0.09 * 125_000),
    ("kept answers, 97,000 → 113,750", "97,000", 0.97 * 100_000),
    ("97,000 → 113,750", "113,750", 0.91 * 125_000),
    ("the extra ~17,000 did not", "17,000", 0.91 * 125_000 - 0.97 * 100_000, 1_000),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)


def test_the_stated_relations():
    assert 3.5 < (0.09 * 125_000) / (0.03 * 100_000) < 4 and "moderators' load almost quadrupled" in TEXT
