"""The checker: a pool of sandbox worker processes behind a sync and an async API.

Every worker slot is a thread in this process that owns one worker process and feeds
it jobs from a shared queue, so a pathological answer holds one slot for at most its
time limit while the other slots keep grading. The async methods only wait on a
future: the event loop never blocks.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field

from .dialects import extract_sql, normalize_dialect
from .sandbox import Limits, serve
from .task import CheckResult, RunResult, SqlTask, Verdict

_LOAD_ALLOWANCE = 30.0  # seconds a worker may take to load a question the first time
_GRACE = 2.0  # seconds past the in-worker interrupt before the process is killed


class TaskError(Exception):
    """The question cannot be graded: its schema, data or solution is broken."""


def _worker_main(connection, limits: Limits) -> None:  # runs in the child process
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    serve(connection, limits)


@dataclass
class _Job:
    request: tuple
    future: Future = field(default_factory=Future)


class _Slot(threading.Thread):
    """One worker process and the thread that talks to it."""

    def __init__(self, checker: Checker, index: int):
        super().__init__(name=f"sql-checker-{index}", daemon=True)
        self.checker = checker
        self.private: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self.process = None
        self.pipe = None
        self.loaded: list[str] = []  # task keys the worker holds, oldest first
        self.restarts = 0

    def spawn(self) -> None:
        parent, child = self.checker._context.Pipe()
        process = self.checker._context.Process(
            target=_worker_main, args=(child, self.checker.limits), daemon=True
        )
        process.start()
        child.close()
        self.process, self.pipe, self.loaded = process, parent, []

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.join(5)
            self.pipe.close()
            self.process = None
            self.restarts += 1

    def run(self) -> None:
        self.spawn()
        while True:
            try:
                job = self.private.get_nowait()
            except queue.Empty:
                try:
                    job = self.checker._jobs.get(timeout=0.2)
                except queue.Empty:
                    if self.checker._closed:
                        break
                    continue
            if job is None:
                break
            if job.future.set_running_or_notify_cancel():
                job.future.set_result(self._serve(job.request))
        self.kill()

    def _serve(self, request: tuple):
        if self.process is None or not self.process.is_alive():
            self.kill()
            self.spawn()
        task: SqlTask = request[1]
        deadline = self.checker.limits.timeout + _GRACE
        if task.key not in self.loaded:
            deadline += _LOAD_ALLOWANCE
        try:
            self.pipe.send(request)
            if self.pipe.poll(deadline):
                reply = self.pipe.recv()
                self._remember(task.key)
                return reply
            outcome = ("killed", "timeout")
        except (EOFError, OSError, BrokenPipeError):
            outcome = ("killed", "crash")
        self.kill()
        self.spawn()
        return outcome

    def _remember(self, key: str) -> None:
        if key in self.loaded:
            self.loaded.remove(key)
        self.loaded.append(key)
        del self.loaded[: -self.checker.limits.tasks_cached]


class Checker:
    """Grades SQL answers in a pool of sandboxed worker processes.

    Use it as a context manager (sync or async) or call `close()`. `check` and `run`
    are coroutines safe to call from an event loop; `check_sync` serves scripts.
    """

    def __init__(self, workers: int | None = None, limits: Limits | None = None):
        self.limits = limits or Limits()
        self._context = multiprocessing.get_context("spawn")
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._closed = False
        count = workers or self.default_workers()
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

    def _submit(self, request: tuple) -> Future:
        if self._closed:
            raise RuntimeError("the checker is closed")
        job = _Job(request)
        self._jobs.put(job)
        return job.future

    def submit_check(self, task: SqlTask, answer: str, dialect: str | None = None) -> Future:
        """Queue one answer; the future's result is a CheckResult (or raises TaskError)."""
        sql, fence_dialect = extract_sql(answer, normalize_dialect(dialect))
        started = time.monotonic()
        outer: Future = Future()

        def finish(inner: Future) -> None:
            try:
                outer.set_result(_check_result(inner.result(), self.limits, fence_dialect, started))
            except BaseException as error:  # noqa: BLE001 - handed to the caller
                outer.set_exception(error)

        self._submit(("check", task, sql, fence_dialect)).add_done_callback(finish)
        return outer

    def check_sync(self, task: SqlTask, answer: str, dialect: str | None = None) -> CheckResult:
        return self.submit_check(task, answer, dialect).result()

    async def check(self, task: SqlTask, answer: str, dialect: str | None = None) -> CheckResult:
        return await asyncio.wrap_future(self.submit_check(task, answer, dialect))

    def submit_run(self, task: SqlTask, answer: str, dialect: str | None = None, max_rows: int = 20) -> Future:
        sql, fence_dialect = extract_sql(answer, normalize_dialect(dialect))
        outer: Future = Future()

        def finish(inner: Future) -> None:
            status, payload = inner.result()
            if status == "ok":
                outer.set_result(payload)
            elif status == "task":
                outer.set_exception(TaskError(payload))
            else:
                outer.set_result(RunResult(error=_killed_message(payload, self.limits)))

        self._submit(("run", task, sql, fence_dialect, max_rows)).add_done_callback(finish)
        return outer

    async def run(self, task: SqlTask, answer: str, dialect: str | None = None, max_rows: int = 20) -> RunResult:
        """Run a query on the task's visible sample (never graded)."""
        return await asyncio.wrap_future(self.submit_run(task, answer, dialect, max_rows))

    def warm(self, task: SqlTask) -> None:
        """Load a task in every worker ahead of the first answer (fire and forget)."""
        for slot in self._slots:
            slot.private.put(_Job(("load", task)))

    # ---- closing ----------------------------------------------------------------------

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for _ in self._slots:
            self._jobs.put(None)
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


def _check_result(reply: tuple, limits: Limits, dialect: str, started: float) -> CheckResult:
    status, payload = reply
    if status == "ok":
        return payload
    if status == "task":
        raise TaskError(payload)
    elapsed = int((time.monotonic() - started) * 1000)
    verdict = Verdict.TIMEOUT if payload == "timeout" else Verdict.ERROR
    return CheckResult(verdict, _killed_message(payload, limits), (), elapsed, dialect)


def _killed_message(why: str, limits: Limits) -> str:
    if why == "timeout":
        return (
            f"Timed out: the query was still running after {limits.timeout:g} s and was "
            "stopped. Look for a join without a condition or a runaway recursive CTE."
        )
    return (
        "The query crashed the checker's sandbox (most often by using too much memory) "
        "and was stopped. Build smaller intermediate results."
    )
