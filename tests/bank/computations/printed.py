"""What the computation tests share: a question's model answer, and how a number stands in it.

Each test module recomputes the numbers of one question's model answer from its prompt
and checks that each appears in the answer as printed.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]


def question(question_id: str) -> dict:
    """The question file, as data."""
    [path] = (ROOT / "content" / "questions").glob(f"*/{question_id}.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def is_shown(answer: str, text: str) -> bool:
    """`answer` prints `text` (a number, a tuple) as a whole token: 0.5 does not match 0.55."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", answer) is not None


def shown_in(answer: str):
    """`is_shown` for one answer: `shown = shown_in(ANSWER)`, then `shown("0.42")`."""
    return partial(is_shown, answer)


def rounds_to(value: float, printed: str, unit: float | None = None) -> bool:
    """value, rounded as `printed` is: to its last decimal, or to `unit` ("2,500" to 100)."""
    digits = printed.replace(",", "")
    step = unit or 10.0 ** -(len(digits.split(".")[1]) if "." in digits else 0)
    return abs(value - float(digits)) <= step / 2 + 1e-9


def code_of(text: str) -> str:
    """The first Python code block of a Markdown text."""
    return re.search(r"```python\n(.*?)```", text, re.S).group(1)
