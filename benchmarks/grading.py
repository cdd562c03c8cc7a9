"""The SQL checker: overhead against a warm-DuckDB floor, and a hostile burst on a loop.

    python benchmarks/grading.py [--answers 400] [--burst 1000] [--members 50] [--workers N] [--fast] [--quick]

(1) Overhead. 400 answers to a bank question with a window function and five
datasets (`sql-month-to-date-revenue-running-total`: its solution and its wrong
answers in turn) are graded by the real `Checker`, and run on the floor: N plain
processes, each with one warm in-memory DuckDB connection per dataset (schema and data
loaded once; no sandbox, no translation) running its share of the answers on every
dataset and comparing the rows with the reference's as a plain multiset of exact
values, niced as the workers are. The pool has N workers, so the floor has N processes:
wall-clock times on the same cores, in alternating rounds, best of each. Goal: at most
1.25x. The CPU-time ratio is printed too (it suffers less from a busy machine).

(2) Burst. 1,000 answers from 50 members submitted at once from an asyncio loop through
`Checker.check(..., member=...)`: each member sends 20 answers, one of them (at a
different turn for each member) a CPU bomb, an endless recursive CTE that runs into the
time limit; then the same burst with the solution in the bombs' place. It prints the
ordinary answers' p50/p95/p99 from submission to verdict for both, their p95 ratio
(goal: at most 1.5x), and the loop's worst lag (a ticker that should wake every 10 ms;
goal: under 100 ms) next to the same ticker in a process of its own. `--fast` runs the
burst with a 1 s limit: the 50 bombs then hold the slow lane for about 50 s instead of 250 s.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import multiprocessing
import os
import sys
import time
from collections import Counter
from concurrent.futures import wait
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb  # noqa: E402

from bot.bank import load_bank  # noqa: E402
from bot.grading import Checker, Limits, SqlTask  # noqa: E402
from bot.grading.pool import WORKER_NICENESS  # noqa: E402
from bot.runtime import settle_memory  # noqa: E402

QUESTION = "sql-month-to-date-revenue-running-total"
BOMB = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*), 1 FROM r"
BOMB_KIND = "an endless recursive CTE (CPU only: it runs into the time limit)"


@functools.cache
def bank():
    return load_bank()


def workload(count: int) -> tuple[SqlTask, list[str], list[bool]]:
    """The question's task and `count` answers (solution and wrong answers in turn)."""
    question = bank().get(QUESTION)
    task = question.task()
    assert len(task.datasets) >= 3 and "OVER" in question.solution.upper()
    pool = [(question.solution, True)] + [(w.sql, False) for w in question.wrong_answers]
    picked = [pool[i % len(pool)] for i in range(count)]
    return task, [sql for sql, _ in picked], [ok for _, ok in picked]


# ---- (1) overhead ------------------------------------------------------------------------


def _floor_process(task: SqlTask, answers: list[str], rounds: int, start, results) -> None:
    """One floor process: warm connections, then its share of the answers each round."""
    os.nice(WORKER_NICENESS)  # as the sandbox's workers
    connections = []
    for dataset in task.datasets:
        con = duckdb.connect(":memory:", config={"threads": 1})  # as the sandbox's workers
        con.execute(task.schema)
        con.execute(dataset.sql)
        connections.append(con)

    # Comparing, the plainest way: the rows as a multiset of exact values, against the reference's.
    references = [Counter(con.execute(task.solution).fetchall()) for con in connections]

    def run_all() -> None:
        for sql in answers:
            for con, reference in zip(connections, references):
                Counter(con.execute(sql).fetchall()) == reference  # the work; the verdict is not needed

    run_all()  # warm-up, as the pool's workers are warmed
    for _ in range(rounds):
        start.wait()
        began, cpu = time.perf_counter(), time.process_time()
        run_all()
        results.put((time.perf_counter() - began, time.process_time() - cpu))


def _cpu_seconds(pids) -> float:
    """User and system CPU time of other processes (utime + stime in /proc/PID/stat)."""
    fields = [Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split() for pid in pids]
    return sum(int(f[11]) + int(f[12]) for f in fields) / os.sysconf("SC_CLK_TCK")


