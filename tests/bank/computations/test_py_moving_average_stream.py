"""py-moving-average-stream: the published class, the example and the float-drift claim."""

import math
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/python/py-moving-average-stream.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())


def published():
    namespace: dict = {}
    exec(re.search(r"```python\n(.*?)```", ANSWER, re.S).group(1), namespace)  # runs the answer's assert
    return namespace["MovingAverage"]


def test_the_example_and_the_window_sums():
    ma = published()(3)
    assert [ma.add(v) for v in [10, 20, 30, 40, 5]] == [10.0, 15.0, 20.0, 30.0, 25.0]
    assert 20 + 30 + 40 == 90 and "(20, 30, 40) = 90 / 3 = 30" in TEXT
    assert 30 + 40 + 5 == 75 and "(30, 40, 5) = 75 / 3 = 25" in TEXT
    for bad in (0, -1):
        with pytest.raises(ValueError):
            published()(bad)


def test_the_float_drift_example():
    ma = published()(2)
    outputs = [ma.add(v) for v in [1e16, 1, 1, 1]]
    assert outputs[-1] == 0.0 and math.fsum(ma.values) / 2 == 1.0
    assert "with window 2 and inputs 1e16, 1, 1, 1 it reports 0.0 instead of 1.0" in TEXT
