"""Member-facing queries and the due work at scale: 200 groups, 10,000 members, up to 1,000,000 answers.

    python benchmarks/leaderboard.py [--postgres URL] [--sizes 10000,100000,1000000]

For each history size (answers; every member answers every round of their group, so
the rounds per group grow with it) it times, as the bot runs them:
- member-facing verbs through `Study` (each one transaction in a thread, as a command
  runs): the leaderboard for this week, this month and all time, `/study stats`,
  `/study history` and `/study today`;
- the due work of a sweep and a busy minute, each query in one transaction that is
  rolled back: the due reveals, the undelivered posts (`undelivered`), one batch of 100
  groups' posts and digests at an idle moment, the question pick for a group's post
  (`_pick`), and a reveal's work (its count, freeze notices, repetition tracking);
and prints the mean milliseconds of each, with the growth from the smallest size. At
the largest size it also times the leaderboard with its index dropped.
Goal: every member-facing query at most 20 ms at 1,000,000 answers, on both backends,
and the due work flat in the history. Quick run: `--sizes 10000,100000`.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select, text  # noqa: E402

from bot.bank import load_bank  # noqa: E402
from bot.grading import Checker  # noqa: E402
from bot.store import Answer, Database, Digest, Group, Member, Round, ScoreEntry  # noqa: E402
from bot.study import Actor, Study  # noqa: E402
from bot.study.digest import week_of  # noqa: E402
from bot.study.due import freeze_notices  # noqa: E402
from bot.study.progress import track_round  # noqa: E402

UTC = dt.timezone.utc
GROUPS, MEMBERS = 200, 10_000
TODAY = dt.date(2026, 6, 30)
NOW = dt.datetime.combine(TODAY, dt.time(20), UTC)  # after today's reveal: an idle moment


def populate(db: Database, answers: int, question_ids: list[str], seed: int = 7) -> None:
    """A history where every member answers every round of their group, as the bot
    leaves it: rounds posted, revealed and delivered, digests of past weeks sent."""
    rng = random.Random(seed)
    per_group = MEMBERS // GROUPS
    rounds_per_group = max(1, answers // MEMBERS)
    now = dt.datetime(2026, 1, 1, tzinfo=UTC)
    first = TODAY - dt.timedelta(days=rounds_per_group - 1)
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
        weeks = sorted({week_of(first + dt.timedelta(days=d))[0] for d in range(rounds_per_group)} - {week_of(TODAY)[0]})
        if weeks:
            c.execute(insert(Digest), [
                dict(group_id=g + 1, week_start=w, created_at=now, delivered_at=now) for g in range(GROUPS) for w in weeks
            ])
        round_rows = []
        for g in range(GROUPS):
            for r in range(rounds_per_group):
                day = first + dt.timedelta(days=r)
                at = dt.datetime.combine(day, dt.time(9), tzinfo=UTC)
                round_id = g * rounds_per_group + r + 1
                round_rows.append(dict(id=round_id, group_id=g + 1, study_date=day, question_id=question_ids[(g + r) % len(question_ids)],
                                       skipped=[], due_at=at, posted_at=at, reveal_at=at + dt.timedelta(hours=9),
                                       revealed_at=at + dt.timedelta(hours=9), message_ref=f"m{round_id}", thread_ref=f"t{round_id}",
                                       delivered_at=at, reveal_delivered_at=at + dt.timedelta(hours=9),
                                       post_edited_at=at + dt.timedelta(hours=9)))
        c.execute(insert(Round), round_rows)
    chunk_answers, chunk_scores, made = [], [], 0
    for g in range(GROUPS):
        for r in range(rounds_per_group):
            round_id = g * rounds_per_group + r + 1
            day, question = round_rows[round_id - 1]["study_date"], round_rows[round_id - 1]["question_id"]
            for m in range(per_group):
                if made >= answers:
                    break
                member_id = g * per_group + m + 1
                verdict = "correct" if rng.random() < 0.6 else "incorrect"
                chunk_answers.append(dict(round_id=round_id, member_id=member_id, question_id=question, revision=1, text="SELECT 1",
                                          dialect="duckdb", verdict=verdict, late=False, via="thread", created_at=now))
                chunk_scores.append(dict(group_id=g + 1, round_id=round_id, member_id=member_id, study_date=day, kind="answer",
                                         points=10 if verdict == "correct" else 1))
                made += 1
            if len(chunk_answers) >= 50_000:
                _flush(db, chunk_answers, chunk_scores)
    _flush(db, chunk_answers, chunk_scores)
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as c:
            for table in ("groups", "members", "rounds"):  # the rows were given ids: move the sequences past them
                c.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
            c.execute(text("ANALYZE"))


def _flush(db, answers, scores) -> None:
    if answers:
        with db.engine.begin() as c:
            c.execute(insert(Answer), answers)
            c.execute(insert(ScoreEntry), scores)
    answers.clear()
    scores.clear()


MEMBER_FACING = ("board week", "board month", "board all", "stats", "history", "today")
DUE_WORK = ("due reveals", "undelivered", "groups batch", "pick", "reveal")


def rolled_back(db: Database, work):
    """Run `work(session)` in a transaction that is rolled back: the due work writes."""
    session = db._sessions()
    try:
        return work(session)
    finally:
        session.rollback()
        session.close()


def time_queries(db: Database, study: Study, repeats: int = 40, leaderboard_only: bool = False) -> dict[str, float]:
    """Mean milliseconds of each member-facing verb and each piece of due work."""
    rng = random.Random(1)
    bank = study._bank()
    per_group = MEMBERS // GROUPS

    def actor():
        g, m = rng.randrange(GROUPS), rng.randrange(per_group)
        return Actor("bench", f"c{g}", f"u{g * per_group + m}", "member")

    verbs = {
        "board week": lambda: study.leaderboard(actor(), "week"),
        "board month": lambda: study.leaderboard(actor(), "month"),
        "board all": lambda: study.leaderboard(actor(), "all"),
        "stats": lambda: study.stats(actor()),
        "history": lambda: study.history(actor()),
        "today": lambda: study.today(actor()),
    }

    def group_and_round(session):
        group = session.get(Group, rng.randrange(GROUPS) + 1)
        return group, session.scalar(select(Round).where(Round.group_id == group.id).order_by(Round.study_date.desc()).limit(1))

    def reveal(session):
        group, round_ = group_and_round(session)
        question = bank.get(round_.question_id)
        study._reveal_outbound(session, group, round_, question)
        freeze_notices(session, group, round_, question)
        track_round(session, round_)

    due = {
        "due reveals": lambda session: study._due_reveals(session, bank, NOW, 100),
        "undelivered": None,  # a verb of its own (several queries, one transaction)
        "groups batch": lambda session: study._due_groups(session, bank, NOW, {}, rng.randrange(GROUPS - 100), 100),
        "pick": lambda session: study._pick(session, group_and_round(session)[0], bank, TODAY + dt.timedelta(days=1)),
        "reveal": reveal,
    }
    results = {}

    async def verb_times():
        for name, call in verbs.items():
            if leaderboard_only and not name.startswith("board"):
                continue
            response = await call()  # warm
            samples = []
            for _ in range(repeats):
                started = time.perf_counter()
                response = await call()
                samples.append((time.perf_counter() - started) * 1000)
            assert response.reply.ok, (name, response.reply)
            results[name] = statistics.mean(samples)
        if not leaderboard_only:
            samples = []
            for _ in range(repeats // 4):
                started = time.perf_counter()
                assert await study.undelivered() == []
                samples.append((time.perf_counter() - started) * 1000)
            results["undelivered"] = statistics.mean(samples)

    asyncio.run(verb_times())
    if not leaderboard_only:
        for name, work in due.items():
            if work is None:
                continue
            rolled_back(db, work)
            samples = []
            for _ in range(repeats // 4):
                started = time.perf_counter()
                rolled_back(db, work)
                samples.append((time.perf_counter() - started) * 1000)
            results[name] = statistics.mean(samples)
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


def _drop_database(url: str) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    target = make_url(Database(url).url)
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{target.database}"'))
    server.dispose()


def run(label: str, url: str | None, sizes: list[int], bank, checker) -> None:
    print(f"\n{label}")
    names = MEMBER_FACING + DUE_WORK
    print(f"{'answers':>10} " + " ".join(f"{n:>12}" for n in names))
    first = None
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            db = fresh(url, Path(tmp), f"s{size}")
            started = time.perf_counter()
            populate(db, size, sorted(q.id for q in bank))
            built = time.perf_counter() - started
            study = Study(db, lambda: bank, checker, clock=lambda: NOW)
            times = time_queries(db, study)
            first = first or times
            print(f"{size:>10,} " + " ".join(f"{times[n]:>9.2f} ms" for n in names) + f"   (built in {built:.0f} s)")
            print(f"{'growth':>10} " + " ".join(f"{times[n] / first[n]:>11.1f}x" for n in names))
            if size == sizes[-1]:
                worst = max(MEMBER_FACING, key=times.get)
                print(f"slowest member-facing: {worst} {times[worst]:.2f} ms (goal: at most 20 ms)")
                with db.engine.begin() as c:
                    c.execute(text("DROP INDEX ix_score_entries_leaderboard"))
                slow = time_queries(db, study, repeats=10, leaderboard_only=True)
                boards = [n for n in MEMBER_FACING if n.startswith("board")]
                print("without the leaderboard index: " + ", ".join(f"{n} {slow[n]:.2f} ms" for n in boards) +
                      f"; the index makes them {statistics.mean(slow[n] for n in boards) / statistics.mean(times[n] for n in boards):.1f}x faster")
            db.dispose()
    if url:
        _drop_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/studybot_bench",
                        help="a PostgreSQL database the benchmark creates, empties and drops ('' to skip)")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    bank = load_bank()
    with Checker(workers=1) as checker:  # not used: nothing is checked here
        if not args.no_sqlite:
            run("SQLite (file, WAL)", None, sizes, bank, checker)
        if args.postgres:
            run("PostgreSQL", args.postgres, sizes, bank, checker)


if __name__ == "__main__":
    main()
