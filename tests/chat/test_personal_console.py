"""The personal loop in the console: its simulated clock stops at each member's reminder
(in their own timezone, across New York's change to summer time) and at a mock's time
limit, and what they bring is printed as a private line."""

import datetime as dt
import io

from support import ANSWERS, database, practice_bank  # noqa: F401  (database is a fixture: SQLite and PostgreSQL)

from bot.chat.console import Console, run_console
from bot.study import Study

UTC = dt.timezone.utc

SCRIPT = """
/study setup time=09:00 tz=Europe/Berlin days=mon-fri categories=behavioral
/as ada
/study remind tz America/New_York
/study remind on 08:30
/clock 2026-03-05 12:00
/study mock product-analytics 10
/clock +15m
/study answer too late for the mock
/clock 2026-03-06 12:00
/study practice window-functions
/study answer {wrong}
/study answer {right}
/clock 2026-03-06 20:00
/clock 2026-03-09 20:00
/study remind off
/clock 2026-03-10 20:00
"""


async def test_reminders_and_a_mock_timing_out_on_the_consoles_clock(database, checker, tmp_path):
    out = io.StringIO()
    start = dt.datetime(2026, 3, 5, 7, tzinfo=UTC)  # Thursday 08:00 in Berlin
    study = Study(database, practice_bank, checker, clock=lambda: start)
    console = Console(study, start, out=out, files_dir=tmp_path)
    right, wrong = ANSWERS["sql-latest-order"]
    await run_console(console, SCRIPT.format(right=right, wrong=wrong).splitlines(), echo=True)
    blocks = out.getvalue().split("\n› ")

    def after(command: str) -> str:
        return next(b for b in blocks if b.startswith(command))

    # The mock's time limit is a stop of the clock: its report a private line, a late answer refused.
    assert "(clock: Thu 2026-03-05 09:00 CET)" in after("/clock 2026-03-05 12:00") and "Reminder" not in after("/clock 2026-03-05 12:00")
    assert "ends Thu 5 Mar 06:10 EST" in after("/study mock")  # the member's own time
    mock = after("/clock +15m")
    assert "(clock: Thu 2026-03-05 12:10 CET)\n[private to ada] == Mock interview report: product-analytics ==" in mock
    assert "Time was up. Time used: 10 of 10 min." in mock and "not answered" in mock and "Practise next:" in mock
    assert "Time was up on your mock interview" in after("/study answer too late")

    # 08:30 in New York: 14:30 in Berlin until New York moves its clocks (Sunday 8 March), 13:30 after.
    assert "(clock: Thu 2026-03-05 14:30 CET)\n[private to ada] Reminder: you have not answered" in after("/clock 2026-03-06 12:00")
    assert "Not yet" in after(f"/study answer {wrong}") and "Solved" in after(f"/study answer {right}")
    friday = after("/clock 2026-03-06 20:00")
    assert "(clock: Fri 2026-03-06 14:30 CET)\n[private to ada] Reminder: you have not answered" in friday
    assert "[private to ada] Reminder: 1 question is due again" in friday  # the mock's unanswered question
    weekend = after("/clock 2026-03-09 20:00")
    assert "(clock: Sat 2026-03-07 14:30 CET)\n[private to ada] Reminder: 2 questions are due again" in weekend
    assert "(clock: Sun 2026-03-08 13:30 CET)\n[private to ada] Reminder: 2 questions are due again" in weekend
    monday = weekend[weekend.index("(clock: Mon 2026-03-09 09:00 CET)"):]
    assert "(clock: Mon 2026-03-09 13:30 CET)\n[private to ada] Reminder: you have not answered" in monday
    assert monday.count("[private to ada] Reminder") == 2  # one of each kind, once
    # After `remind off` the clock passes Tuesday's 13:30 in silence.
    tuesday = after("/clock 2026-03-10 20:00")
    assert "(clock: Tue 2026-03-10 09:00 CET)" in tuesday and "Reminder" not in tuesday and "13:30" not in tuesday
