"""py-float-money-and-dst-day-bugs: the prompt's prints, the printed numbers, the published fixes."""

import contextlib
import io
import math
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parents[3]
QUESTION = yaml.safe_load((ROOT / "content/questions/python/py-float-money-and-dst-day-bugs.yaml").read_text(encoding="utf-8"))
ANSWER = QUESTION["answer"]
BERLIN = ZoneInfo("Europe/Berlin")


def code_of(text: str) -> str:
    return re.search(r"```python\n(.*?)```", text, re.S).group(1)


def test_the_prompts_prints_are_as_the_answer_says():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code_of(QUESTION["prompt"]), {})
    assert out.getvalue().split() == ["24.0", "False", "2.67"]
    for printed in ("`24.0`", "`False`", "`2.67`", "`23.0`"):
        assert printed in ANSWER, printed


def test_the_printed_numbers():
    start = datetime(2024, 3, 31, tzinfo=BERLIN)
    end = start + timedelta(days=1)
    assert (end.astimezone(timezone.utc) - start.astimezone(timezone.utc)) == timedelta(hours=23)
    assert f"{1 / 24:.1%}" == "4.2%" and "1/24 ≈ 4.2%" in ANSWER
    assert repr(sum([0.10] * 10)) == "0.9999999999999999" and "`0.9999999999999999`" in ANSWER
    assert str(Decimal(2.675)).startswith("2.67499999999999982") and "2.67499999999999982…" in ANSWER
    assert math.fsum([0.10] * 10) == 1.0


def test_the_published_fixes():
    namespace: dict = {}
    exec(code_of(ANSWER), namespace)
    berlin_day, hours_in_day, to_cents = namespace["berlin_day"], namespace["hours_in_day"], namespace["to_cents"]
    at = lambda *utc: datetime(*utc, tzinfo=timezone.utc).timestamp()  # noqa: E731
    assert datetime.fromtimestamp(at(2024, 3, 30, 23, 30), tz=timezone.utc).date() == date(2024, 3, 30)  # the bug
    assert berlin_day(at(2024, 3, 30, 23, 30)) == date(2024, 3, 31)
    assert berlin_day(at(2024, 3, 31, 23, 30)) == date(2024, 4, 1)
    assert [hours_in_day(date(2024, 3, 31)), hours_in_day(date(2024, 10, 27)), hours_in_day(date(2024, 6, 1))] == [23, 25, 24]
    assert to_cents("2.675") == 268 and "is 268" in ANSWER
    assert sum(to_cents("0.10") for _ in range(10)) == 100
