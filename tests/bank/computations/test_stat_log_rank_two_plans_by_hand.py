"""Recomputes the numbers in stat-log-rank-two-plans-by-hand."""

import math
from itertools import combinations
from pathlib import Path

import yaml
from scipy import stats

FILE = Path(__file__).resolve().parents[3] / "content/questions/statistics/stat-log-rank-two-plans-by-hand.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
A = [(1, True), (2, True), (2, True), (4, True), (5, False), (6, True)]
B = [(3, True), (5, True), (6, False), (7, True), (8, False), (9, False)]


def log_rank(a, b, rows=None):
    observed = expected = variance = 0.0
    for t in sorted({m for m, churned in a + b if churned}):
        n_a, n_b = sum(m >= t for m, _ in a), sum(m >= t for m, _ in b)
        n = n_a + n_b
        d_a = sum(m == t and c for m, c in a)
        d = d_a + sum(m == t and c for m, c in b)
        e = d * n_a / n
        v = d * n_a * n_b * (n - d) / (n * n * (n - 1)) if n > 1 else 0.0
        observed, expected, variance = observed + d_a, expected + e, variance + v
        if rows is not None:
            rows.append((t, n_a, n_b, d, d_a, e, v))
    return observed, expected, variance


def fmt(x):
    return "0" if x == 0 else f"{x:.3f}"


def test_table_and_statistic():
    rows = []
    o, e, v = log_rank(A, B, rows)
    for t, n_a, n_b, d, d_a, exp, var in rows:
        assert f"| {t} | {n_a} | {n_b} | {d} | {d_a} | {fmt(exp)} | {fmt(var)} |" in ANSWER
    assert f"O_A = **{o:.0f}**, E_A ≈ **{e:.2f}**, V ≈ **{v:.2f}**" in ANSWER
    chi2 = (o - e) ** 2 / v
    assert f"≈ **{chi2:.2f}** on 1 df, **p ≈ {stats.chi2.sf(chi2, 1):.3f}**" in ANSWER


def test_hazard_ratio():
    o, e, _ = log_rank(A, B)
    total = sum(c for _, c in A + B)
    o_b, e_b = total - o, total - e
    assert f"E_B = {total} − 2.60 = {e_b:.2f}" in ANSWER
    ratio = (o / e) / (o_b / e_b)
    assert f"≈ {o / e:.2f} / {o_b / e_b:.2f} ≈ **{ratio:.1f}**" in ANSWER


def test_permutation_p_value():
    o, e, v = log_rank(A, B)
    observed = (o - e) ** 2 / v
    pool = A + B
    hits = total = 0
    for chosen in combinations(range(12), 6):
        a = [pool[i] for i in chosen]
        b = [pool[i] for i in range(12) if i not in chosen]
        oo, ee, vv = log_rank(a, b)
        hits += (oo - ee) ** 2 / vv >= observed - 1e-12
        total += 1
    assert total == math.comb(12, 6)
    assert f"**{total}** ways" in ANSWER and f"{hits} of them" in ANSWER
    assert f"permutation **p ≈ {hits / total:.3f}**" in ANSWER
