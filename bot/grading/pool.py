"""The checker: a pool of sandbox worker processes behind a sync and an async API.

Every worker slot is a thread in this process that owns one worker process and takes
jobs from a shared, fair queue (`FairQueue`). Every answer first runs with a short
budget of CPU time (`Limits.quick`); one that overruns it is moved to the slow lane and run again
with the full limit. The slow lane never holds every worker and waits while quick
work is queued, so a quick answer never waits behind a slow one. Within a lane,
members take turns (round-robin on the key passed with each check), so one member's
flood delays only that member; graded answers come before playground runs. The async
methods only wait on a future: the event loop never blocks.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import pickle
import select
import shutil
import signal
import tempfile
import threading
import time
from collections import deque
from concurrent.futures import Future
from dataclasses import replace
from typing import Callable

from .dialects import extract_sql, normalize_dialect
from .lanes import ANSWER, LANES, PLAYGROUND, FairQueue, Job  # noqa: F401  (ANSWER, PLAYGROUND: imported from here too)
from .sandbox import Limits, serve
from .task import CheckResult, RunResult, SqlTask, Verdict

_LOAD_ALLOWANCE = 30.0  # seconds a worker may take to load a question, before the answer's own limit starts
_GRACE = 2.0  # seconds past the in-worker interrupt before the process is killed
_LIVENESS = 0.25  # how often a waiting slot looks whether its worker was stopped (SIGSTOP)
SLOW_NOTICE_AFTER = 0.5  # seconds in the slow lane before an awaiting caller's `on_slow` is told
# Workers are batch work, the bot's event loop is interactive: on a busy machine a loop
# woken by a timer or a verdict gets a core before the DuckDB work (CPU weight 110 vs 1024).
WORKER_NICENESS = 10


class TaskError(Exception):
    """The question cannot be graded: its schema, data or solution is broken."""


def _worker_main(connection, limits: Limits, home: str) -> None:  # runs in the child process
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.nice(WORKER_NICENESS)
    os.chdir(home)  # DuckDB shows its working directory in its settings: a private empty one
    serve(connection, limits, home)



class _Slot(threading.Thread):
    """One worker process and the thread that talks to it."""

    def __init__(self, checker: Checker, index: int):
        super().__init__(name=f"sql-checker-{index}", daemon=True)
        self.checker = checker
        self.private: deque[Job] = deque()  # loads for this worker only (`Checker.warm`)
        self.process = None
        self.pipe = None
        self.poller: select.poll | None = None  # the pipe's, made once per process: a wait costs one system call
        self.home: str | None = None
        self.loaded: list[str] = []  # task keys the worker holds, oldest first
        self.restarts = 0

    def spawn(self) -> None:
        self.home = tempfile.mkdtemp(prefix="studybot-sql-")  # fresh and empty for each process
        parent, child = self.checker._context.Pipe()
        process = self.checker._context.Process(
            target=_worker_main, args=(child, self.checker.limits, self.home), daemon=True
        )
        process.start()
        child.close()
        self.poller = select.poll()
        self.poller.register(parent.fileno(), select.POLLIN)
        self.process, self.pipe, self.loaded = process, parent, []

    def kill(self, restart: bool = True) -> None:
        """Stop the worker process and remove its private directory."""
        if self.process is not None:
            self.process.kill()
            self.process.join(5)
            self.pipe.close()
            self.process = None
            self.restarts += restart
            shutil.rmtree(self.home, ignore_errors=True)

    def run(self) -> None:
        self.spawn()
        queue = self.checker._queue
        while (job := queue.take(self.private)) is not None:
            was_slow = job.slow
            try:
                if job.future.running() or job.future.set_running_or_notify_cancel():  # running: back from the quick pass
                    self._serve(job)
            finally:
                queue.done(was_slow)
        self.kill(restart=False)

    def _serve(self, job: Job) -> None:
        limits = self.checker.limits
        quick = not job.slow and job.request[0] != "load" and limits.quick < limits.timeout
        budget = limits.quick if quick else limits.timeout
        reply = self._exchange(job.request + (budget,), limits.timeout)  # the wall-clock limit is always the full one
        if quick and (reply[0] == "slow" or reply == ("killed", "stopped")):
            # Past its quick budget (or its worker was stopped): again, in the slow lane.
            job.slow = True
            self.checker._queue.put(job)
            if job.on_slow is not None:
                try:
                    job.on_slow()
                except Exception:  # noqa: BLE001 - a notice must not lose the answer
                    pass
            return
        job.settle(reply)

    def _exchange(self, request: tuple, limit: float) -> tuple:
        if self.process is None or not self.process.is_alive():
            self.kill()
            self.spawn()
        key = request[1].key
        # Loading a question gets its own allowance; the answer's limit starts once it is loaded.
        allowance = limit + _GRACE + (0 if key in self.loaded else _LOAD_ALLOWANCE)
        try:
            self.pipe.send_bytes(pickle.dumps(request, pickle.HIGHEST_PROTOCOL))  # as `send`, less wrapping
            deadline = time.monotonic() + allowance
            while True:
                reply = self._wait(deadline)
                if reply is None or reply[0] == "stopped":
                    outcome = ("killed", "timeout" if reply is None else "stopped")
                    break
                if reply[0] != "loaded":
                    self._remember(key)
                    return reply
                deadline = time.monotonic() + limit + _GRACE
        except (EOFError, OSError, BrokenPipeError):
            self.process.join(1)  # it is ending: its exit code says how
            outcome = ("killed", self.process.exitcode)
        self.kill()
        self.spawn()
        return outcome

    def _wait(self, deadline: float) -> tuple | None:
        """The worker's next message; ("stopped",) if it was stopped, None at the deadline."""
        while (left := deadline - time.monotonic()) > 0:
            if self.poller.poll(min(left, _LIVENESS) * 1000):
                return self.pipe.recv()
            if _stopped(self.process.pid):
                return ("stopped",)
        return None

    def _remember(self, key: str) -> None:
        if key in self.loaded:
            self.loaded.remove(key)
        self.loaded.append(key)
        del self.loaded[: -self.checker.limits.tasks_cached]


