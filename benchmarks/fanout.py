"""The busiest minute through the real scheduler, and the idle sweep, on a history of past rounds.

    python benchmarks/fanout.py [--groups 10000] [--days 30] [--members 2] [--rate 250]
                                [--latency-ms 30] [--postgres URL] [--unpaced]

For each backend it builds `groups` groups, then:

1. the idle one-minute sweep (`StudyScheduler.tick` with nothing due) with no history;
2. a history: `days` days of past rounds for every group (posted, revealed, delivered),
   `members` members answering each, their score entries and the weekly digests sent;
3. the idle sweep again, on that history (goal: at most 2x its time without);
4. the busy minute as the bot runs it: every group's post falls due at the next whole
   minute, and `StudyScheduler.start()` sets the real APScheduler alarms (as `rebuild`
   makes them: one per distinct schedule) and lets them fire on the wall clock. The real
   `Deliverer` posts to a stand-in platform that behaves like a chat API under load:
   each call takes `latency` to answer, and a global rate limit (a token bucket of
   `rate` posts a second) and a per-channel one (5 posts in 5 s) answer 429 with a
   Retry-After when exceeded. No platform takes the posts faster than `groups / rate`
   seconds: the floor. It prints the time from the alarm to the last post as a ratio to
   the floor (goal: at most 1.1x), the passes the scheduler ran, and the worst lag of
   the event loop meanwhile (a ticker that should wake every 10 ms; goal: under 100 ms)
   next to the same ticker's in a separate process (what the machine alone does).

Small runs: `--groups 2000 --days 10 --rate 100`. The busy minute waits for the next
whole minute of the wall clock (up to 80 s) before it starts.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, select, text, update  # noqa: E402

from bot.bank import load_bank  # noqa: E402
from bot.grading import Checker  # noqa: E402
from bot.schedule import Deliverer, Delivered, RetryLater, StudyScheduler  # noqa: E402
from bot.store import Answer, Database, Digest, Group, Member, Round, ScoreEntry  # noqa: E402
from bot.runtime import settle_memory  # noqa: E402
from bot.study import Study  # noqa: E402
from bot.study.digest import pending_week, week_of  # noqa: E402
from bot.study.group_settings import WEEKDAYS, Calendar  # noqa: E402
from bot.study.scoring import REVIEW_WINDOW  # noqa: E402

UTC = dt.timezone.utc
SCHEMA = "studybot_fanout"  # the benchmark's own PostgreSQL schema, dropped at the end


def wall() -> dt.datetime:
    return dt.datetime.now(UTC)


class Bucket:
    """A token bucket: `rate` tokens a second, at most `burst` saved up."""

    def __init__(self, rate: float, burst: float, clock):
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens, self.at = burst, clock()

    def take(self) -> float:
        """0 when a token was taken, else the seconds until one is free."""
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class RateLimitedPlatform:
    """A chat API stand-in: answers after `latency`, 429s past its global or per-channel limit."""

    name = "bench"

    def __init__(self, rate: float, latency: float, declare_rate: bool):
        clock = time.monotonic
        if declare_rate:  # as an adapter does when it knows the platform's limit
            self.max_rate = rate
        self.latency = latency
        self.global_bucket = Bucket(rate, burst=max(1.0, rate / 10), clock=clock)
        self.channels = defaultdict(lambda: Bucket(1.0, burst=5, clock=clock))
        self.delivered = 0
        self.limited = 0
        self.last_at = 0.0  # perf_counter of the last post taken

    async def send(self, post, thread_ref):
        await asyncio.sleep(self.latency)
        channel_wait = self.channels[post.channel_id].take()
        if channel_wait:
            self.limited += 1
            raise RetryLater("429: channel limit", retry_after=channel_wait)
        global_wait = self.global_bucket.take()
        if global_wait:
            self.limited += 1
            raise RetryLater("429: global limit", retry_after=global_wait, everyone=True)
        self.delivered += 1
        self.last_at = time.perf_counter()
        return Delivered(f"m{post.round_id}", f"t{post.round_id}")


# The same 10 ms ticker in a process of its own: what the machine alone does to a loop
# meanwhile (other work on the cores), printed next to the bot's.
MACHINE_TICKER = """
import sys, threading, time
worst, stop = 0.0, threading.Event()
threading.Thread(target=lambda: (sys.stdin.readline(), stop.set()), daemon=True).start()
while not stop.is_set():
    before = time.perf_counter()
    time.sleep(0.01)
    worst = max(worst, time.perf_counter() - before - 0.01)
