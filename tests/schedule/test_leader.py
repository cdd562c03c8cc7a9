"""Two real processes on one PostgreSQL: one runs the scheduler; the other takes over."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from support import FIXTURE_BANK, POSTGRES_REQUIRED, POSTGRES_UP, fresh_database_url

from bot.store import Database, Round

RUNNER = '''
import asyncio, datetime as dt, os, sys
from bot.bank import load_bank
from bot.grading import Checker
from bot.schedule import Deliverer, Delivered, Leadership, StudyScheduler
from bot.store import Database
from bot.study import Study

url, bank, log = sys.argv[1:4]

class FilePlatform:
    name = "test"
    async def send(self, post, thread_ref):
        with open(log, "a") as f:
            f.write(f"{os.getpid()} {post.kind} {post.round_id}\\n")
        return Delivered(f"m{post.round_id}", f"t{post.round_id}")

async def main():
    db = Database(url)
    with Checker(workers=1) as checker:
        study = Study(db, lambda: load_bank(bank), checker, clock=lambda: dt.datetime.now(dt.timezone.utc))
        scheduler = StudyScheduler(study, Deliverer(study, FilePlatform()), sweep_every=dt.timedelta(seconds=1))
        async def elected():
            print("leader", os.getpid(), flush=True)
            await scheduler.start()
        async def demoted():
            scheduler.stop()
        await Leadership(db).hold(elected, demoted, poll=0.5)

if __name__ == "__main__":
    asyncio.run(main())
'''

pytestmark = pytest.mark.skipif(not POSTGRES_UP and not POSTGRES_REQUIRED, reason="needs PostgreSQL")


def add_group_due_now(db: Database, channel: str) -> None:
    import asyncio

    from support import fixture_bank

    from bot.study import Actor, Study

    now = dt.datetime.now(dt.timezone.utc)
    study = Study(db, fixture_bank, checker=None, clock=lambda: now)
    admin = Actor("test", channel, "owner", "Owner", is_admin=True)
    settings = {"tz": "UTC", "time": now.strftime("%H:%M"), "days": "daily"}
    assert asyncio.run(study.setup(admin, settings)).reply.ok


def wait_for(predicate, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_one_leader_posts_once_and_another_takes_over(tmp_path):
    url, drop = fresh_database_url("postgres", tmp_path)
    db = Database(url)
    db.upgrade()
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER)
    log = tmp_path / "posts.log"
    log.touch()
    root = Path(__file__).resolve().parents[2]
    procs = [
        subprocess.Popen([sys.executable, str(runner), url, str(FIXTURE_BANK), str(log)], stdout=subprocess.PIPE, text=True, cwd=root)
        for _ in range(2)
    ]
    try:
        add_group_due_now(db, "first")
        assert wait_for(lambda: "question" in log.read_text(), 60), "nobody posted"
        time.sleep(3)  # both processes sweep every second meanwhile
        lines = log.read_text().split()
        posters = {line.split()[0] for line in log.read_text().splitlines()}
        assert len(posters) == 1 and log.read_text().count("question") == 1
        leader = next(p for p in procs if str(p.pid) in posters)
        follower = next(p for p in procs if p is not leader)

        leader.send_signal(signal.SIGKILL)
        leader.wait(10)
        killed_at = time.monotonic()
        assert follower.stdout.readline().split() == ["leader", str(follower.pid)]
        assert time.monotonic() - killed_at < 60
        add_group_due_now(db, "second")
        assert wait_for(lambda: log.read_text().count("question") == 2, 60), "the new leader did not post"
        time.sleep(2)
        text = log.read_text()
        assert text.count("question") == 2 and f"{follower.pid} question" in text
        rounds = db.call(lambda s: s.scalars(select(Round.group_id)).all())
        assert sorted(rounds) == [1, 2] and lines
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.wait(10)
        db.dispose()
        drop()
