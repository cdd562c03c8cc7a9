"""py-bootstrap-ci-ratio-by-user: the printed numbers, and the published bootstrap run."""

import re
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/python/py-bootstrap-ci-ratio-by-user.yaml").read_text(encoding="utf-8"))["answer"]


def published():
    namespace: dict = {}
    exec(re.search(r"```python\n(.*?)```", ANSWER, re.S).group(1), namespace)
    return namespace["bootstrap_ratio_ci"]


def test_the_printed_numbers():
    assert 5_000 * 2_000 == 10**7 and "10⁷ × 8 bytes" in ANSWER
    printed = {  # the answer's text: the number computed, formatted as printed
        "40 / 6 = **6.67**": f"{40 / 6:.2f}",
        "5,000 is **125**": f"{0.025 * 5_000:.0f}",
        "about 25 values": f"{0.025 * 1_000:.0f}",
        "**80 MB**": f"{5_000 * 2_000 * 8 / 1e6:.0f}",
        "4 GB per array": f"{5_000 * 2_000 * 50 * 8 / 1e9:.0f}",
    }
    for text, value in printed.items():
        assert text in ANSWER, text
        assert value in text, (text, value)


def test_the_tiny_example():
    estimate, low, high = published()([1, 1, 1, 2, 3, 3], [10, 0, 20, 0, 5, 5], n_boot=200)
    assert round(estimate, 2) == 6.67
    assert low <= estimate <= high


def test_resampling_users_gives_a_wider_interval_than_resampling_sessions():
    rng = np.random.default_rng(7)
    spend = rng.lognormal(0, 1.5, size=300)            # each user's own revenue level
    per_user = rng.integers(1, 30, size=300)           # heavy users have many sessions
    user_ids = np.repeat(np.arange(300), per_user)
    revenue = rng.poisson(spend[user_ids]).astype(float)
    bootstrap = published()
    _, u_low, u_high = bootstrap(user_ids, revenue, n_boot=1_000, seed=1)
    estimate, s_low, s_high = bootstrap(np.arange(len(revenue)), revenue, n_boot=1_000, seed=1)
    assert estimate == revenue.sum() / len(revenue)
    assert (u_high - u_low) > 2 * (s_high - s_low)
