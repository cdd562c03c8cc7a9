"""The worker's watchdog: one thread that interrupts a query at its deadline or CPU limit."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import duckdb


class Watchdog:
    """Interrupts the guarded query at its deadline: one thread for the worker's life.

    A `threading.Timer` per query started a thread each time, which cost as much as a
    small query. This thread sleeps until the earliest moment it must look and is woken
    only when a query brings an earlier one (answers come with ever later deadlines).
    A guard may also carry a CPU limit (this process's CPU time, `time.process_time`):
    the quick budget counts work done, so a worker the machine leaves waiting for a
    core is not mistaken for a slow answer.
    """

    def __init__(self) -> None:
        self._wake = threading.Condition()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._deadline = 0.0
        self._cpu_limit: float | None = None
        self._sleeping_until: float | None = None  # None: until woken
        threading.Thread(target=self._watch, name="sql-watchdog", daemon=True).start()

    @contextmanager
    def guard(self, con: duckdb.DuckDBPyConnection, deadline: float, cpu_limit: float | None = None):
        """Interrupt `con` if the block is still running at `deadline`, or past `cpu_limit`."""
        with self._wake:
            self._con, self._deadline, self._cpu_limit = con, deadline, cpu_limit
            if self._sleeping_until is None or self._next(time.monotonic()) < self._sleeping_until:
                self._wake.notify()
        try:
            yield
        finally:
            with self._wake:
                self._con = None

    def aim(self, con: duckdb.DuckDBPyConnection) -> None:
        """Point the armed guard at another connection (the next dataset of one answer)."""
        with self._wake:
            self._con = con

    def _next(self, now: float) -> float:
        """When to look next: the deadline, or sooner if the CPU limit may come first."""
        if self._cpu_limit is None:
            return self._deadline
        return min(self._deadline, now + max(0.002, self._cpu_limit - time.process_time()))

    def _watch(self) -> None:
        with self._wake:
            while True:
                now = time.monotonic()
                if self._con is None:
                    self._sleeping_until = None
                    self._wake.wait()
                elif now >= self._deadline or (self._cpu_limit is not None and time.process_time() >= self._cpu_limit):
                    try:
                        self._con.interrupt()
                    except duckdb.Error:
                        pass  # a closed connection runs nothing; the watchdog must live on
                    # Again until disarmed: DuckDB forgets an interrupt that lands just
                    # before its query starts.
                    self._sleeping_until = time.monotonic() + 0.05
                    self._wake.wait(0.05)
                else:
                    self._sleeping_until = self._next(now)
                    self._wake.wait(self._sleeping_until - now)
