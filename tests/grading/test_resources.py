"""Every resource bounded: no spill files, a stopped worker replaced, a killed worker's
signal named, and nothing of the bot's paths in what a member's query can read."""

import os
import signal
import threading
import time
from pathlib import Path

import bot
from bot.grading import Checker, Dataset, Limits, SqlTask, Verdict
from bot.grading import pool as pool_module

TASK = SqlTask(
    schema="CREATE TABLE t (x INTEGER);",
    datasets=[Dataset("sample", "INSERT INTO t VALUES (1), (2), (3);", visible=True), Dataset("more", "INSERT INTO t VALUES (4);")],
    solution="SELECT sum(x) FROM t",
)
OTHER = SqlTask(
    schema="CREATE TABLE u (y INTEGER);",
    datasets=[Dataset("sample", "INSERT INTO u VALUES (7);", visible=True)],
    solution="SELECT y FROM u",
)
QUICK = "SELECT sum(x) FROM t"
CPU_BOMB = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
SPILLING = [
    "SELECT count(*) FROM range(1000000000) a, range(1000000000) b",  # wrote 2 GB of spill files in 5 s
    "SELECT count(*) FROM (SELECT range, random() AS r FROM range(200000000) ORDER BY r)",  # a sort past memory
]


def files_under(path: Path) -> list[Path]:
    return list(path.rglob("*"))


def test_a_spilling_query_gets_a_clear_verdict_and_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # DuckDB's default spill directory is `.tmp` under the working directory
    with Checker(workers=1, limits=Limits(timeout=30)) as checker:
        assert checker.check_sync(TASK, QUICK).correct
        home = Path(checker._slots[0].home)
        datasets = files_under(home)  # the loaded question's read-only databases, one a dataset
        assert len(datasets) == len(TASK.datasets)
        for query in SPILLING:
            result = checker.check_sync(TASK, query)
            assert result.verdict is Verdict.ERROR, (query, result)
            assert "ran out of memory on the sample" in result.message
            assert files_under(home) == datasets and files_under(tmp_path) == []
        assert checker.check_sync(TASK, QUICK).correct
    assert not home.exists()  # the worker's private directory goes with it


def test_a_stopped_worker_is_replaced_within_its_answers_limit(monkeypatch):
    # Neither the start-up allowance nor the grace period may cover a stopped worker:
    # with both at an hour, only noticing the stop can bring the verdict.
    monkeypatch.setattr(pool_module, "_LOAD_ALLOWANCE", 3600.0)
    monkeypatch.setattr(pool_module, "_GRACE", 3600.0)
    with Checker(workers=1, limits=Limits(timeout=5)) as checker:
        assert checker.check_sync(OTHER, "SELECT y FROM u").correct  # the worker is up
        pid = checker._slots[0].process.pid
        os.kill(pid, signal.SIGSTOP)
        try:
            result = checker.submit_check(TASK, QUICK).result(timeout=120)  # a question it has not loaded yet
        finally:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        assert result.verdict is Verdict.CORRECT, result.message
        assert checker.restarts == 1 and checker._slots[0].process.pid != pid


def test_a_worker_killed_from_outside_is_reported_by_its_signal():
    with Checker(workers=1, limits=Limits(timeout=30)) as checker:
        assert checker.check_sync(TASK, QUICK).correct
        for sig in (signal.SIGKILL, signal.SIGTERM):
            slow = threading.Event()
            pending = checker.submit_check(TASK, CPU_BOMB, on_slow=slow.set)
            assert slow.wait(60)
            time.sleep(0.3)  # the bomb now runs with its full limit
            os.kill(checker._slots[0].process.pid, sig)
            result = pending.result(timeout=60)
            assert result.verdict is Verdict.ERROR
            assert sig.name in result.message and "memory" not in result.message, result.message
        assert checker.check_sync(TASK, QUICK).correct


def test_a_members_query_sees_none_of_the_bots_paths():
    hidden = {os.getcwd(), str(Path.home()), str(Path(bot.__file__).resolve().parents[1])}
    probes = [
        "SELECT name, value FROM duckdb_settings()",
        "SELECT database_name, path FROM duckdb_databases()",
        "SELECT path, size FROM duckdb_temporary_files()",
        "SELECT current_setting('home_directory'), current_setting('temp_directory'), current_setting('secret_directory')",
    ]
    with Checker(workers=1) as checker:
        for probe in probes:
            result = checker.submit_run(TASK, probe, max_rows=1000).result(timeout=60)
            text = repr((result.rows, result.error))
            leaks = [path for path in hidden if path in text]
            assert not leaks, (probe, leaks)
        settings = checker.submit_run(TASK, probes[0], max_rows=1000).result(timeout=60)
        assert settings.rows and not settings.error  # the probe did run


def test_workers_yield_the_cpu_to_the_bots_process():
    # A bomb on every core must not keep the bot's event loop from its next tick.
    with Checker(workers=1) as checker:
        assert checker.check_sync(TASK, QUICK).correct
        worker = checker._slots[0].process.pid
        assert os.getpriority(os.PRIO_PROCESS, worker) == os.getpriority(os.PRIO_PROCESS, 0) + pool_module.WORKER_NICENESS
        assert pool_module.WORKER_NICENESS > 0