def _stopped(pid: int) -> bool:
    """Whether the process is stopped (SIGSTOP, a debugger): it answers nothing until resumed."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] in (b"T", b"t")
    except (OSError, IndexError):
        return False


class Checker:
    """Grades SQL answers in a pool of sandboxed worker processes.

    Use it as a context manager (sync or async) or call `close()`. `check` and `run`
    are coroutines safe to call from an event loop; `check_sync` serves scripts.

    Every submission takes, by keyword: `member`, a key (any hashable) naming whose
    answer it is, so members take turns; `lane`, ANSWER (the default) or PLAYGROUND
    (ungraded runs, served after graded answers); `on_slow`, called once if the answer
    overran its quick budget and went to the slow lane (from a checker thread with the
    `submit_*` methods; on the event loop with `check` and `run`, and only once it has
    been there `SLOW_NOTICE_AFTER` seconds without its verdict). The result's `slow`
    says whether it went there.
    """

    def __init__(self, workers: int | None = None, limits: Limits | None = None):
        self.limits = limits or Limits()
        self._context = multiprocessing.get_context("spawn")
        count = workers or self.default_workers()
        self._queue = FairQueue(count, self.limits)
        self._slots = [_Slot(self, i) for i in range(count)]
        for slot in self._slots:
            slot.start()

    @staticmethod
    def default_workers() -> int:
        return max(2, min(8, os.cpu_count() or 2))

    @property
    def workers(self) -> int:
        return len(self._slots)

    @property
    def restarts(self) -> int:
        """Worker processes killed and replaced (timeouts and crashes)."""
        return sum(slot.restarts for slot in self._slots)

    # ---- submitting -------------------------------------------------------------------

    def _submit(self, request: tuple, member, lane: str, on_slow, finish: Callable[[Job, tuple], object]) -> Future:
        if self._queue.closed:
            raise RuntimeError("the checker is closed")
        if lane not in LANES:
            raise ValueError(f"unknown lane {lane!r}: one of {', '.join(LANES)}")
        job = Job(request, lane, member, on_slow, finish)
        self._queue.put(job)
        return job.future

    def submit_check(
        self, task: SqlTask, answer: str, dialect: str | None = None, *, member=None, lane: str = ANSWER,
        on_slow: Callable[[], None] | None = None,
    ) -> Future:
        """Queue one answer; the future's result is a CheckResult (or raises TaskError)."""
        sql, fence_dialect = extract_sql(answer, normalize_dialect(dialect))
        started = time.monotonic()

        def finish(job: Job, reply: tuple) -> CheckResult:
            result = _check_result(reply, self.limits, fence_dialect, started)
            return replace(result, slow=True) if job.slow else result

        return self._submit(("check", task, sql, fence_dialect), member, lane, on_slow, finish)

    def check_sync(self, task: SqlTask, answer: str, dialect: str | None = None, **how) -> CheckResult:
        return self.submit_check(task, answer, dialect, **how).result()

    async def check(self, task: SqlTask, answer: str, dialect: str | None = None, *, on_slow=None, **how) -> CheckResult:
        return await _told_if_slow(lambda moved: self.submit_check(task, answer, dialect, on_slow=moved, **how), on_slow)

    def submit_run(
        self, task: SqlTask, answer: str, dialect: str | None = None, max_rows: int = 20, *, member=None,
        lane: str = PLAYGROUND, on_slow: Callable[[], None] | None = None,
    ) -> Future:
        sql, fence_dialect = extract_sql(answer, normalize_dialect(dialect))

        def finish(job: Job, reply: tuple) -> RunResult:
            status, payload = reply
            if status == "ok":
                return replace(payload, slow=job.slow)
            if status == "task":
                raise TaskError(payload)
            return RunResult(error=_killed_message(payload, self.limits), slow=job.slow)

        return self._submit(("run", task, sql, fence_dialect, max_rows), member, lane, on_slow, finish)

    async def run(self, task: SqlTask, answer: str, dialect: str | None = None, max_rows: int = 20, *, on_slow=None, **how) -> RunResult:
        """Run a query on the task's visible sample (never graded)."""
        return await _told_if_slow(lambda moved: self.submit_run(task, answer, dialect, max_rows, on_slow=moved, **how), on_slow)

    def warm(self, task: SqlTask) -> None:
        """Load a task in every worker ahead of the first answer (fire and forget)."""
        for slot in self._slots:
            slot.private.append(Job(("load", task)))
        self._queue.wake_all()

    # ---- closing ----------------------------------------------------------------------

    def close(self) -> None:
        if self._queue.closed:
            return
        self._queue.closed = True
        self._queue.wake_all()
        for slot in self._slots:
            slot.join(10)

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    async def __aenter__(self) -> Checker:
        return self

    async def __aexit__(self, *exc) -> None:
        await asyncio.to_thread(self.close)


