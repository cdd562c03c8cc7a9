"""pm-north-star-podcast-app: the autoplay numbers, recomputed."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/product-metrics/pm-north-star-podcast-app.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())


def test_the_autoplay_numbers():
    printed = [
        (f"{11.2 / 10.0 - 1:.0%}", "it rose 12% (10.0M → 11.2M)"),
        (f"{2.02 / 2.00 - 1:.0%}", "engaged listeners rose 1%"),
        (f"{10.0 / 2.00:.1f}", "10.0 / 2.00 = **5.0**"),
        (f"{11.2 / 2.02:.1f}", "11.2 / 2.02 ≈ **5.5**"),
        (f"{100 - 6}%", "the 94% on the free tier"),
    ]
    for value, text in printed:
        assert text in TEXT, text
        assert value in text, (value, text)
