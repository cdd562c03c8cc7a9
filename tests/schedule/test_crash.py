"""Kill the real console with SIGKILL at many random moments of many study days.

A driver plays four members and an admin through two and a half weeks of a group
(answers, revisions, hints, a skip, reviews, the digests), one line at a time on the
console's standard input. Before chosen lines (seeded) it kills the process a random
moment after sending them, starts it again (the console resumes its own clock) and
carries on, sending again whatever had no reply. At the end the database must hold
every answer the console acknowledged, one round a day, every post, reveal and digest
delivered, and every score equal to a recomputation from the facts.

`STUDYBOT_CRASH_KILLS` sets the number of kills on each backend (the suite's sample is
20, seeded by `STUDYBOT_CRASH_SEED` and the backend's name, so the two backends see
different days and moments); a long campaign is, for example, 500. Each kill costs a
console restart (1-2.5 s), which is most of the test's time.
"""

import datetime as dt
import os
import random
import re
import threading

import pytest
from console_driver import ConsoleProcess, acknowledged
from sqlalchemy import select
from support import BACKENDS, FIXTURE_BANK, fresh_database_url

from bot.bank import load_bank
from bot.store import Answer, Database, Digest, Member, Round
from bot.study.ledger import points_for, stored_points

KILLS = int(os.environ.get("STUDYBOT_CRASH_KILLS", "20"))
SEED = os.environ.get("STUDYBOT_CRASH_SEED", "studybot")
MEMBERS = ("ada", "ben", "cy", "dee")
FIRST, LAST = dt.date(2026, 3, 2), dt.date(2026, 3, 13)  # the days members answer
SETTLED = "2026-03-19 07:00"  # every review window and digest of those days is past, the next post not yet
HANDED = re.compile(r"^== Review answer #(\d+) ==")


def plan(rng: random.Random) -> list[str]:
    """The lines of the study days; `?review` is filled in with the answer handed out."""
    lines = ["/study setup time=09:00 tz=Europe/Berlin days=daily categories=all reveal=8h"]
    day = FIRST
    while day <= LAST:
        lines.append(f"/clock {day} 09:00")
        if day.day == 4:
            lines.append("/study skip")  # the admin replaces Wednesday's question
        for name in rng.sample(MEMBERS, k=rng.randint(2, 4)):
            lines.append(f"/as {name}")
            if rng.random() < 0.3:
                lines.append("/study hint")
            for revision in range(rng.randint(1, 2)):
                lines.append(f"SELECT '{name}-{day.day}-{revision}' AS marker")
        lines.append(f"/clock {day} 17:00")
        for name in rng.sample(MEMBERS, k=2):
            lines += [f"/as {name}", "/study review", "?review"]
        lines.append("/as you")
        day += dt.timedelta(days=1)
    lines += [f"/clock {SETTLED}", "/clock +1h", "/study leaderboard all"]
    return lines


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def db_url(backend, tmp_path):
    url, drop = fresh_database_url(backend, tmp_path)
    yield url
    drop()


def test_sigkill_at_random_moments_of_many_days_loses_nothing_and_miscounts_nothing(backend, db_url):
    rng = random.Random(f"{SEED}-{backend}")
    lines = plan(rng)
    kill_before = set(rng.sample(range(1, len(lines)), k=min(KILLS, len(lines) - 1)))
    out: list[str] = []
    console = ConsoleProcess(db_url, now="2026-03-02 06:00")
    member, kills, i = "you", 0, 0
    while i < len(lines):
        line = lines[i]
        if line == "?review":
            handed = next((m for l in reversed(out[-12:]) if (m := HANDED.match(l))), None)
            if handed is None:  # nothing left to review for this member
                i += 1
                continue
            line = f"/study review {handed.group(1)} 1"
        console.send(line)
        console.send("/clock")
        if i in kill_before:
            kill_before.discard(i)
            threading.Event().wait(rng.uniform(0, 0.4))  # mid-line, or just after it
            console.kill(out)
            kills += 1
            console = ConsoleProcess(db_url, now=None)  # resumes the console's own clock
            if member != "you":
                console.send(f"/as {member}")
            continue  # send the line again: it may not have been done
        if not console.until_synced(out):
            raise AssertionError("the console died by itself:\n" + console.process.stderr.read())
        if line.startswith("/as "):
            member = line.split()[1]
        i += 1
    console.close()
    assert kills >= min(KILLS, len(lines) - 1) - 1  # a chosen review line with nothing left to review is skipped, not killed

    db = Database(db_url)
    bank = load_bank(FIXTURE_BANK)
    try:
        with db.session() as session:
            stored = set(session.execute(select(Member.user_id, Answer.text).join(Answer, Answer.member_id == Member.id)).all())
            rounds = session.scalars(select(Round).order_by(Round.study_date)).all()
            digests = session.scalars(select(Digest)).all()
            # Every score equals what the facts give.
            for round_ in rounds:
                for member_id in session.scalars(select(Member.id)):
                    assert stored_points(session, round_.id, member_id) == points_for(session, bank, round_, member_id)
    finally:
        db.dispose()

    # No acknowledged answer lost.
    acks = acknowledged(out)
    assert {name for name, _ in acks} == set(MEMBERS)
    assert acks <= {(name, text) for name, text in stored}

    # One round a day, every one posted, revealed and its reveal delivered.
    days = [r.study_date for r in rounds]
    assert days == sorted(set(days)) and days[0] == FIRST and len(days) >= (LAST - FIRST).days + 1
    undone = [(r.study_date, r.delivered_at, r.revealed_at, r.reveal_delivered_at) for r in rounds if not (r.delivered_at and r.revealed_at and r.reveal_delivered_at)]
    assert not undone, undone
    # Every week's digest made and delivered.
    weeks = {d - dt.timedelta(days=d.weekday()) for d in days if d <= LAST}
    assert {d.week_start for d in digests} >= weeks
    assert all(d.delivered_at for d in digests), [(d.week_start, d.created_at) for d in digests]
