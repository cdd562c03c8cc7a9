"""Kill the real console process with SIGKILL at many points of two study days, restart
it, and check the database: no acknowledged answer lost, one round per day, every
reveal done.

Each restart replays the whole script from the start of the first day (the console's
clock is simulated and starts again at --now): what already happened must not happen
again, what was cut off must still happen.
"""

import os
import re
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select
from support import BACKENDS, FIXTURE_BANK, fresh_database_url

from bot.store import Answer, Database, Member, Round

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "two-days.txt"
QUESTION_POST = re.compile(r"^\[#study\] == (.+) · sql")
REVEAL_POST = re.compile(r"^\[#study thread\] == Answer: (.+) ==")
ACK = re.compile(r"^\[#study thread\] (\w+): \(answer\)")

# Where each run is killed: right after the n-th line matching the pattern appears.
# Replays skip what is done, so each kill lands a little further into the days.
KILLS = [
    (r"^\[#study\] ==", 1),  # the post is out, its delivery not yet recorded
    (r"^› SELECT 'ben-1'", 1),  # while an answer is being stored and checked
    (r"\(answer\)", 2),  # just after an answer was acknowledged
    (r"^\[#study thread\] == Answer", 1),  # during the reveal
    (r"^\[#study\] ==", 1),  # the second day's post
    (r"^› SELECT 'cy-3'", 1),
    (r"^\[#study thread\] == Answer", 1),
]


class Run:
    """One console process; what it printed, and whether we killed it."""

    def __init__(self, db_url: str):
        self.lines: list[str] = []
        self.killed_after: str | None = None
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "console", "--db", db_url, "--content", str(FIXTURE_BANK),
             "--now", "2026-03-02 06:00", "--script", str(SCRIPT), "--workers", "1"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )

    def until(self, pattern: str | None = None, occurrence: int = 1) -> None:
        seen = 0
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            if pattern and re.search(pattern, line):
                seen += 1
                if seen == occurrence:
                    os.kill(self.process.pid, signal.SIGKILL)
                    self.killed_after = line.rstrip("\n")
                    break
        self.process.wait(timeout=60)
        self.process.stdout.close()
        stderr = self.process.stderr.read()
        self.process.stderr.close()
        if self.killed_after is None:
            assert self.process.returncode == 0, stderr

    def acknowledged(self) -> list[tuple[str, str]]:
        """(member, answer text) for every answer the console confirmed in the thread."""
        out = []
        for i, line in enumerate(self.lines):
            match = ACK.match(line)
            if match:
                echo = next(l for l in reversed(self.lines[:i]) if l.startswith("› "))
                out.append((match.group(1), echo[2:]))
        return out


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    url, drop = fresh_database_url(request.param, tmp_path)
    yield url
    drop()


def test_sigkill_at_many_points_loses_nothing_and_doubles_nothing(db_url):
    runs = []
    for pattern, occurrence in KILLS:
        run = Run(db_url)
        run.until(pattern, occurrence)
        runs.append(run)
    final = Run(db_url)
    final.until()
    runs.append(final)
    assert sum(1 for r in runs if r.killed_after) >= 5, "the kills must land: the script changed?"

    db = Database(db_url)
    with db.session() as session:
        rounds = session.scalars(select(Round).order_by(Round.study_date)).all()
        stored = {(name, text) for name, text in session.execute(select(Member.user_id, Answer.text).join(Answer, Answer.member_id == Member.id))}
    db.dispose()

    # One round per study day, each revealed.
    assert [str(r.study_date) for r in rounds] == ["2026-03-02", "2026-03-03"]
    assert all(r.revealed_at is not None for r in rounds)

    # No acknowledged answer lost.
    acknowledged = {ack for run in runs for ack in run.acknowledged()}
    assert {"ada", "ben", "cy"} <= {name for name, _ in acknowledged}
    assert acknowledged <= stored

    # Each question was shown and revealed; shown again only when a kill cut in right
    # after it was shown and before its delivery was recorded (at-least-once delivery).
    shown = Counter(m.group(1) for run in runs for line in run.lines if (m := QUESTION_POST.match(line)))
    revealed = Counter(m.group(1) for run in runs for line in run.lines if (m := REVEAL_POST.match(line)))
    cut_after = Counter(m.group(1) for run in runs if run.killed_after and (m := QUESTION_POST.match(run.killed_after)))
    assert len(shown) == 2 and set(revealed) == set(shown)
    for title, count in shown.items():
        assert count <= 1 + cut_after[title], f"{title!r} posted {count} times"
