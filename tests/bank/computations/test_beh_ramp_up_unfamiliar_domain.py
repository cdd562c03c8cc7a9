"""beh-ramp-up-unfamiliar-domain: the story's timeline is consistent with its deadline."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
TEXT = " ".join(yaml.safe_load((ROOT / "content/questions/behavioral/beh-ramp-up-unfamiliar-domain.yaml").read_text(encoding="utf-8"))["answer"].split())


def test_the_timeline():
    deadline_days, plan_check_day, delivered_day = 14, 3, 10
    for text in ("within two weeks", "After three days I presented my plan", "Within ten days I showed"):
        assert text in TEXT, text
    assert plan_check_day < delivered_day <= deadline_days
