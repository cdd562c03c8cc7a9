"""Leaderboard queries at scale: 200 groups, 10,000 members, up to 1,000,000 answers.

    python benchmarks/leaderboard.py [--postgres URL] [--sizes 10000,100000,1000000]

For each history size it times the real leaderboard query (bot.study.standings) for
this week, this month and all time over many groups, and prints the mean per query
with its growth from the smallest size. At the largest size it also times the same
queries with the leaderboard index dropped: the ratio is what the index buys.
Goal: at most 20 ms per query on SQLite at 1,000,000 answers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, text  # noqa: E402

from bot.store import Answer, Database, Group, Member, Round, ScoreEntry  # noqa: E402
from bot.study.standings import leaderboard_rows  # noqa: E402

UTC = dt.timezone.utc
GROUPS, MEMBERS = 200, 10_000
TODAY = dt.date(2026, 6, 30)


def populate(db: Database, answers: int, seed: int = 7) -> None:
    """A history where every member answers most of their group's rounds."""
    rng = random.Random(seed)
    per_group = MEMBERS // GROUPS
    rounds_per_group = max(1, answers // MEMBERS)
    now = dt.datetime(2026, 1, 1, tzinfo=UTC)
    with db.engine.begin() as c:
        c.execute(insert(Group), [
            dict(id=g + 1, platform="bench", workspace_id="", channel_id=f"c{g}", name="", timezone="UTC", post_time="09:00",
                 study_days="mon,tue,wed,thu,fri,sat,sun", reveal_hours=9, categories=[], tracks=[], difficulty_mix={},
                 dialect="duckdb", owners=[], active=True, created_at=now)
            for g in range(GROUPS)
        ])
        c.execute(insert(Member), [
            dict(id=m + 1, group_id=m // per_group + 1, user_id=f"u{m}", display_name=f"member {m}", joined_at=now)
            for m in range(MEMBERS)
        ])
        round_rows = []
        for g in range(GROUPS):
            for r in range(rounds_per_group):
                day = TODAY - dt.timedelta(days=rounds_per_group - 1 - r)
                at = dt.datetime.combine(day, dt.time(9), tzinfo=UTC)
                round_rows.append(dict(id=g * rounds_per_group + r + 1, group_id=g + 1, study_date=day, question_id="q", skipped=[],
                                       due_at=at, posted_at=at, reveal_at=at + dt.timedelta(hours=9), revealed_at=at + dt.timedelta(hours=9)))
        c.execute(insert(Round), round_rows)
    chunk_answers, chunk_scores, made = [], [], 0
    for g in range(GROUPS):
        for r in range(rounds_per_group):
            round_id = g * rounds_per_group + r + 1
            day = round_rows[round_id - 1]["study_date"]
            for m in range(per_group):
                if made >= answers:
                    break
                member_id = g * per_group + m + 1
                verdict = "correct" if rng.random() < 0.6 else "incorrect"
                chunk_answers.append(dict(round_id=round_id, member_id=member_id, question_id="q", revision=1, text="SELECT 1",
                                          dialect="duckdb", verdict=verdict, late=False, via="thread", created_at=now))
                chunk_scores.append(dict(group_id=g + 1, round_id=round_id, member_id=member_id, study_date=day, kind="answer",
                                         points=10 if verdict == "correct" else 1))
                made += 1
            if len(chunk_answers) >= 50_000:
                _flush(db, chunk_answers, chunk_scores)
    _flush(db, chunk_answers, chunk_scores)
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as c:
            c.execute(text("ANALYZE"))


def _flush(db, answers, scores) -> None:
    if answers:
        with db.engine.begin() as c:
            c.execute(insert(Answer), answers)
            c.execute(insert(ScoreEntry), scores)
    answers.clear()
    scores.clear()


def time_queries(db: Database, repeats: int = 60) -> dict[str, float]:
    """Mean milliseconds per leaderboard query, per window."""
    rng = random.Random(1)
    results = {}
    with db.session() as session:
        groups = session.query(Group).all()
        for window in ("week", "month", "all"):
            leaderboard_rows(session, groups[0], window, TODAY)  # warm the cache
            samples = []
            for _ in range(repeats):
                group = rng.choice(groups)
                started = time.perf_counter()
                rows, _ = leaderboard_rows(session, group, window, TODAY)
                samples.append((time.perf_counter() - started) * 1000)
                assert rows, "the generated history should give every group a leaderboard"
            results[window] = statistics.mean(samples)
    return results


def fresh(url: str | None, tmp: Path, name: str) -> Database:
    if url is None:
        db = Database(str(tmp / f"{name}.db"))
    else:
        _create_database(url)
        db = Database(url)
        with db.engine.begin() as c:
            c.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    db.upgrade()
    return db


def _create_database(url: str) -> None:
    """Create the benchmark's own database on the server when it is missing."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    target = make_url(Database(url).url)
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as c:
        if not c.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}).scalar():
            c.execute(text(f'CREATE DATABASE "{target.database}"'))
    server.dispose()


def run(label: str, url: str | None, sizes: list[int]) -> None:
    print(f"\n{label}")
    print(f"{'answers':>10} {'week ms':>9} {'month ms':>9} {'all ms':>9} {'growth':>8}")
    first = None
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            db = fresh(url, Path(tmp), f"s{size}")
            started = time.perf_counter()
            populate(db, size)
            built = time.perf_counter() - started
            times = time_queries(db)
            mean = statistics.mean(times.values())
            first = first or mean
            print(f"{size:>10,} {times['week']:>9.2f} {times['month']:>9.2f} {times['all']:>9.2f} {mean / first:>7.1f}x   (built in {built:.0f} s)")
            if size == sizes[-1]:
                with db.engine.begin() as c:
                    c.execute(text("DROP INDEX ix_score_entries_leaderboard"))
                slow = time_queries(db, repeats=10)
                print(f"{'no index':>10} {slow['week']:>9.2f} {slow['month']:>9.2f} {slow['all']:>9.2f}   "
                      f"the index makes queries {statistics.mean(slow.values()) / mean:.1f}x faster")
            db.dispose()
    print("goal: at most 20 ms per query on SQLite at 1,000,000 answers")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/studybot_bench",
                        help="a PostgreSQL database the benchmark may empty ('' to skip)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    run("SQLite (file, WAL)", None, sizes)
    if args.postgres:
        run("PostgreSQL", args.postgres, sizes)


if __name__ == "__main__":
    main()
