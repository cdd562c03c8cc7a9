"""py-sessionize-events-vectorised: the answer's example, with the published code and the old one.

Needs pandas, which is not a project dependency: skipped where pandas is missing.
"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
QUESTION = yaml.safe_load((ROOT / "content/questions/python/py-sessionize-events-vectorised.yaml").read_text(encoding="utf-8"))
TEXT = " ".join(QUESTION["answer"].split())


def test_the_example_with_the_published_code_and_the_old_code():
    import pandas as pd
    assert "gaps 10, 30, 0, 30 minutes, none > 30), 5 events, 70 minutes" in TEXT
    namespace = {"pd": pd}
    for block in re.findall(r"```python\n(.*?)```", QUESTION["answer"], re.S):
        exec(block, namespace)
    times = ["10:00", "10:10", "10:40", "10:40", "11:10", "09:00", "09:31"]
    events = pd.DataFrame({"user_id": ["a"] * 5 + ["b"] * 2,
                           "ts": pd.to_datetime([f"2024-05-01 {t}" for t in times])}).sample(frac=1, random_state=0)
    sessions = namespace["sessionize"](events)
    summary = namespace["session_summary"](sessions).set_index(["user_id", "session"])
    assert summary.loc[("a", 0), "events"] == 5 and summary.loc[("a", 0), "minutes"] == 70
    assert summary.loc["b", "events"].tolist() == [1, 1] and summary.loc["b", "minutes"].tolist() == [0, 0]
    old = re.search(r"```python\n(.*?)```", QUESTION["prompt"], re.S).group(1).replace(
        'out = events.groupby("user_id", group_keys=False).apply(per_user)', "")
    exec(old, namespace)
    expected = events.groupby("user_id", group_keys=False)[["user_id", "ts"]].apply(namespace["per_user"])
    assert sessions.sort_index()["session"].tolist() == expected.sort_index()["session"].tolist()
    assert namespace["sessionize"](events.iloc[0:0]).empty
