"""py-pandas-merge-fan-out-nan-keys: the report by hand, and the prompt's and answer's pandas code.

The hand computation always runs; the pandas runs need pandas, which is not a project
dependency, so they are skipped where it is missing.
"""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
QUESTION = yaml.safe_load((ROOT / "content/questions/python/py-pandas-merge-fan-out-nan-keys.yaml").read_text(encoding="utf-8"))
TEXT = " ".join(QUESTION["answer"].split())
ORDERS = {1: (10, 50.0), 2: (11, 30.0), 3: (12, 20.0), 4: (None, 15.0), 5: (None, 25.0), 6: (13, 40.0)}


def test_the_reports_by_hand():
    naive = {"business": 20 + 30, "retail": 50 + 30, "unknown": 15 + 25}  # order 2 twice, guests on the junk row, 6 dropped
    assert sum(naive.values()) == 170 == 180 + 30 - 40 and sum(a for _, a in ORDERS.values()) == 180
    assert "business 20 + 30 = **50**, retail 50 + 30 = **80**, unknown **40**" in TEXT
    corrected = {"business": 30 + 20, "retail": 50, "guest/unmatched": 15 + 25 + 40}
    assert corrected == {"business": 50, "retail": 50, "guest/unmatched": 80} and sum(corrected.values()) == 180
    assert "guest/unmatched 15 + 25 + 40 = **80** (orders 4, 5, 6): total 180" in TEXT


def test_the_prompt_and_the_fix_in_pandas():
    import pandas  # noqa: F401
    blocks = [re.search(r"```python\n(.*?)```", QUESTION[f], re.S).group(1) for f in ("prompt", "answer")]
    namespace: dict = {}
    exec(blocks[0], namespace)
    assert len(namespace["m"]) == 7 and "`m` has **7** rows" in TEXT
    assert namespace["report"].to_dict() == {"business": 50.0, "retail": 80.0, "unknown": 40.0}
    exec(blocks[1], namespace)  # runs the answer's own asserts on row count and total
    assert namespace["report"].to_dict() == {"business": 50.0, "guest/unmatched": 80.0, "retail": 50.0}
    from pandas.errors import MergeError as merge_error
    with pytest.raises(merge_error):
        namespace["orders"].merge(namespace["customers"], on="customer_id", how="left", validate="many_to_one")
