"""py-monte-carlo-ab-test-power: the formula's numbers, and the published simulator run."""

import re
from math import sqrt
from pathlib import Path
from statistics import NormalDist

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/python/py-monte-carlo-ab-test-power.yaml").read_text(encoding="utf-8"))["answer"]
Z = NormalDist().inv_cdf(0.975)
P_C, P_T, N = 0.10, 0.11, 15_000


def rounds_to(value: float, printed: str) -> bool:
    """value, rounded as `printed` is ("5,900" to hundreds, "0.81" to hundredths)."""
    digits = re.search(r"[\d,]*\.?\d+", printed).group(0).replace(",", "")
    places = len(digits.split(".")[1]) if "." in digits else -(len(digits) - len(digits.rstrip("0")))
    return abs(value - float(digits)) <= 0.5 * 10.0**-places + 1e-12


def formula_power() -> float:
    se = sqrt((P_C * (1 - P_C) + P_T * (1 - P_T)) / N)
    pooled = sqrt(2 * 0.105 * 0.895 / N)
    return NormalDist().cdf((P_T - P_C - Z * pooled) / se)


def test_the_printed_numbers():
    pooled = sqrt(2 * 0.105 * 0.895 / N)
    alt = sqrt((0.09 + 0.0979) / N)
    power = formula_power()
    mc_se = sqrt(0.81 * 0.19 / 10_000)
    printed = {
        "0.105": (P_C + P_T) / 2,
        "0.00354": pooled,
        "0.0979": P_T * (1 - P_T),
        "0.865": (0.01 - Z * pooled) / alt,
        "0.81": power,
        "0.004": mc_se,
        "±0.008": 2 * mc_se,
        "5,900": 1.96**2 * 0.81 * 0.19 / 0.01**2,
        "9,604": 1.96**2 * 0.25 / 0.01**2,
        "0.0043": 1.96 * sqrt(0.05 * 0.95 / 10_000),
        "1.2 GB": 10_000 * N * 8 / 1e9,
    }
    assert abs(alt - pooled) < 1e-5  # "≈ 0.00354 too"
    for text, value in printed.items():
        assert text in ANSWER, text
        assert rounds_to(value, text), (text, value)


def simulator():
    code = re.search(r"```python\n(.*?)```", ANSWER, re.S).group(1)
    namespace: dict = {}
    exec(code, namespace)
    return namespace["simulate_power"]


def test_the_simulator_matches_the_formula_and_holds_alpha_under_aa():
    simulate_power = simulator()
    runs = 4_000
    power = simulate_power(P_C, P_T, N, n_sims=runs, seed=1)
    assert abs(power - formula_power()) < 4 * sqrt(0.81 * 0.19 / runs), power
    aa = simulate_power(P_C, P_C, N, n_sims=runs, seed=2)
    assert abs(aa - 0.05) < 4 * sqrt(0.05 * 0.95 / runs), aa
    assert simulate_power(0.0, 0.0, 10, n_sims=50) == 0.0  # 0/0 is never a rejection
