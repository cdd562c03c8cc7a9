"""beh-bad-news-from-experiment: every computed number in the model answer, recomputed."""

from math import sqrt
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/behavioral/beh-bad-news-from-experiment.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())


def rounds_to(value: float, printed: str, unit: float | None = None) -> bool:
    """value, rounded as `printed` is: to its last decimal, or to `unit` ("2,500" to 100)."""
    digits = printed.replace(",", "")
    step = unit or 10.0 ** -(len(digits.split(".")[1]) if "." in digits else 0)
    return abs(value - float(digits)) <= step / 2 + 1e-9


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
N = 180_000
SE = sqrt(0.314 * 0.686 / N + 0.308 * 0.692 / N)
PRINTED = [
    ("day-28 retention −0.6 points (from 31.4% to 30.8%)", "0.6", (0.314 - 0.308) * 100),
    ("95% CI [−0.9, −0.3]", "0.9", (0.006 + 1.96 * SE) * 100),
    ("95% CI [−0.9, −0.3]", "0.3", (0.006 - 1.96 * SE) * 100),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)


def test_the_stated_relations():
    # "SRM was fine (50.02/49.98)": a chi-square of 0.06 on 1 degree of freedom
    treated = 2 * N * 0.5002
    assert 2 * (treated - N) ** 2 / N < 3.84 and "SRM was fine (50.02/49.98)" in TEXT