async def _told_if_slow(submit: Callable[[Callable[[], None] | None], Future], on_slow: Callable[[], object] | None):
    """Await `submit(moved)`; `on_slow` runs on this loop once the answer has been in the
    slow lane `SLOW_NOTICE_AFTER` seconds without its verdict (one the slow lane finishes
    at once needs no word)."""
    if on_slow is None:
        return await asyncio.wrap_future(submit(None))
    loop = asyncio.get_running_loop()
    waiting: list[asyncio.TimerHandle] = []

    def moved() -> None:  # called from a checker thread
        loop.call_soon_threadsafe(lambda: waiting.append(loop.call_later(SLOW_NOTICE_AFTER, on_slow)))

    try:
        return await asyncio.wrap_future(submit(moved))
    finally:
        for handle in waiting:
            handle.cancel()


def _check_result(reply: tuple, limits: Limits, dialect: str, started: float) -> CheckResult:
    status, payload = reply
    if status == "ok":
        return payload
    if status == "task":
        raise TaskError(payload)
    elapsed = int((time.monotonic() - started) * 1000)
    verdict = Verdict.TIMEOUT if payload == "timeout" else Verdict.ERROR
    return CheckResult(verdict, _killed_message(payload, limits), (), elapsed, dialect)


def _killed_message(why: str | int | None, limits: Limits) -> str:
    """What is known about a worker that ended or had to be killed: the cause, or the signal."""
    if why == "timeout":
        return (
            f"Timed out: the query was still running after {limits.timeout:g} s and was "
            "stopped. Look for a join without a condition or a runaway recursive CTE."
        )
    if why == "stopped":
        return "The checker's sandbox process was stopped from outside (SIGSTOP) while running the query; it was replaced. Send the answer again."
    if isinstance(why, int) and why < 0:
        try:
            name = signal.Signals(-why).name
        except ValueError:
            name = f"signal {-why}"
        ended = f"was killed by {name}"
        if -why == signal.SIGKILL:
            ended += " (sent from outside the checker)"
    elif isinstance(why, int):
        ended = f"exited with status {why}"
    else:
        ended = "ended"
    return f"The checker's sandbox process {ended} while running the query, so the query was stopped; the sandbox was replaced."
