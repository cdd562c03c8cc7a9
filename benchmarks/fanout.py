"""Fan-out at the busiest minute: 10,000 groups whose question is due at 09:00.

    python benchmarks/fanout.py [--groups 10000] [--rate 500] [--latency-ms 30] [--postgres URL]

The scheduler's real tick opens the rounds in committed batches (`Study.due_batches`)
and the real `Deliverer` posts each batch as it comes to a stand-in platform that behaves like a chat API under load: each call takes
`latency` to answer, and a global rate limit (a token bucket of `rate` posts a second)
and a per-channel one (5 posts in 5 s) answer 429 with a Retry-After when exceeded.
No platform can take the posts faster than `groups / rate` seconds: that is the floor,
and the benchmark prints the delivery time as a ratio to it (goal: at most 1.1x), and
the worst lag of the event loop meanwhile (a ticker that should wake every 10 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from bot.bank import load_bank  # noqa: E402
from bot.grading import Checker  # noqa: E402
from bot.schedule import Deliverer, Delivered, RetryLater, StudyScheduler  # noqa: E402
from bot.store import Database, Group  # noqa: E402
from bot.study import Study  # noqa: E402

UTC = dt.timezone.utc
DUE = dt.datetime(2026, 6, 1, 9, 0, tzinfo=UTC)  # a Monday


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
        return Delivered(f"m{post.round_id}", f"t{post.round_id}")


def populate(db: Database, groups: int) -> None:
    with db.engine.begin() as c:
        c.execute(insert(Group), [
            dict(platform="bench", workspace_id="", channel_id=f"c{g}", name="", timezone="UTC", post_time="09:00",
                 study_days="mon,tue,wed,thu,fri,sat,sun", reveal_hours=9, categories=[], tracks=[], difficulty_mix={},
                 dialect="duckdb", owners=[], active=True, created_at=DUE - dt.timedelta(days=1))
            for g in range(groups)
        ])


async def measure(db: Database, rate: float, latency: float, paced: bool) -> dict:
    bank = load_bank()
    with Checker(workers=1) as checker:  # not used: nothing is checked here
        study = Study(db, lambda: bank, checker, clock=lambda: DUE)
        platform = RateLimitedPlatform(rate, latency, declare_rate=paced)
        scheduler = StudyScheduler(study, Deliverer(study, platform, attempts=50, concurrency=64))

        worst_lag = 0.0
        running = True

        async def ticker():
            nonlocal worst_lag
            while running:
                before = time.perf_counter()
                await asyncio.sleep(0.01)
                worst_lag = max(worst_lag, time.perf_counter() - before - 0.01)

        tick = asyncio.create_task(ticker())
        started = time.perf_counter()
        await scheduler.tick()
        done = time.perf_counter()
        running = False
        await tick
        owed = len(await study.undelivered(older_than=dt.timedelta(0)))
    return {"delivered": platform.delivered, "owed": owed, "429s": platform.limited,
            "seconds": done - started, "worst_lag_ms": worst_lag * 1000}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=50.0, help="the platform's global limit, posts a second (Discord: 50)")
    parser.add_argument("--latency-ms", type=float, default=30.0, help="the platform's answer time per call")
    parser.add_argument("--postgres", default=None, help="also run on this PostgreSQL URL (an empty database)")
    parser.add_argument("--unpaced", action="store_true", help="also run with a platform that does not declare its limit (429s only)")
    args = parser.parse_args()

    targets = [("sqlite", None)] + ([("postgres", args.postgres)] if args.postgres else [])
    floor = args.groups / args.rate
    print(f"{args.groups} groups due at once; platform: {args.rate:g} posts/s globally, 5 per 5 s per channel, "
          f"{args.latency_ms:g} ms per call; floor {floor:.1f} s")
    print(f"{'backend':<9} {'pacing':<8} {'all delivered':>14} {'ratio to floor':>15} {'429s':>6} {'worst loop lag':>15}")
    for name, url in targets:
        for paced in (True, False) if args.unpaced else (True,):
            with tempfile.TemporaryDirectory() as tmp:
                db = Database(url or f"sqlite:///{tmp}/fanout.db")
                if url:
                    db.downgrade("base")
                db.upgrade()
                populate(db, args.groups)
                result = asyncio.run(measure(db, args.rate, args.latency_ms / 1000, paced))
                if url:
                    db.downgrade("base")
                db.dispose()
            assert result["delivered"] == args.groups and result["owed"] == 0, result
            print(f"{name:<9} {'paced' if paced else '429s':<8} {result['seconds']:>13.1f}s {result['seconds'] / floor:>14.2f}x "
                  f"{result['429s']:>6} {result['worst_lag_ms']:>12.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
