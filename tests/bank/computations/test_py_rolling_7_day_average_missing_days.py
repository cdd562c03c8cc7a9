"""py-rolling-7-day-average-missing-days: every average by hand, and the published pandas code.

The hand computation always runs; the pandas run needs pandas, which is not a project
dependency, so it is skipped where pandas is missing.
"""

import re
import warnings
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
QUESTION = yaml.safe_load((ROOT / "content/questions/python/py-rolling-7-day-average-missing-days.yaml").read_text(encoding="utf-8"))
TEXT = " ".join(QUESTION["answer"].split())
S1_CALENDAR = [100, 120, 0, 0, 90, 0, 0, 240]  # 03-01 … 03-08, duplicates summed


def test_the_averages_by_hand():
    printed = [
        ((100 + 120 + 90 + 200) / 4, "= **127.5**"), ((100 + 120 + 90 + 200 + 40) / 5, "= **110.0**"),
        ((120 + 90 + 200) / 3, "= **136.67**"), ((120 + 90 + 200 + 40) / 4, "= **112.5**"),
        (sum(S1_CALENDAR[0:7]) / 7, "310 / 7 = **44.29**"), (sum(S1_CALENDAR[1:8]) / 7, "450 / 7 = **64.29**"),
    ]
    for value, text in printed:
        assert text in TEXT, text
        assert f"{value:.2f}".rstrip("0").rstrip(".") in text.replace("110.0", "110"), (value, text)
    assert sum(S1_CALENDAR[0:7]) == 310 and sum(S1_CALENDAR[1:8]) == 450
    assert "100, 120, 0, 0, 90, 0, 0, 240" in TEXT


def test_the_published_function():
    import pandas as pd
    namespace = {"pd": pd}
    exec(re.search(r"```python\n(.*?)```", QUESTION["prompt"], re.S).group(1), namespace)
    naive = namespace["sales"]
    assert naive.loc[[3, 6], "rev_7d_avg"].round(2).tolist() == [127.5, 110.0]
    exec(re.search(r"```python\n(.*?)```", QUESTION["answer"], re.S).group(1), namespace)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = namespace["rolling_7d"](naive.drop(columns="rev_7d_avg"))
    assert any("1 rows without store_id" in str(w.message) for w in caught)
    s1 = out[out["store_id"] == "S1"].set_index("date")
    assert s1["revenue"].tolist() == S1_CALENDAR
    assert s1["rev_7d_avg"].round(2).dropna().tolist() == [44.29, 64.29]
    assert out[out["store_id"] == "S2"]["rev_7d_avg"].isna().all()
