"""beh-deadline-vs-rigour: the story's numbers agree with the conclusions drawn from them."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
TEXT = " ".join(yaml.safe_load((ROOT / "content/questions/behavioral/beh-deadline-vs-rigour.yaml").read_text(encoding="utf-8"))["answer"].split())


def test_the_recommendation_follows_from_the_numbers():
    estimate, low, high, break_even, full = 9, 5, 13, 7, 8
    for text in ("+9% orders per customer (a range of +5% to +13%", "needed +7% to break even", "gave +8%, inside the quick range"):
        assert text in TEXT, text
    assert low < break_even < estimate  # "probably pays for itself, but the low end of the range does not"
    assert low <= full <= high          # the full analysis lands inside the quick range
