"""py-list-vs-set-membership: the counts, the type trap and the published fix."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/python/py-list-vs-set-membership.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())
BLOCKS = re.findall(r"```python\n(.*?)```", ANSWER, re.S)


def test_the_comparison_count():
    n, m = 2_000_000, 50_000
    assert n * m == 10**11 and "2·10⁶ × 5·10⁴ = **10¹¹**" in TEXT
    assert 2e-3 * n / 3600 > 1 and "A miss costs ~2 ms" in TEXT  # ~2 ms a miss × 2M events is over an hour


def test_the_string_ids_never_match_and_the_fix_does(tmp_path, monkeypatch):
    (tmp_path / "active.csv").write_text("user_id\n42\n7\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    events = [{"user_id": 42}, {"user_id": 8}, {"user_id": 7}]
    namespace = {"csv": __import__("csv"), "events": events}
    exec(BLOCKS[0], namespace)  # the set version, still with string ids
    assert namespace["kept"] == [] and "42" != 42
    exec(BLOCKS[1], namespace)  # normalised to int at load time
    assert namespace["kept"] == [{"user_id": 42}, {"user_id": 7}]
