"""The console, run as a real subprocess on a script: a week of a group across DST,
with a skip, a bonus post on a holiday, a spent streak freeze and the digests."""

import subprocess
import sys
from pathlib import Path

import pytest
from support import BACKENDS, FIXTURE_BANK, fresh_database_url

ROOT = Path(__file__).resolve().parents[2]
WEEK = ROOT / "examples" / "week.txt"


def run_console(db_url: str, script: Path, workdir: Path, now: str = "2026-03-20 06:00") -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--db", db_url, "--content", str(FIXTURE_BANK), "--now", now, "--script", str(script), "--workers", "2"],
        capture_output=True, text=True, timeout=300, cwd=workdir,  # digest charts are written there
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(params=BACKENDS)
def week_output(request, tmp_path):
    url, drop = fresh_database_url(request.param, tmp_path)
    try:
        yield run_console(url, WEEK, tmp_path)
    finally:
        drop()


def reply_to(output: str, command: str, occurrence: int = 0) -> str:
    """The console's reply to the n-th echo of `command`."""
    blocks = output.split("\n› ")
    matches = [b for b in blocks if b.split("\n", 1)[0] == command or (command.startswith("```") and b.startswith(command))]
    return matches[occurrence][len(command):]


def test_a_week_across_daylight_saving(week_output):
    out = week_output
    # Posts at 09:00 local every study day, in winter and in summer time; the holiday's only by hand.
    for day in ("Fri 2026-03-20 09:00 CET", "Mon 2026-03-23 09:00 CET", "Wed 2026-03-25 09:00 CET",
                "Fri 2026-03-27 09:00 CET", "Sat 2026-03-28 09:00 CET", "Sun 2026-03-29 09:00 CEST"):
        assert f"(clock: {day})" in out
    assert "Thu 2026-03-26 09:00" not in out
    assert out.count("[#study] == ") - out.count("the digest ==") == 13  # 11 study days, a skip, a bonus post
    assert out.count("[#study thread] == Answer:") == 12

    # SQL answers: wrong with feedback naming the hidden case, then a revision; a dialect fence.
    assert "Not yet: on hidden dataset `order-without-customer`, row count: expected 1 row, got 0" in out
    assert "(revision 2)" in out
    # The verdict is private; the thread only shows that an answer arrived (no spoilers).
    ben_fenced = reply_to(out, "```postgresql")
    assert "ben: (answer) 📝" in ben_fenced and "[private to ben] Correct" in ben_fenced
    assert "✅" not in out and "❌" not in out
    # On the sample the feedback shows a row; on hidden data it never does.
    assert "missing row (2026-03-01, 15) and unexpected row (2026-03-01, 2)" in out
    assert "Not yet: on hidden dataset `tie-at-the-top`, row count: expected 2 rows, got 1. Passed 1 of 2" in out
    # A syntax error is told, and costs nothing.
    assert "not a wrong try" in reply_to(out, "SELEC name FROM customers")

    # A hint, a run on the sample, a late answer.
    assert "Hint 1 of 2" in reply_to(out, "/study hint")
    assert "2 rows on the sample" in reply_to(out, "/study run SELECT * FROM orders")
    assert "late practice" in reply_to(out, "It is the chance of data this extreme if the null were true. (late: after the reveal)")

    # The skip replaces Tuesday's question; answers to the skipped one do not count.
    assert "Replaced today's question with “What a p-value is not”" in reply_to(out, "/study skip")

    # Peer review: anonymous until saved, told to the author; never twice.
    handed = reply_to(out, "/study review", 0)
    assert "== Review answer #10 ==" in handed and "ada" not in handed.split("Send:")[0]
    assert "Review saved: 3 of 3 points met in ada's answer" in reply_to(out, "/study review 10 1,2,3 spot on")
    assert "[private to ada] ben reviewed your answer" in out
    assert "already reviewed" in reply_to(out, "/study review 10 1")

    # Bad input changes nothing and says what to do.
    assert "not a timezone" in reply_to(out, "/study setup tz=Mars/Olympus_Mons")
    assert "HH:MM" in reply_to(out, "/study setup time=25:61")
    assert "Only an admin" in reply_to(out, "/study setup time=07:00")
    assert "Unknown command 'nonsense'" in out

    # A holiday: paused, yet the admin's bonus post is answered, and missing it breaks no streak.
    assert "Paused through Thu 26 Mar 2026" in out and "next question comes Fri 27 Mar 09:00 CET" in out
    assert "Posted." in reply_to(out, "/study post")
    # Ada earned a freeze with a full Friday-to-Sunday week, and spent it on Saturday, told so.
    assert "[private to ada] You missed “Users or sessions?”, so a streak freeze was spent: your streak of 7 stays" in out
    assert "Streak: **8** (best 8); freezes banked: 0, spent: 1." in reply_to(out, "/study stats ada")
    assert "Streak: **1** (best 1)" in reply_to(out, "/study stats cy")

    # After the reveal, a wrong answer that repeats a known mistake is told which one, privately.
    assert "[private to ben] About your answer to “The biggest spender, ties included”: on every dataset it returns what a classic mistake returns. LIMIT 1 drops the other customers in a tie." in out
    assert out.count("About your answer to") == 1  # before the reveal, never

    # The week's points (see the comments in examples/week.txt), and both weeks' digests.
    board = reply_to(out, "/study leaderboard")
    assert [line.split("|")[1].strip() + " " + line.split("|")[2].strip() for line in board.splitlines() if line[:1].isdigit()] == ["ada 34", "ben 25", "cy 23"]
    assert "Week of 16 Mar 2026: the digest" in out and "Week of 23 Mar 2026: the digest" in out


def test_console_refuses_a_missing_script_and_a_bad_start_time(tmp_path):
    base = [sys.executable, "-m", "bot", "console", "--db", str(tmp_path / "x.db"), "--content", str(FIXTURE_BANK)]
    missing = subprocess.run([*base, "--script", str(tmp_path / "nope.txt")], capture_output=True, text=True, cwd=ROOT)
    assert missing.returncode == 2 and "no such script" in missing.stderr
    bad_now = subprocess.run([*base, "--now", "yesterday"], capture_output=True, text=True, cwd=ROOT, input="")
    assert bad_now.returncode == 2 and "YYYY-MM-DD HH:MM" in bad_now.stderr
