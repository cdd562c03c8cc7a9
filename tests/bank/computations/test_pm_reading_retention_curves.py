"""pm-reading-retention-curves: every computed number in the model answer, recomputed."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/product-metrics/pm-reading-retention-curves.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())


def rounds_to(value: float, printed: str, unit: float | None = None) -> bool:
    """value, rounded as `printed` is: to its last decimal, or to `unit` ("2,500" to 100)."""
    digits = printed.replace(",", "")
    step = unit or 10.0 ** -(len(digits.split(".")[1]) if "." in digits else 0)
    return abs(value - float(digits)) <= step / 2 + 1e-9


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
N = 40_000
JAN, MAR = [0.42, 0.25, 0.16, 0.145], [0.50, 0.27, 0.15, 0.12]
PRINTED = [
    *[("| January | 16,800 | 10,000 | 6,400 | 5,800 |", f"{N * r:,.0f}", N * r) for r in JAN],
    *[("| March | 20,000 | 10,800 | 6,000 | 4,800 |", f"{N * r:,.0f}", N * r) for r in MAR],
    ("March keeps 3,200 more people on D1", "3,200", N * (MAR[0] - JAN[0])),
    ("but 400 fewer on D30", "400", N * (JAN[2] - MAR[2])),
    ("and 1,000 fewer on D60", "1,000", N * (JAN[3] - MAR[3])),
    ("January loses 42% of its D7 users ((25 − 14.5) / 25)", "42", (25 - 14.5) / 25 * 100),
    ("March loses 56% ((27 − 12) / 27)", "56", (27 - 12) / 27 * 100),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)


def test_the_stated_relations():
    assert abs((0.145 - 0.14) * 100 - 0.5) < 1e-9 and "it loses only half a point" in TEXT
