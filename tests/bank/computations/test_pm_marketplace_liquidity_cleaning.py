"""pm-marketplace-liquidity-cleaning: every computed number in the model answer, recomputed."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/product-metrics/pm-marketplace-liquidity-cleaning.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())


def rounds_to(value: float, printed: str, unit: float | None = None) -> bool:
    """value, rounded as `printed` is: to its last decimal, or to `unit` ("2,500" to 100)."""
    digits = printed.replace(",", "")
    step = unit or 10.0 ** -(len(digits.split(".")[1]) if "." in digits else 0)
    return abs(value - float(digits)) <= step / 2 + 1e-9


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
BOOKED, OFFERED = 1_360 * 3, 400 * 24
PRINTED = [
    ("1,360 × 3 = **4,080**", "4,080", BOOKED),
    ("of 9,600 offered = **42.5%** utilisation", "42.5", BOOKED / OFFERED * 100),
    ("The 640 unfilled jobs would need 1,920 hours", "1,920", (2_000 - 1_360) * 3),
    ("5,520 offered hours went unused", "5,520", OFFERED - BOOKED),
    ("Saturday morning: 350 of 700 filled (50%)", "350", 700 * 0.50),
    ("the rest: ~1,010 of 1,300 (78%)", "1,010", 1_360 - 350),
    ("the rest: ~1,010 of 1,300 (78%)", "78", (1_360 - 350) / 1_300 * 100),
    ("350 of the 640 unfilled requests (55%)", "55", 350 / 640 * 100),
    ("(+25% supply)", "25", 100 / 400 * 100),
    ("toward ~34%", "34", BOOKED / (OFFERED * 1.25) * 100),
    ("The bonus would cost $30,000", "30,000", 100 * 300),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)
