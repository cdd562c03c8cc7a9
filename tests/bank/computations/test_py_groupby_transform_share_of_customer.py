"""py-groupby-transform-share-of-customer: the shares by hand, and the published pandas code.

The hand computation always runs; running the published code needs pandas, which is
not a dependency of the project, so that part is skipped where pandas is missing.
"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
QUESTION = yaml.safe_load((ROOT / "content/questions/python/py-groupby-transform-share-of-customer.yaml").read_text(encoding="utf-8"))
ANSWER = QUESTION["answer"]
CUSTOMERS = ["a", "a", "b", "b", "b", "c"]
AMOUNTS = [30.0, 10.0, 5.0, 5.0, 90.0, 20.0]


def code_of(text: str) -> str:
    return re.search(r"```python\n(.*?)```", text, re.S).group(1)


def test_the_printed_numbers():
    totals = {c: sum(a for k, a in zip(CUSTOMERS, AMOUNTS) if k == c) for c in CUSTOMERS}
    assert totals == {"a": 40, "b": 100, "c": 20} and "a 40, b 100, c 20" in ANSWER
    shares = [f"{a / totals[c]:g}" for c, a in zip(CUSTOMERS, AMOUNTS)]
    assert shares == ["0.75", "0.25", "0.05", "0.05", "0.9", "1"]
    assert "**0.75, 0.25** (a)" in ANSWER and "**0.05, 0.05, 0.9** (b)" in ANSWER and "**1.0** (c)" in ANSWER
    sizes = [CUSTOMERS.count(c) for c in CUSTOMERS]
    assert sizes == [2, 2, 3, 3, 3, 1] and "(2, 2, 3, 3, 3, 1)" in ANSWER
    kept = [i + 1 for i, n in enumerate(sizes) if n >= 3]
    assert kept == [3, 4, 5] and "orders **3, 4 and 5**" in ANSWER


def test_the_published_code_and_the_colleagues_traps():
    import pandas as pd
    namespace: dict = {}
    exec(code_of(QUESTION["prompt"]), namespace)
    exec(code_of(ANSWER), namespace)
    orders, frequent = namespace["orders"], namespace["frequent"]
    assert orders["share"].round(10).tolist() == [0.75, 0.25, 0.05, 0.05, 0.9, 1.0]
    assert frequent["order_id"].tolist() == [3, 4, 5] and list(frequent.columns) == list(orders.columns)
    wrong = orders.copy()
    wrong["share"] = orders.groupby("customer")["amount"].sum()
    assert wrong["share"].isna().all()
    applied = orders.groupby("customer")["amount"].apply(lambda s: s / s.sum())
    assert applied.index.nlevels == 2 and applied.round(10).tolist() == [0.75, 0.25, 0.05, 0.05, 0.9, 1.0]
    guest = pd.DataFrame({"customer": ["a", None], "amount": [1.0, 2.0]})
    assert guest.groupby("customer")["amount"].transform("sum").isna().tolist() == [False, True]
