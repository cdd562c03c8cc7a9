"""Recomputes the numbers in exp-propensity-weighting-opt-in-reminders."""

from pathlib import Path

import yaml

FILE = Path(__file__).resolve().parents[3] / "content/questions/experimentation/exp-propensity-weighting-opt-in-reminders.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
# group: (users, opt-in share e, retention if opted in, retention if not)
GROUPS = {"low": (6_000, 0.10, 0.30, 0.20), "medium": (3_000, 0.40, 0.50, 0.42), "high": (1_000, 0.95, 0.80, 0.76)}
N = sum(g[0] for g in GROUPS.values())


def test_naive_gap():
    treated = sum(n * e for n, e, _, _ in GROUPS.values())
    control = N - treated
    y1 = sum(n * e * a for n, e, a, _ in GROUPS.values()) / treated
    y0 = sum(n * (1 - e) * b for n, e, _, b in GROUPS.values()) / control
    assert f"= **{y1:.1%}**" in ANSWER and f"≈ **{y0:.1%}**" in ANSWER
    assert f"Gap ≈ **{(y1 - y0) * 100:.1f} points**" in ANSWER
    high_share = GROUPS["high"][0] * GROUPS["high"][1] / treated
    assert f"{high_share:.0%} of the opted-in" in ANSWER
    assert GROUPS["high"][0] * (1 - GROUPS["high"][1]) / control < 0.01


def test_ate_att_and_ipw():
    ate = sum(n * (a - b) for n, _, a, b in GROUPS.values()) / N
    treated = sum(n * e for n, e, _, _ in GROUPS.values())
    att = sum(n * e * (a - b) for n, e, a, b in GROUPS.values()) / treated
    assert f"**{ate * 100:.1f} points**" in ANSWER and f"≈ **{att * 100:.1f} points**" in ANSWER
    mu1 = sum(n * e * (1 / e) * a for n, e, a, _ in GROUPS.values()) / N
    mu0 = sum(n * (1 - e) * (1 / (1 - e)) * b for n, e, _, b in GROUPS.values()) / N
    assert f"**{mu1:.1%}**" in ANSWER and f"**{mu0:.1%}**" in ANSWER
    assert abs((mu1 - mu0) - ate) < 1e-12
    assert f"Difference **{(mu1 - mu0) * 100:.1f} points**" in ANSWER


def test_weights_and_effective_sample_size():
    weights = [(n * (1 - e), 1 / (1 - e)) for n, e, _, _ in GROUPS.values()]
    assert f"**1 / 0.05 = {weights[2][1]:.0f}**" in ANSWER
    total = sum(c * w for c, w in weights)
    ess = total**2 / sum(c * w * w for c, w in weights)
    assert f"≈ **{round(ess, -1):,.0f}**" in ANSWER


def test_capped_weights_and_trimmed_population():
    cap = 10
    weights = {g: min(1 / (1 - e), cap) for g, (_, e, _, _) in GROUPS.items()}
    num = sum(n * (1 - e) * weights[g] * b for g, (n, e, _, b) in GROUPS.items())
    den = sum(n * (1 - e) * weights[g] for g, (n, e, _, _) in GROUPS.items())
    parts = " + ".join(f"{n * (1 - e) * weights[g] * b:,.0f}" for g, (n, e, _, b) in GROUPS.items())
    assert f"({parts}) / {den:,.0f} ≈ {num / den:.1%}" in ANSWER
    mu1 = sum(n * a for n, _, a, _ in GROUPS.values()) / N
    assert f"**≈ {(mu1 - num / den) * 100:.1f} points**" in ANSWER
    kept = {g: v for g, v in GROUPS.items() if 0.1 <= v[1] <= 0.9}
    trimmed = sum(n * (a - b) for n, _, a, b in kept.values()) / sum(v[0] for v in kept.values())
    assert f"(low and medium: {trimmed * 100:.1f} points)" in ANSWER
