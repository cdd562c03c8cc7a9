"""Recomputes the numbers in stat-kaplan-meier-subscription-by-hand."""

from pathlib import Path

import yaml

FILE = Path(__file__).resolve().parents[3] / "content/questions/statistics/stat-kaplan-meier-subscription-by-hand.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
# (months, cancelled?) — False means still subscribed (censored)
DATA = [(2, True), (3, True), (3, False), (4, True), (5, False), (6, True), (6, True), (7, False), (8, True), (9, False), (10, False), (12, False)]


def kaplan_meier():
    survival, rows = 1.0, []
    for t in sorted({m for m, cancelled in DATA if cancelled}):
        at_risk = sum(1 for m, _ in DATA if m >= t)
        events = sum(1 for m, cancelled in DATA if m == t and cancelled)
        survival *= (at_risk - events) / at_risk
        rows.append((t, at_risk, events, survival))
    return rows


def test_the_table():
    for t, at_risk, events, survival in kaplan_meier():
        assert f"| {t} | {at_risk} | {events} | " in ANSWER
        assert f"= {survival:.3f} |" in ANSWER


def test_read_outs():
    rows = kaplan_meier()
    at_six = next(s for t, _, _, s in rows if t == 6)
    assert f"≈ **{at_six:.0%}** ({at_six:.3f})" in ANSWER
    median = next(t for t, _, _, s in rows if s <= 0.5)
    assert f"**{median} months**" in ANSWER


def test_the_analysts_numbers():
    cancelled = [m for m, c in DATA if c]
    assert f"/ 6 ≈ {sum(cancelled) / len(cancelled):.1f}" in ANSWER
    past_six = sum(1 for m, _ in DATA if m > 6)
    assert f"= {past_six / len(DATA):.0%}" in ANSWER


def test_restricted_mean():
    area, last_t, last_s = 0.0, 0, 1.0
    for t, _, _, s in kaplan_meier():
        area += last_s * (t - last_t)
        last_t, last_s = t, s
    area += last_s * (12 - last_t)
    assert f"**{area:.1f} months**" in ANSWER
    assert f"here {last_s:.0%} are still subscribed" in ANSWER