def grade_round(checker: Checker, task: SqlTask, answers: list[str], expected: list[bool], workers) -> tuple[float, float]:
    """Wall and CPU seconds (workers' and this process's) to grade every answer, all submitted at once."""
    began, cpu = time.perf_counter(), time.process_time() + _cpu_seconds(workers)
    results = [f.result() for f in [checker.submit_check(task, a) for a in answers]]
    wall, cpu = time.perf_counter() - began, time.process_time() + _cpu_seconds(workers) - cpu
    wrong = [r for r, ok in zip(results, expected) if r.correct != ok]
    assert not wrong, f"{len(wrong)} answers graded wrongly, e.g. {wrong[0]}"
    return wall, cpu


def overhead(count: int, workers: int, limits: Limits, rounds: int) -> None:
    """Checker and floor rounds in turn, so both see the same machine; the best of each counts.

    N floor processes for N workers: a floor round starts them together at a barrier
    and lasts as long as its slowest process, as a checker round lasts until its last verdict.
    """
    task, answers, expected = workload(count)
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(workers + 1), context.Queue()
    floor_processes = [context.Process(target=_floor_process, args=(task, answers[i::workers], rounds, start, results),
                                       daemon=True)
                       for i in range(workers)]
    for process in floor_processes:
        process.start()
    checker_runs, floor_runs = [], []
    with Checker(workers=workers, limits=limits) as checker:
        checker.warm(task)
        wait([checker.submit_check(task, a) for a in answers])  # loaded and warm, as the floor is
        worker_pids = {p.pid for p in multiprocessing.active_children()} - {p.pid for p in floor_processes}
        for _ in range(rounds):
            checker_runs.append(grade_round(checker, task, answers, expected, worker_pids))
            start.wait()  # a floor round, while the checker idles
            shares = [results.get(timeout=300) for _ in floor_processes]
            floor_runs.append((max(w for w, _ in shares), sum(c for _, c in shares)))
    for process in floor_processes:
        process.join()
    print(f"\n(1) overhead: {count} answers to {QUESTION} ({len(task.datasets)} datasets, window function), "
          f"{sum(expected)} correct; {workers} checker workers vs {workers} floor processes, best of {rounds} rounds")
    print(f"{'':<8} {'wall s':>8} {'ms/answer':>10} {'answers/s':>10} {'CPU ms/answer':>14}")
    (floor, floor_cpu), (pool, pool_cpu) = [[min(column) for column in zip(*runs)] for runs in (floor_runs, checker_runs)]
    for label, wall, cpu in (("floor", floor, floor_cpu), ("checker", pool, pool_cpu)):
        print(f"{label:<8} {wall:>8.2f} {wall / count * 1000:>10.2f} {count / wall:>10.0f} {cpu / count * 1000:>14.2f}")
    print(f"overhead: {pool / floor:.2f}x the floor in wall time   (goal: at most 1.25x); {pool_cpu / floor_cpu:.2f}x in CPU time")


# ---- (2) burst ---------------------------------------------------------------------------


def _control_ticker(stop, out) -> None:
    """The same ticker in a process of its own: what the machine alone does to a 10 ms sleep."""
    worst = 0.0
    while not stop.is_set():
        before = time.perf_counter()
        time.sleep(0.01)
        worst = max(worst, time.perf_counter() - before - 0.01)
    out.put(worst)


def burst_answers(count: int, members: int, bombs: bool) -> list[tuple[int, str, bool]]:
    """(member, answer, is_bomb) in submission order: each member's answers in turn, one
    in 20 of them a bomb (at a different place for each member), or the solution instead."""
    _, answers, _ = workload(count)
    solution = answers[0]
    share = [[] for _ in range(members)]
    for i, answer in enumerate(answers):
        share[i % members].append(answer)
    out = []
    for turn in range(max(map(len, share))):
        for member, mine in enumerate(share):
            if turn < len(mine):
                bomb = turn % 20 == member % 20
                out.append((member, (BOMB if bombs else solution) if bomb else mine[turn], bomb and bombs))
    return out


