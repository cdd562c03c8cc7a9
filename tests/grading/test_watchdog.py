"""The in-worker time limit: one watchdog thread per worker interrupts a query at its deadline."""

import threading
import time

import duckdb
import pytest

from bot.grading import Checker, Dataset, Limits, SqlTask, Verdict
from bot.grading.sandbox import Sandbox

TASK = SqlTask(
    schema="CREATE TABLE t (x INTEGER);",
    datasets=[Dataset("sample", "INSERT INTO t VALUES (1), (2), (3);", visible=True), Dataset("more", "INSERT INTO t VALUES (4);")],
    solution="SELECT sum(x) FROM t",
)
BOMB = "SELECT count(*) FROM range(1000000) a, range(1000000000) b"


@pytest.fixture
def sandbox():
    box = Sandbox(Limits())
    loaded = box.load(TASK)
    yield box, loaded.connections[0]
    for con in loaded.connections:
        con.close()


def run_bomb(box, con, deadline):
    """The exception the bomb ended with; fails (after interrupting it) if it was never stopped."""
    outcome = []

    def target():
        try:
            box._run(con, BOMB, deadline)
            outcome.append(None)
        except BaseException as error:  # noqa: BLE001 - examined below
            outcome.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(60)
    if thread.is_alive():
        con.interrupt()
        thread.join(10)
        pytest.fail("the watchdog never interrupted the query")
    return outcome[0]


def test_an_earlier_deadline_wakes_the_watchdog(sandbox):
    box, con = sandbox
    before = box._run(con, "SELECT sum(x) FROM t", time.monotonic() + 3600)  # it now sleeps for an hour
    assert isinstance(run_bomb(box, con, time.monotonic() + 0.3), duckdb.InterruptException)
    assert box._run(con, "SELECT sum(x) FROM t", time.monotonic() + 3600) == before  # and the connection works


def test_a_deadline_already_past_still_interrupts(sandbox):
    # The interrupt may land before DuckDB starts the query, which forgets it: the watchdog repeats it.
    box, con = sandbox
    for _ in range(5):
        assert isinstance(run_bomb(box, con, time.monotonic() - 1), duckdb.InterruptException)
    assert box._run(con, "SELECT sum(x) FROM t", time.monotonic() + 60).rows == ((6,),)


def test_no_progress_bar_is_drawn_on_the_bots_output(sandbox):
    box, con = sandbox
    assert con.execute("SELECT current_setting('enable_progress_bar')").fetchone() == (False,)


def test_the_worker_stops_a_bomb_itself_without_being_replaced():
    with Checker(workers=1, limits=Limits(timeout=1)) as checker:
        result = checker.check_sync(TASK, BOMB)
        assert result.verdict is Verdict.TIMEOUT
        assert "on the sample" in result.message  # the worker's own message, not the parent's kill
        assert checker.restarts == 0
        assert checker.check_sync(TASK, "SELECT sum(x) FROM t").verdict is Verdict.CORRECT