print(worst)
"""


class LagMeter:
    """The worst lag of a ticker that sleeps 10 ms on the loop, while running."""

    def __init__(self):
        self.worst = 0.0
        self._task: asyncio.Task | None = None

    async def _tick(self):
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.01)
            self.worst = max(self.worst, time.perf_counter() - before - 0.01)

    def __enter__(self):
        self._task = asyncio.get_running_loop().create_task(self._tick())
        return self

    def __exit__(self, *exc):
        self._task.cancel()


def idle_days(today: dt.date) -> str:
    """Every weekday but today's: nothing is due today while the idle sweep is timed."""
    return ",".join(d for i, d in enumerate(WEEKDAYS) if i != today.weekday())


def populate(db: Database, groups: int, today: dt.date, created: dt.datetime) -> None:
    with db.engine.begin() as c:
        c.execute(insert(Group), [
            dict(id=g + 1, platform="bench", workspace_id="", channel_id=f"c{g}", name="", timezone="UTC", post_time="09:00",
                 study_days=idle_days(today), reveal_hours=9, categories=[], tracks=[], difficulty_mix={},
                 dialect="duckdb", owners=[], active=True, created_at=created)
            for g in range(groups)
        ])


def build_history(db: Database, groups: int, days: int, members: int, today: dt.date, question_ids: list[str]) -> dict[str, int]:
    """`days` days of past rounds for every group, as the bot leaves them: posted,
    delivered, revealed, closed once their review window ended; `members` members answering each; the digests of past weeks sent."""
    calendar = Calendar("UTC", "09:00", idle_days(today), 9)
    owed_from = pending_week(calendar, wall())  # the digests up to this week's were sent
    first = today - dt.timedelta(days=days)
    weeks = sorted(w for w in {week_of(first + dt.timedelta(days=d))[0] for d in range(days)} if w <= owed_from)
    counts = dict(rounds=0, answers=0, digests=0)
    with db.engine.begin() as c:
        c.execute(insert(Member), [
            dict(id=g * members + m + 1, group_id=g + 1, user_id=f"u{m}", display_name=f"member {m}", joined_at=dt.datetime.combine(first, dt.time(), UTC))
            for g in range(groups) for m in range(members)
        ])
        c.execute(insert(Digest), [
            dict(group_id=g + 1, week_start=w, created_at=dt.datetime.combine(w + dt.timedelta(days=7), dt.time(), UTC),
                 delivered_at=dt.datetime.combine(w + dt.timedelta(days=7), dt.time(), UTC))
            for g in range(groups) for w in weeks
        ])
        counts["digests"] = groups * len(weeks)
    ended = wall() - REVIEW_WINDOW
    closed = lambda revealed: revealed + REVIEW_WINDOW if revealed <= ended else None  # noqa: E731  (the sweep closed it)
    round_id = 0
    step = max(1, 20_000 // max(1, days))  # groups a chunk: about 20,000 rounds
    for start in range(0, groups, step):
        rounds, answers, scores = [], [], []
        for g in range(start, min(groups, start + step)):
            for d in range(days):
                day = first + dt.timedelta(days=d)
                at = dt.datetime.combine(day, dt.time(9), UTC)
                round_id += 1
                question = question_ids[(g + d) % len(question_ids)]
                rounds.append(dict(id=round_id, group_id=g + 1, study_date=day, question_id=question, skipped=[], due_at=at, posted_at=at,
                                   reveal_at=at + dt.timedelta(hours=9), revealed_at=at + dt.timedelta(hours=9), message_ref=f"m{round_id}",
                                   thread_ref=f"t{round_id}", delivered_at=at, reveal_delivered_at=at + dt.timedelta(hours=9), bonus=False,
                                   reveal_ref=f"r{round_id}", closed_at=closed(at + dt.timedelta(hours=9)),
                                   post_edited_at=at + dt.timedelta(hours=9), reveal_edited_at=closed(at + dt.timedelta(hours=9))))
                for m in range(members):
                    member_id = g * members + m + 1
                    verdict = "correct" if (g + d + m) % 3 else "incorrect"
                    answers.append(dict(round_id=round_id, member_id=member_id, question_id=question, revision=1, text="SELECT 1",
                                        dialect="duckdb", verdict=verdict, feedback="", late=False, via="thread", created_at=at + dt.timedelta(hours=1)))
                    scores.append(dict(group_id=g + 1, round_id=round_id, member_id=member_id, study_date=day, kind="answer",
                                       points=10 if verdict == "correct" else 1))
        with db.engine.begin() as c:
            c.execute(insert(Round), rounds)
            if answers:
                c.execute(insert(Answer), answers)
                c.execute(insert(ScoreEntry), scores)
        counts["rounds"] += len(rounds)
        counts["answers"] += len(answers)
    if db.is_postgres:
        with db.engine.begin() as c:
            for table in ("groups", "members", "rounds"):  # the rows were given ids: move the sequences past them
                c.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
            c.execute(text("ANALYZE"))
    return counts


def make_study(db: Database, bank, checker) -> Study:
    return Study(db, lambda: bank, checker, clock=wall)


async def idle_sweep(db: Database, bank, checker, repeats: int = 5) -> float:
    """The median seconds of a sweep with nothing due, after one to warm up (it must post nothing)."""
    study = make_study(db, bank, checker)
    platform = RateLimitedPlatform(1e6, 0.0, declare_rate=True)
    scheduler = StudyScheduler(study, Deliverer(study, platform))
    await scheduler.tick()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        await scheduler.tick()
        samples.append(time.perf_counter() - started)
    assert platform.delivered == 0, f"the idle sweep posted {platform.delivered} times: something was due"
    return statistics.median(samples)


async def busy_minute(db: Database, bank, checker, groups: int, rate: float, latency: float, paced: bool) -> dict:
    """Every group's post falls due at the next whole minute; the real scheduler fires it."""
    now = wall()
    at = (now + dt.timedelta(seconds=20)).replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    if at.date() != now.date():  # keep the post on today's date: wait for midnight to pass
        await asyncio.sleep((at - now).total_seconds() + 1)
        return await busy_minute(db, bank, checker, groups, rate, latency, paced)
    days = ",".join(WEEKDAYS)
    await db.run(lambda session: session.execute(update(Group).values(post_time=f"{at:%H:%M}", study_days=days)))
    study = make_study(db, bank, checker)
    platform = RateLimitedPlatform(rate, latency, declare_rate=paced)
    scheduler = StudyScheduler(study, Deliverer(study, platform, attempts=50, concurrency=64))
    settle_memory()  # as BotRuntime does once it has started
    await scheduler.start()  # as the bot starts it: a catch-up pass, then every alarm
    jobs = len(scheduler.scheduler.get_jobs())
    passes_before = scheduler.passes
    alone = await asyncio.create_subprocess_exec(sys.executable, "-c", MACHINE_TICKER, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    with LagMeter() as lag:
        await asyncio.sleep(max(0.0, (at - wall()).total_seconds()))
        fired = time.perf_counter()
        deadline = fired + 20 * groups / rate + 60
        while platform.delivered < groups and time.perf_counter() < deadline:
            await asyncio.sleep(0.2)
        while scheduler._lock.locked() and time.perf_counter() < deadline:  # the passes still owed
            await asyncio.sleep(0.2)
        await asyncio.sleep(1.0)  # alarms that ring after the last pass would show as more passes
    machine_lag = float((await alone.communicate(b"stop\n"))[0])
    scheduler.stop()
    if scheduler._rebuild_task:
        await scheduler._rebuild_task
    owed = await db.run(lambda session: session.scalar(select(func.count()).select_from(Round).where(Round.delivered_at.is_(None))))
    return {"delivered": platform.delivered, "owed": owed, "429s": platform.limited, "jobs": jobs,
            "seconds": platform.last_at - fired, "passes": scheduler.passes - passes_before, "worst_lag_ms": lag.worst * 1000, "machine_lag_ms": machine_lag * 1000}


def fresh(url: str | None, tmp: str) -> Database:
    if url is None:
        db = Database(f"sqlite:///{tmp}/fanout.db")
    else:
        with Database(url).engine.begin() as c:
            c.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}"))
        sep = "&" if "?" in url else "?"
        db = Database(f"{url}{sep}options=-csearch_path%3D{SCHEMA}")
    db.upgrade()
    return db


def drop(url: str | None, db: Database) -> None:
    db.dispose()
    if url:
        engine = Database(url).engine
        with engine.begin() as c:
            c.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        engine.dispose()


async def run_backend(name: str, url: str | None, args, bank, checker) -> None:
    floor = args.groups / args.rate
    question_ids = sorted(q.id for q in bank)
    for paced in (True, False) if args.unpaced else (True,):
        with tempfile.TemporaryDirectory() as tmp:
            db = fresh(url, tmp)
            today = wall().date()
            await asyncio.to_thread(populate, db, args.groups, today, dt.datetime.combine(today - dt.timedelta(days=args.days + 1), dt.time(), UTC))
            empty = await idle_sweep(db, bank, checker)
            started = time.perf_counter()
            counts = await asyncio.to_thread(build_history, db, args.groups, args.days, args.members, today, question_ids)
            built = time.perf_counter() - started
            full = await idle_sweep(db, bank, checker)
            print(f"{name:<9} idle sweep: {empty:.2f} s without history, {full:.2f} s with {counts['rounds']:,} rounds, "
                  f"{counts['answers']:,} answers, {counts['digests']:,} digests (built in {built:.0f} s): {full / empty:.2f}x", flush=True)
            result = await busy_minute(db, bank, checker, args.groups, args.rate, args.latency_ms / 1000, paced)
            drop(url, db)
        assert result["delivered"] == args.groups and result["owed"] == 0, result
        print(f"{name:<9} busy minute ({'paced' if paced else '429s only'}): {result['jobs']:,} alarms; all {result['delivered']:,} "
              f"posted {result['seconds']:.1f} s after the alarm, {result['seconds'] / floor:.2f}x the floor; "
              f"{result['passes']} passes; {result['429s']} 429s; worst loop lag {result['worst_lag_ms']:.0f} ms "
              f"(a ticker in another process meanwhile: {result['machine_lag_ms']:.0f} ms)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=30, help="days of past rounds for every group")
    parser.add_argument("--members", type=int, default=2, help="members answering every past round, per group")
    parser.add_argument("--rate", type=float, default=250.0, help="the platform's global limit, posts a second")
    parser.add_argument("--latency-ms", type=float, default=30.0, help="the platform's answer time per call")
    parser.add_argument("--postgres", default=None, help=f"also run on this PostgreSQL database (in a schema {SCHEMA} it creates and drops)")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--unpaced", action="store_true", help="also run with a platform that does not declare its limit (429s only)")
    args = parser.parse_args()

    print(f"{args.groups:,} groups; history {args.days} days x {args.members} members; platform: {args.rate:g} posts/s globally, "
          f"5 per 5 s per channel, {args.latency_ms:g} ms per call; floor {args.groups / args.rate:.1f} s")
    bank = load_bank()
    with Checker(workers=1) as checker:  # not used: nothing is checked here
        for name, url in ([] if args.no_sqlite else [("sqlite", None)]) + ([("postgres", args.postgres)] if args.postgres else []):
            asyncio.run(run_backend(name, url, args, bank, checker))
    return 0


if __name__ == "__main__":
    sys.exit(main())
