"""Recomputes the numbers in exp-event-study-staggered-store-rollout."""

from pathlib import Path

import numpy as np
import yaml
from scipy import stats

FILE = Path(__file__).resolve().parents[3] / "content/questions/experimentation/exp-event-study-staggered-store-rollout.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
LEADS = {-4: -0.9, -3: -0.5, -2: -0.3, -1: 0.0}
LAGS = {0: 1.0, 1: 1.4, 2: 1.9, 3: 2.2}
SE = 0.5


def test_joint_test_of_the_leads():
    chi2 = sum((v / SE) ** 2 for k, v in LEADS.items() if k != -1)
    assert f"1.15 / 0.25 = **{chi2:.1f}** on 3 df, **p ≈ {stats.chi2.sf(chi2, 3):.2f}**" in ANSWER


def test_pre_trend_slope_and_what_it_explains():
    slope, intercept = np.polyfit(list(LEADS), list(LEADS.values()), 1)
    assert f"slope of **{slope:.2f} points a" in ANSWER
    assert abs(slope * -1 + intercept) <= 0.01 + 1e-9
    drift_at_3 = round(slope, 2) * 4
    assert f"0.29 × 4 ≈ **{drift_at_3:.2f}**" in ANSWER
    assert f"only **≈ {LAGS[3] - drift_at_3:.1f}** of the 2.2" in ANSWER
    assert f"1.0 − 0.29 = {LAGS[0] - round(slope, 2):.2f}" in ANSWER


def test_mean_of_event_time_effects():
    assert f"mean about {np.mean(list(LAGS.values())):.1f})" in ANSWER
