"""PostgreSQL goes away for a while: the bot says so, keeps serving, and loses nothing.

The test runs its own throwaway cluster (tests/pg_cluster.py) and stops it with
`pg_ctl -m immediate` while members answer through the real console. Every answer is
either acknowledged and stored or refused in words ("nothing was saved"); none is
acknowledged and lost; once the server is back the same process stores answers again.
"""

import time

import pytest
from console_driver import ConsoleProcess, acknowledged
from sqlalchemy import select

import pg_cluster
from support import POSTGRES_REQUIRED

from bot.store import Answer, Database, Member
from bot.study.core import UNAVAILABLE

OUTAGE_SECONDS = 12

pytestmark = pytest.mark.skipif(not pg_cluster.available() and not POSTGRES_REQUIRED, reason="no PostgreSQL binaries to start a cluster with")


@pytest.fixture
def cluster():
    cluster = pg_cluster.Cluster()
    yield cluster
    cluster.remove()


def say(console: ConsoleProcess, out: list[str], line: str) -> list[str]:
    """Send a line; return what the console printed for it."""
    start = len(out)
    console.send(line)
    console.send("/clock")
    assert console.until_synced(out), "the console died"
    return out[start:]


def test_answers_during_an_outage_are_stored_or_refused_in_words_and_service_resumes(cluster):
    out: list[str] = []
    console = ConsoleProcess(cluster.url, now="2026-03-02 07:00")
    for line in ("/study setup time=09:00 tz=Europe/Berlin days=daily categories=statistics reveal=8h", "/clock 2026-03-02 09:00", "/as ada"):
        say(console, out, line)
    assert any("Study group created" in line for line in out) and any(line.startswith("[#study] ==") for line in out)
    say(console, out, "Ada before the outage.")

    cluster.stop()
    began, refused, sent = time.monotonic(), 0, 0
    while time.monotonic() - began < OUTAGE_SECONDS:
        sent += 1
        reply = say(console, out, f"Ada during the outage, try {sent}.")
        refused += any(UNAVAILABLE in line for line in reply)
        time.sleep(0.5)
    say(console, out, "/study leaderboard")  # a verb that only reads is refused in words too
    cluster.start()

    assert refused >= 1, "\n".join(out[-30:])
    deadline = time.monotonic() + 30  # the process recovers by itself: no restart
    while True:
        reply = say(console, out, "Ada after the outage.")
        if any("(answer)" in line for line in reply) or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert any("(answer)" in line for line in reply), "\n".join(reply)
    console.close()

    db = Database(cluster.url)
    try:
        stored = set(db.call(lambda s: s.execute(select(Member.user_id, Answer.text).join(Answer, Answer.member_id == Member.id)).all()))
    finally:
        db.dispose()
    acks = acknowledged(out)
    assert ("ada", "Ada before the outage.") in acks and ("ada", "Ada after the outage.") in acks
    assert acks <= stored  # nothing acknowledged was lost
    # Every answer sent in the outage was told one way or the other.
    for n in range(1, sent + 1):
        text = f"Ada during the outage, try {n}."
        block = out[next(i for i, l in enumerate(out) if l == f"› {text}"):][:4]
        assert any("(answer)" in l or UNAVAILABLE in l for l in block), block
