"""The worker process: graded answers run here, never in the bot's process.

Each worker keeps a few questions loaded, one DuckDB database per dataset, with the
reference results already computed. Each dataset is written once to a file in the
worker's private directory and opened read-only, so no answer can change what the next
dataset or the next answer sees (no transaction to roll back per query). DuckDB's own
limits (memory, external access off, extensions off, configuration locked) are the
first fence; the process
limits are the second: before each answer the address-space limit is set to what the
process uses plus a budget, and a watchdog thread interrupts a query that runs too
long. If even that fails, the parent kills this process and starts another.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb

from . import messages
from .compare import Table, compare
from .dialects import Refused, SyntaxProblem, clean_message, to_duckdb
from .task import CheckResult, DatasetResult, RunResult, SqlTask, Verdict
from .watchdog import Watchdog


@dataclass(frozen=True)
class Limits:
    timeout: float = 5.0  # seconds of wall clock for one answer, all datasets together
    quick: float = 0.1  # the first run's budget of CPU seconds at most: an answer past it runs again in the slow lane
    slow_patience: float = 30.0  # seconds a slow-lane answer waits for quick ones before it runs anyway
    memory_mb: int = 256  # DuckDB's memory_limit per dataset database
    headroom_mb: int = 1024  # address space an answer may add to what the worker uses
    max_rows: int = 10_000  # result rows fetched from an answer before it counts as "too many"
    tasks_cached: int = 8  # questions kept loaded per worker


# Within `Limits.quick`, an answer's quick budget is this many times what the model answer
# costs on the same datasets (warm), and never below the floor: a slow lane for work out of
# proportion to the question, so one such answer holds a worker no longer than it must.
QUICK_FACTOR = 5
QUICK_FLOOR = 0.02  # CPU seconds


class TaskProblem(Exception):
    """The question itself is broken: its schema, data or solution does not run."""


class Overran(Exception):
    """The answer ran past its quick budget: the pool runs it again in the slow lane."""


@dataclass
class _Loaded:
    connections: list[duckdb.DuckDBPyConnection]
    expected: list[Table]
    tables: dict[str, dict[str, str]]  # for dialect translation
    solution_cpu: float  # CPU seconds the model answer took on every dataset, at load

    def quick_budget(self, cap: float) -> float:
        return min(cap, max(QUICK_FLOOR, QUICK_FACTOR * self.solution_cpu))


def _connect(limits: Limits, home: str, path: str = ":memory:", read_only: bool = False) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(
        path,
        read_only=read_only,
        config={
            "enable_external_access": False,
            "autoload_known_extensions": False,
            "autoinstall_known_extensions": False,
            "allow_community_extensions": False,
            "memory_limit": f"{limits.memory_mb}MB",
            "threads": 1,
            # No spilling to disk: DuckDB's default is a `.tmp` under the working directory
            # holding up to 90 % of the free disk. A query past the memory limit fails instead.
            "temp_directory": "",
            # Settings a member's query can read (`duckdb_settings()`): nothing of the bot's paths.
            "home_directory": home,
            "secret_directory": home,
            "extension_directory": home,
            "allow_persistent_secrets": False,
        },
    )
    con.execute("SET enable_progress_bar = false")  # a slow answer would draw one on the bot's stdout
    return con


class Sandbox:
    """Loads tasks and grades answers; lives inside one worker process."""

    def __init__(self, limits: Limits, home: str | None = None):
        if home is None:  # outside a worker (tests): a private directory of its own
            self._own_home = tempfile.TemporaryDirectory(prefix="studybot-sql-")
            home = self._own_home.name
        self.limits, self.home = limits, home
        self._tasks: OrderedDict[str, _Loaded] = OrderedDict()
        self._watchdog = Watchdog()
        self._statm = os.open("/proc/self/statm", os.O_RDONLY)  # kept open: read before every query

    # ---- loading -------------------------------------------------------------------

    def load(self, task: SqlTask) -> _Loaded:
        loaded = self._tasks.get(task.key)
        if loaded is not None:
            self._tasks.move_to_end(task.key)
            return loaded
        connections, expected, solution_cpu = [], [], 0.0
        for number, dataset in enumerate(_visible_first(task)):
            con = self._open(task, dataset, number)
            try:
                table = self._run(con, task.solution, time.monotonic() + 30)
                began = time.process_time()  # timed warm, as answers run: the first run also reads the file
                self._run(con, task.solution, time.monotonic() + 30)
                solution_cpu += time.process_time() - began
            except duckdb.Error as error:
                raise TaskProblem(
                    f"solution fails on dataset {dataset.name!r}: {clean_message(str(error))}"
                ) from None
            if table.truncated:
                raise TaskProblem(f"solution returns over {self.limits.max_rows} rows on {dataset.name!r}")
            connections.append(con)
            expected.append(table.normal())  # normalized once, not for every answer
        tables: dict[str, dict[str, str]] = {}
        for table_name, column, data_type in connections[0].execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
        ).fetchall():
            tables.setdefault(table_name, {})[column] = data_type
        loaded = _Loaded(connections, expected, tables, solution_cpu)
        self._tasks[task.key] = loaded
        while len(self._tasks) > self.limits.tasks_cached:
            key, old = self._tasks.popitem(last=False)
            for number, con in enumerate(old.connections):
                con.close()
                os.remove(self._path(key, number))
        return loaded

    def _path(self, key: str, number: int) -> str:
        return os.path.join(self.home, f"{key}-{number}.duckdb")

    def _open(self, task: SqlTask, dataset, number: int) -> duckdb.DuckDBPyConnection:
        """The dataset written to a file (once) and opened read-only, configuration locked."""
        path = self._path(task.key, number)
        if os.path.exists(path):
            os.remove(path)  # a question loaded again after leaving the cache
        with _connect(self.limits, self.home, path) as writer:
            # Uncompressed: scans cost what they cost in memory (the blocks stay cached).
            writer.execute("SET force_compression = 'uncompressed'")
            try:
                writer.execute(task.schema)
            except duckdb.Error as error:
                raise TaskProblem(f"schema does not load: {clean_message(str(error))}") from None
            try:
                if dataset.sql.strip():
                    writer.execute(dataset.sql)
            except duckdb.Error as error:
                raise TaskProblem(
                    f"dataset {dataset.name!r} does not load: {clean_message(str(error))}"
                ) from None
        con = _connect(self.limits, self.home, path, read_only=True)
        con.execute("SET lock_configuration = true")
        return con

    # ---- running -------------------------------------------------------------------

    def _run(
        self, con: duckdb.DuckDBPyConnection, query: str | duckdb.Statement, deadline: float,
        max_rows: int | None = None, cpu_limit: float | None = None,
    ) -> Table:
        """Run one query under the time and address-space limits (on read-only data)."""
        with self._fence(con, deadline, cpu_limit):
            return self._query(con, query, max_rows)

    @contextmanager
    def _fence(self, con: duckdb.DuckDBPyConnection, deadline: float, cpu_limit: float | None):
        """The process fences, once for all the datasets of an answer: the address-space
        limit (what the process uses now plus the headroom) and the watchdog."""
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        budget = self._address_space() + self.limits.headroom_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (budget if hard < 0 else min(budget, hard), hard))
        try:
            with self._watchdog.guard(con, deadline, cpu_limit):
                yield
        finally:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))

    def _query(self, con: duckdb.DuckDBPyConnection, query: str | duckdb.Statement, max_rows: int | None = None) -> Table:
        """One query (inside `_fence`), admitted first; the data is read-only, so nothing is rolled back."""
        max_rows = self.limits.max_rows if max_rows is None else max_rows
        con.execute(_admit(con, query))
        columns = tuple(d[0] for d in con.description or ())
        rows = con.fetchmany(max_rows + 1)
        truncated = len(rows) > max_rows
        return Table(columns, tuple(map(tuple, rows[:max_rows])), truncated)

    def _address_space(self) -> int:
        """Bytes of address space this process uses now (the first field of statm)."""
        return int(os.pread(self._statm, 128, 0).split()[0]) * resource.getpagesize()

    def check(self, task: SqlTask, sql: str, dialect: str, budget: float | None = None) -> CheckResult:
        """Grade an answer; with a `budget` below the limit, raise Overran once the answer
        has used that much CPU time (the wall-clock limit stays the full one)."""
        budget = self.limits.timeout if budget is None else budget
        started = time.monotonic()
        loaded = self.load(task)
        try:
            statement = to_duckdb(sql, dialect, loaded.tables, parser=loaded.connections[0])
        except Refused as refusal:
            return CheckResult(Verdict.REFUSED, str(refusal), dialect=dialect)
        except SyntaxProblem as problem:
            return CheckResult(Verdict.ERROR, str(problem), dialect=dialect)

        datasets = list(_visible_first(task))
        deadline = time.monotonic() + self.limits.timeout
        cpu_limit = time.process_time() + loaded.quick_budget(budget) if budget < self.limits.timeout else None
        passed: list[bool] = []
        first_failure: str | None = None
        verdict = Verdict.CORRECT
        with self._fence(loaded.connections[0], deadline, cpu_limit):
            for dataset, con, expected in zip(datasets, loaded.connections, loaded.expected):
                label = "the sample" if dataset.visible else f"hidden dataset `{dataset.name}`"
                self._watchdog.aim(con)
                try:
                    actual = self._query(con, statement, len(expected.rows) + 1)
                except duckdb.InterruptException:
                    if cpu_limit is not None and time.monotonic() < deadline:
                        raise Overran from None
                    verdict = Verdict.TIMEOUT
                    first_failure = (
                        f"Timed out after {self.limits.timeout:g} s on {label}. Look for a join "
                        "without a condition, or a recursive CTE that never stops."
                    )
                    break
                except duckdb.OutOfMemoryException:
                    verdict = Verdict.ERROR
                    first_failure = (
                        f"The query ran out of memory on {label}. Build smaller intermediate "
                        "results: join on keys, aggregate before joining."
                    )
                    break
                except (duckdb.Error, MemoryError) as error:
                    verdict = Verdict.ERROR
                    first_failure = f"The query failed on {label}: " + (
                        messages.duckdb_error(str(error), sql, dialect) if dataset.visible else _error_class(error)
                    )
                    break
                difference = compare(
                    expected,
                    actual,
                    order_matters=task.order_matters,
                    tolerance=task.tolerance,
                    show_rows=dataset.visible,
                    explain=first_failure is None,  # only the first failure is told
                )
                passed.append(difference is None)
                if difference is not None and first_failure is None:
                    verdict = Verdict.INCORRECT
                    first_failure = f"Not yet: on {label}, {difference.message}."
                    if difference.example:
                        first_failure += f" For example, {difference.example}."
        results = tuple(
            DatasetResult(d.name, i < len(passed) and passed[i]) for i, d in enumerate(datasets)
        )
        if verdict is Verdict.CORRECT:
            message = f"Correct: matches the reference on all {len(datasets)} datasets."
        else:
            message = first_failure or "Not yet."
            if verdict is Verdict.INCORRECT:
                message += f" Passed {sum(passed)} of {len(datasets)} datasets."
        elapsed = int((time.monotonic() - started) * 1000)
        return CheckResult(verdict, message, results, elapsed, dialect)

    def run(self, task: SqlTask, sql: str, dialect: str, max_rows: int, budget: float | None = None) -> RunResult:
        """Run a query on the visible sample and return its rows (a playground)."""
        budget = self.limits.timeout if budget is None else budget
        started = time.monotonic()
        loaded = self.load(task)
        deadline = time.monotonic() + self.limits.timeout
        cpu_limit = time.process_time() + budget if budget < self.limits.timeout else None
        try:
            statement = to_duckdb(sql, dialect, loaded.tables, parser=loaded.connections[0])
            table = self._run(loaded.connections[0], statement, deadline, max_rows, cpu_limit)
        except (Refused, SyntaxProblem) as problem:
            return RunResult(error=str(problem))
        except duckdb.InterruptException:
            if cpu_limit is not None and time.monotonic() < deadline:
                raise Overran from None
            return RunResult(error=f"Timed out after {self.limits.timeout:g} s.")
        except duckdb.OutOfMemoryException:
            return RunResult(error="The query ran out of memory.")
        except (duckdb.Error, MemoryError) as error:
            return RunResult(error=messages.duckdb_error(str(error), sql, dialect))
        elapsed = int((time.monotonic() - started) * 1000)
        return RunResult(table.columns, table.rows, table.truncated, None, elapsed)


def _admit(con: duckdb.DuckDBPyConnection, query: str | duckdb.Statement) -> duckdb.Statement:
    """The one SELECT that `query` is, as DuckDB's parser reads it, or InvalidInputException.

    Read-only data still takes temporary tables, views, macros and variables, which would
    outlive the answer on its connection: whatever the caller checked, nothing runs in the
    sandbox that DuckDB's parser does not read as a single SELECT. A statement parsed
    already (`to_duckdb`) is not parsed again: it runs, as it was checked, on every
    dataset's connection."""
    statements = [query] if isinstance(query, duckdb.Statement) else con.extract_statements(query)
    if len(statements) != 1 or statements[0].type is not duckdb.StatementType.SELECT:
        raise duckdb.InvalidInputException("only a single SELECT statement runs in the sandbox")
    return statements[0]


def _visible_first(task: SqlTask):
    return sorted(task.datasets, key=lambda d: not d.visible)


def _error_class(error: BaseException) -> str:
    """The kind of a failure on hidden data, without the data in its message."""
    first = str(error).split(":", 1)[0].strip()
    return f"{first or type(error).__name__} (details hidden: this dataset is secret)."


def serve(connection, limits: Limits, home: str | None = None) -> None:
    """The worker's loop: one request in, one reply out, until the pipe closes.

    A request that loads its question first says ("loaded", None), so the parent's
    deadline for the answer starts after the load, not before it."""
    sandbox = Sandbox(limits, home)
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        op, task, *args = request
        try:
            if task.key not in sandbox._tasks:
                sandbox.load(task)
                if op != "load":
                    connection.send(("loaded", None))
            if op == "check":
                reply = ("ok", sandbox.check(task, *args))
            elif op == "run":
                reply = ("ok", sandbox.run(task, *args))
            elif op == "load":
                reply = ("ok", None)
            else:
                reply = ("task", f"unknown request {op!r}")
        except TaskProblem as problem:
            reply = ("task", str(problem))
        except Overran:
            reply = ("slow", None)
        connection.send(reply)