async def burst(count: int, members: int, workers: int, limits: Limits, bombs: bool) -> dict:
    task, _, _ = workload(1)
    answers = burst_answers(count, members, bombs)
    async with Checker(workers=workers, limits=limits) as checker:
        checker.warm(task)
        await checker.check(task, task.solution)  # loaded and warm (answers[0] may be a bomb)
        settle_memory()  # as BotRuntime does once it has started: the bank out of the collector's full passes
        worst_lag, running = 0.0, True

        async def ticker() -> None:
            nonlocal worst_lag
            while running:
                before = time.perf_counter()
                await asyncio.sleep(0.01)
                worst_lag = max(worst_lag, time.perf_counter() - before - 0.01)

        async def timed(member: int, answer: str):
            result = await checker.check(task, answer, member=member)
            return result, time.perf_counter() - began

        tick = asyncio.create_task(ticker())
        await asyncio.sleep(0.05)
        began = time.perf_counter()
        graded = await asyncio.gather(*(timed(m, a) for m, a, _ in answers))
        seconds = time.perf_counter() - began
        running = False
        await tick
        restarts = checker.restarts
    ordinary = sorted(t for (_, t), (_, _, bomb) in zip(graded, answers) if not bomb)
    slowest_bomb = max((t for (_, t), (_, _, bomb) in zip(graded, answers) if bomb), default=0.0)
    verdicts = Counter(r.verdict.value for r, _ in graded)
    return dict(seconds=seconds, lag=worst_lag, restarts=restarts, verdicts=verdicts, ordinary=ordinary,
                bombs=sum(b for _, _, b in answers), slowest_bomb=slowest_bomb)


def percentile(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(len(values) * p))]


def bursts(count: int, members: int, workers: int, limits: Limits) -> None:
    context = multiprocessing.get_context("spawn")
    stop, out = context.Event(), context.SimpleQueue()
    control = context.Process(target=_control_ticker, args=(stop, out))
    control.start()
    runs = {label: asyncio.run(burst(count, members, workers, limits, bombs)) for label, bombs in (("no bombs", False), ("5 % bombs", True))}
    stop.set()
    control_lag = out.get()
    control.join()
    print(f"\n(2) burst: {count} answers at once from {members} members on an asyncio loop, {workers} workers, "
          f"{limits.timeout:g} s limit, {limits.quick:g} s quick budget; bombs: {BOMB_KIND}")
    print(f"{'':<10} {'seconds':>8} {'p50 s':>7} {'p95 s':>7} {'p99 s':>7} {'loop lag ms':>12}  verdicts")
    for label, run in runs.items():
        waits = run["ordinary"]
        print(f"{label:<10} {run['seconds']:>8.1f} {percentile(waits, .5):>7.2f} {percentile(waits, .95):>7.2f} "
              f"{percentile(waits, .99):>7.2f} {run['lag'] * 1000:>12.1f}  "
              + ", ".join(f"{v} {n}" for v, n in sorted(run["verdicts"].items())) + f"; workers replaced: {run['restarts']}")
    with_bombs, without = runs["5 % bombs"], runs["no bombs"]
    ratio = percentile(with_bombs["ordinary"], .95) / percentile(without["ordinary"], .95)
    print(f"ordinary answers' p95 with bombs: {ratio:.2f}x without   (goal: at most 1.5x); "
          f"the last of {with_bombs['bombs']} bombs ended after {with_bombs['slowest_bomb']:.1f} s (the slow lane)")
    worst = max(run["lag"] for run in runs.values())
    print(f"worst event-loop lag: {worst * 1000:.1f} ms   (goal: under 100 ms); "
          f"the same ticker in another process: {control_lag * 1000:.1f} ms (the machine's own noise)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=400, help="answers in the overhead run")
    parser.add_argument("--burst", type=int, default=1000, help="answers in the burst (0 to skip)")
    parser.add_argument("--members", type=int, default=50, help="members sending the burst's answers")
    parser.add_argument("--workers", type=int, default=Checker.default_workers())
    parser.add_argument("--timeout", type=float, default=Limits.timeout, help="the checker's time limit per answer")
    parser.add_argument("--rounds", type=int, default=5, help="overhead runs of each side; the best counts")
    parser.add_argument("--fast", action="store_true", help="the full burst with a 1 s limit: a couple of minutes on 2 cores")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 50 answers, a burst of 100, 1 s limit")
    args = parser.parse_args()
    if args.fast:
        args.timeout = min(args.timeout, 1.0)
    if args.quick:
        args.answers, args.burst, args.timeout, args.rounds = min(args.answers, 50), min(args.burst, 100), 1.0, 1
    limits = Limits(timeout=args.timeout)
    if args.answers:
        overhead(args.answers, args.workers, limits, args.rounds)
    if args.burst:
        bursts(args.burst, args.members, args.workers, limits)
    return 0


if __name__ == "__main__":
    sys.exit(main())
