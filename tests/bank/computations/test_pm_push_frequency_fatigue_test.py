"""pm-push-frequency-fatigue-test: lifts, attrition and the decay rate, recomputed."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/product-metrics/pm-push-frequency-fatigue-test.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())
ARMS = {1: (6.0, 5.8, 0.92, 0.030), 3: (7.2, 6.3, 0.80, 0.042), 5: (7.8, 6.0, 0.66, 0.060)}


def lift(arm: int, window: int) -> float:
    return ARMS[arm][window] / ARMS[1][window] - 1


def test_the_lift_table():
    for arm in (3, 5):
        early, late = f"+{lift(arm, 0):.0%}", f"**+{lift(arm, 1):.1%}**"
        enabled = f"−{(ARMS[1][2] - ARMS[arm][2]) * 100:.0f} pts"
        uninstalls = f"+{(ARMS[arm][3] - ARMS[1][3]) * 100:.1f} pts"
        row = f"| {arm} a day | {early} | {late} | {enabled} | {uninstalls} |"
        assert row in TEXT, row


def test_the_marginal_and_decay_numbers():
    assert f"{ARMS[3][1] - ARMS[5][1]:.1f}" == "0.3" and "cost 0.3 sessions a week" in TEXT
    gain, extra_pushes = ARMS[3][1] - ARMS[1][1], (3 - 1) * 7
    assert f"{gain:.1f}" == "0.5" and extra_pushes == 14 and "0.5 sessions a week for 14 extra pushes" in TEXT
    assert f"{gain / extra_pushes:.3f}" == "0.036" and "about 0.036 sessions per push" in TEXT
    per_week = (lift(3, 0) - lift(3, 1)) * 100 / 6  # window midpoints 1.5 and 7.5 are six weeks apart
    assert f"{per_week:.1f}" == "1.9" and "about **1.9 points a week**" in TEXT
    assert f"{lift(3, 1) * 100 / per_week:.1f}" == "4.5" and "about **4.5** more weeks" in TEXT
    assert f"{(ARMS[1][2] - ARMS[5][2]) * 100:.0f}" == "26" and "26 points more users have turned pushes off" in TEXT
    assert f"{(ARMS[5][3] - ARMS[1][3]) * 100:.0f}" == "3" and "3 points more uninstalled" in TEXT
