"""py-numpy-nearest-store-broadcasting: the memory sizes, and the published code against the loop."""

import re
from pathlib import Path

import numpy as np
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
QUESTION = yaml.safe_load((ROOT / "content/questions/python/py-numpy-nearest-store-broadcasting.yaml").read_text(encoding="utf-8"))
ANSWER = QUESTION["answer"]


def code_of(text: str) -> str:
    return re.search(r"```python\n(.*?)```", text, re.S).group(1)


def function_in(text: str):
    namespace: dict = {}
    exec(code_of(text), namespace)
    return namespace["nearest_store"]


def test_the_printed_numbers():
    n, m = 200_000, 5_000
    assert n * m == 10**9 and "**10⁹**" in ANSWER
    assert n * m * 2 == 2 * 10**9 and n * m * 2 * 8 / 1e9 == 16 and "2·10⁹ × 8 bytes = **16 GB**" in ANSWER
    assert n * m * 8 / 1e9 == 8 and "matrix alone is 8 GB" in ANSWER
    assert 2_000 * m * 8 / 1e6 == 80 and "**80 MB**" in ANSWER
    assert n // 2_000 == 100 and "100 chunks" in ANSWER
    # measured once (not re-timed here: timings are not tests): 2 s per 200 customers
    assert round(2 * n / 200 / 60) == 33 and "(about 33 minutes in all)" in " ".join(ANSWER.split())


def test_the_published_code_agrees_with_the_prompts_loop():
    rng = np.random.default_rng(5)
    customers = rng.uniform(1_000, 1_100, size=(300, 2))   # far from the origin, close together
    stores = rng.uniform(1_000, 1_100, size=(40, 2))
    index, dist = function_in(ANSWER)(customers, stores, chunk=64)
    assert index.tolist() == function_in(QUESTION["prompt"])(customers, stores)
    exact = np.sqrt(((customers - stores[index]) ** 2).sum(axis=1))
    assert np.allclose(dist, exact, atol=1e-6)


def test_a_customer_on_a_store_gets_distance_zero_not_nan():
    stores = np.array([[1e4, 1e4], [1e4 + 3.0, 1e4 + 4.0]])
    index, dist = function_in(ANSWER)(stores.copy(), stores)
    assert index.tolist() == [0, 1] and not np.isnan(dist).any() and np.allclose(dist, 0, atol=1e-6)
    with pytest.raises(ValueError):
        function_in(ANSWER)(stores, np.empty((0, 2)))
