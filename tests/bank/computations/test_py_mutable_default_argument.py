"""py-mutable-default-argument: the prompt's prints as the answer states them, and the fix."""

import contextlib
import io
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
QUESTION = yaml.safe_load((ROOT / "content/questions/python/py-mutable-default-argument.yaml").read_text(encoding="utf-8"))
ANSWER = QUESTION["answer"]


def test_the_prompts_output_is_what_the_answer_prints():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(re.search(r"```python\n(.*?)```", QUESTION["prompt"], re.S).group(1), {})
    assert out.getvalue() == re.search(r"```text\n(.*?)```", ANSWER, re.S).group(1)


def test_the_fix_starts_empty_and_still_accepts_a_dict():
    namespace: dict = {}
    exec(re.search(r"```python\n(.*?)```", ANSWER, re.S).group(1), namespace)
    bucket_events = namespace["bucket_events"]
    mon = bucket_events([("u1", "09:00"), ("u2", "09:05")])
    tue = bucket_events([("u1", "10:00")])
    assert tue == {"u1": ["10:00"]} and mon is not tue
    mine: dict = {}
    assert bucket_events([("u3", "11:00")], mine) is mine and mine == {"u3": ["11:00"]}
