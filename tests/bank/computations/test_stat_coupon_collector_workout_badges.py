"""Recomputes the numbers in stat-coupon-collector-workout-badges."""

import math
from pathlib import Path

import yaml

FILE = Path(__file__).resolve().parents[3] / "content/questions/statistics/stat-coupon-collector-workout-badges.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
N = 12


def p_complete_by(m):
    return sum((-1) ** k * math.comb(N, k) * (1 - k / N) ** m for k in range(N + 1))


def test_expected_total_and_sd():
    harmonic = sum(1 / k for k in range(1, N + 1))
    assert f"12 × {harmonic:.3f} ≈ **{N * harmonic:.1f} workouts**" in ANSWER
    variance = sum((1 - (N - k) / N) / ((N - k) / N) ** 2 for k in range(N))
    assert f"≈ {math.sqrt(variance):.1f}." in ANSWER


def test_first_and_last_six():
    first = sum(N / (N - k) for k in range(6))
    last = sum(N / (N - k) for k in range(6, N))
    assert f"**{first:.1f}** workouts" in ANSWER and f"= **{last:.1f}**" in ANSWER


def test_completion_probabilities():
    assert f"For m = 40: **≈ {p_complete_by(40):.0%}**" in ANSWER
    median = next(m for m in range(1, 200) if p_complete_by(m) >= 0.5)
    eighty = next(m for m in range(1, 200) if p_complete_by(m) >= 0.8)
    assert f"median is about {median} workouts" in ANSWER and f"by about **{eighty}** workouts" in ANSWER
    assert f"P(T ≤ 30) ≈ **{p_complete_by(30):.0%}**" in ANSWER


def test_distinct_after_thirty():
    missing = (11 / 12) ** 30
    assert f"(11/12)³⁰ ≈ {missing:.3f}" in ANSWER and f"≈ **{N * (1 - missing):.1f}**" in ANSWER


def test_duplicate_protection():
    total = 0.0
    for k in range(N):
        q = (N - k) / N
        total += q + 2 * (1 - q) * q + 3 * (1 - q) ** 2
    assert f"to **≈ {total:.0f}** and the worst case to {1 + 3 * (N - 1)}" in ANSWER
