"""Recomputes the numbers in stat-birthday-collisions-random-event-ids."""

import math
from pathlib import Path

import yaml

FILE = Path(__file__).resolve().parents[3] / "content/questions/statistics/stat-birthday-collisions-random-event-ids.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
N32, N64 = 2**32, 2**64
DAILY = 100_000


def p_no_collision(n, space):
    return math.exp(sum(math.log1p(-k / space) for k in range(n)))


def test_one_day():
    pairs = math.comb(DAILY, 2)
    assert f"≈ {pairs / 1e9:.1f} × 10⁹" in ANSWER
    assert f"≈ **{pairs / N32:.2f} per day**" in ANSWER
    approx = 1 - math.exp(-pairs / N32)
    exact = 1 - p_no_collision(DAILY, N32)
    assert f"e^(−1.16) ≈ **{approx:.0%}**" in ANSWER and f"{exact:.3f}" == f"{approx:.3f}"


def test_one_percent_point():
    approx = math.sqrt(2 * N32 * math.log(1 / 0.99))
    log_none, n = 0.0, 0
    while 1 - math.exp(log_none + math.log1p(-n / N32)) <= 0.01:  # can the (n + 1)-th ID still join?
        log_none += math.log1p(-n / N32)
        n += 1
    exact = n
    assert f"≈ **{round(approx, -2):,.0f}** events a day ({exact:,})" in ANSWER


def test_ten_years_of_64_bit_ids():
    n = DAILY * 3650
    assert f"= {n / 1e8:.2f} × 10⁸ IDs" in ANSWER and f"≈ {N64 / 1e19:.2f} × 10¹⁹" in ANSWER
    expected = n * (n - 1) / 2 / N64
    assert f"≈ {expected:.4f}, so P(any collision) ≈ **{1 - math.exp(-expected):.2%}**" in ANSWER


def test_birthday_classic():
    p = 1 - math.prod((365 - i) / 365 for i in range(23))
    assert f"there are {math.comb(23, 2)} pairs" in ANSWER and f"≈ **{p:.1%}**" in ANSWER
    assert f"only {23 / 365:.0%} of 365" in ANSWER
