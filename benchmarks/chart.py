"""A digest moment's charts: what rendering them costs the bot's process.

    python benchmarks/chart.py [--groups 10000] [--rate 250] [--members 8]

Many groups keep the default schedule, so their weekly digests fall due at one moment,
each with its chart. This renders `--groups` charts (every member with points on every
day) as the scheduler does, a batch of 100 digests at a time through the same
`with_charts` on an asyncio loop, and prints the time against the posting floor
(`groups / rate`: no bot posts them faster), the time per chart, and the worst lag of
a 10 ms ticker on the loop meanwhile. Goal: the charts never make the digest moment
slower than its floor (ratio at most 1.0 leaves the posting rate the limit).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fanout import LagMeter  # noqa: E402  (the same ticker as the busy minute's)

from bot.study.digest import WeekData  # noqa: E402
from bot.study.due import with_charts  # noqa: E402
from bot.study.replies import Outbound, Reply  # noqa: E402

BATCH = 100  # groups the scheduler opens at a time


def digest(group: int) -> Outbound:
    return Outbound(group_id=group, platform="bench", channel_id=f"c{group}", kind="digest", reply=Reply("digest"))


def week(members: int, salt: int) -> WeekData:
    start = dt.date(2026, 3, 2)
    days = tuple(start + dt.timedelta(days=d) for d in range(7))
    return WeekData(start, days, {f"member {m}": {d: (m * 7 + i * 3 + salt) % 23 for i, d in enumerate(days)} for m in range(members)})


async def moment(groups: int, members: int) -> tuple[float, float]:
    await with_charts([digest(0)], {0: week(members, 0)})  # fonts loaded, threads started
    with LagMeter() as lag:
        began = time.perf_counter()
        for first in range(0, groups, BATCH):
            ids = range(first, min(groups, first + BATCH))
            done = await with_charts([digest(g) for g in ids], {g: week(members, g) for g in ids})
            assert all(p.attachments and p.attachments[0][1].startswith(b"\x89PNG") for p in done)
        seconds = time.perf_counter() - began
    return seconds, lag.worst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=250, help="posts a second the platform allows (the floor)")
    parser.add_argument("--members", type=int, default=8, help="members with points in each group's week")
    args = parser.parse_args()
    seconds, lag = asyncio.run(moment(args.groups, args.members))
    floor = args.groups / args.rate
    print(f"{args.groups} digest charts ({args.members} members each): {seconds:.1f} s, "
          f"{seconds / args.groups * 1000:.2f} ms a chart; the posting floor is {floor:.1f} s: "
          f"{seconds / floor:.2f}x (goal: at most 1.0x); worst loop lag {lag * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
