"""Fair scheduling: quick answers never wait behind slow ones, members take turns, the
playground comes after graded answers. Every check is by order of completion, never by a clock."""

import asyncio
import threading
import time

import duckdb
import pytest

from bot.grading import Checker, Dataset, Limits, SqlTask, Verdict
from bot.grading.pool import PLAYGROUND
from bot.grading.sandbox import Overran, Sandbox

TASK = SqlTask(
    schema="CREATE TABLE t (x INTEGER);",
    datasets=[Dataset("sample", "INSERT INTO t VALUES (1), (2), (3);", visible=True), Dataset("more", "INSERT INTO t VALUES (4);")],
    solution="SELECT sum(x) FROM t",
)
QUICK = "SELECT sum(x) FROM t"
BOMB = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"  # CPU only, to the limit


class Order:
    """The order in which submissions finished."""

    def __init__(self):
        self.done: list[str] = []
        self._lock = threading.Lock()

    def track(self, label, future):
        future.add_done_callback(lambda _: self._add(label))
        return future

    def _add(self, label):
        with self._lock:
            self.done.append(label)


def test_a_slow_answer_from_one_member_does_not_delay_a_quick_one_from_another():
    order = Order()
    with Checker(workers=2, limits=Limits(timeout=2)) as checker:
        checker.check_sync(TASK, QUICK)  # loaded in a worker
        bombs = [order.track(f"bomb-{i}", checker.submit_check(TASK, BOMB, member="mallory")) for i in range(2)]
        quick = [order.track(f"quick-{i}", checker.submit_check(TASK, QUICK, member="alice")) for i in range(6)]
        assert all(f.result(timeout=60).verdict is Verdict.CORRECT for f in quick)
        assert all(f.result(timeout=60).verdict is Verdict.TIMEOUT for f in bombs)
    # Every quick answer before either bomb (two workers may finish quick ones in either order).
    assert sorted(order.done[:6]) == [f"quick-{i}" for i in range(6)], order.done


def test_the_slow_lane_never_holds_every_worker():
    # Three bombs already in the slow lane, two workers: a quick answer still finds one free.
    order = Order()
    with Checker(workers=2, limits=Limits(timeout=3)) as checker:
        checker.check_sync(TASK, QUICK)
        slow = threading.Semaphore(0)
        bombs = [order.track(f"bomb-{i}", checker.submit_check(TASK, BOMB, member=f"m{i}", on_slow=slow.release))
                 for i in range(3)]
        for _ in bombs:
            assert slow.acquire(timeout=60), "a bomb was never moved to the slow lane"
        quick = order.track("quick", checker.submit_check(TASK, QUICK, member="alice"))
        assert quick.result(timeout=60).verdict is Verdict.CORRECT
        results = [f.result(timeout=60) for f in bombs]
    assert all(r.verdict is Verdict.TIMEOUT and r.slow for r in results)
    assert order.done[0] == "quick", order.done
    assert not quick.result().slow


def test_one_members_flood_delays_only_that_member():
    order = Order()
    with Checker(workers=1) as checker:
        checker.check_sync(TASK, QUICK)
        flood = [order.track(f"flood-{i}", checker.submit_check(TASK, QUICK, member="flooder")) for i in range(20)]
        finished_before = len(order.done)
        other = order.track("other", checker.submit_check(TASK, QUICK, member="bob"))
        assert other.result(timeout=60).correct and all(f.result(timeout=60).correct for f in flood)
    # Members take turns: at most the flood's answer already running, and the one after it, go first.
    assert order.done.index("other") <= finished_before + 2, order.done


def test_playground_runs_come_after_graded_answers():
    order = Order()
    with Checker(workers=1) as checker:
        checker.check_sync(TASK, QUICK)
        runs = [order.track(f"run-{i}", checker.submit_run(TASK, QUICK, member="alice", lane=PLAYGROUND)) for i in range(20)]
        finished_before = len(order.done)
        graded = order.track("graded", checker.submit_check(TASK, QUICK, member="alice"))
        assert graded.result(timeout=60).correct and all(f.result(timeout=60).rows == ((6,),) for f in runs)
    assert order.done.index("graded") <= finished_before + 1, order.done  # only a run already taken goes first


async def test_the_caller_hears_on_its_loop_that_an_answer_went_to_the_slow_lane():
    loop = asyncio.get_running_loop()
    heard: list[bool] = []
    async with Checker(workers=2, limits=Limits(timeout=1)) as checker:
        result = await checker.check(TASK, BOMB, member="m", on_slow=lambda: heard.append(asyncio.get_running_loop() is loop))
        assert result.verdict is Verdict.TIMEOUT and result.slow
        assert "1 s" in result.message  # the documented limit, not the quick budget
        ran = await checker.run(TASK, BOMB, on_slow=lambda: heard.append(True))
        assert ran.error and "Timed out" in ran.error and ran.slow
        quick = await checker.check(TASK, QUICK, on_slow=lambda: heard.append(False))
        assert quick.correct and not quick.slow
    assert heard == [True, True]


# Past the quick budget a trivial question's answer gets (tens of ms), but done long before
# the caller would be told it is taking long.
SLIGHTLY_SLOW = "SELECT count(*) FROM range(10000000) WHERE hash(range) % 7 = 1"


async def test_an_answer_the_slow_lane_finishes_at_once_is_not_said_to_take_long():
    heard: list[str] = []
    async with Checker(workers=1, limits=Limits(timeout=5)) as checker:
        result = await checker.check(TASK, SLIGHTLY_SLOW, member="m", on_slow=lambda: heard.append("check"))
    assert result.slow  # it did go to the slow lane...
    assert heard == []  # ...but its verdict came before any word that it was taking long


def test_an_unknown_lane_is_refused():
    with Checker(workers=1) as checker, pytest.raises(ValueError, match="lane"):
        checker.submit_check(TASK, QUICK, lane="express")


def test_the_quick_budget_counts_work_not_waiting_for_a_core():
    box = Sandbox(Limits())
    loaded = box.load(TASK)
    con = loaded.connections[0]
    far = time.monotonic() + 3600
    # Waiting (here: sleeping) uses no CPU time, so the CPU limit does not stop it...
    with box._watchdog.guard(con, far, time.process_time() + 0.05):
        time.sleep(0.3)
        assert con.execute("SELECT 42").fetchone() == (42,)
    # ...while a query that works past it is interrupted long before the wall-clock deadline.
    outcome = []
    thread = threading.Thread(target=lambda: outcome.append(_ending(box, con, far, time.process_time() + 0.1)))
    thread.start()
    thread.join(60)
    if thread.is_alive():
        con.interrupt()
        thread.join(10)
        pytest.fail("the CPU limit never interrupted the query")
    assert isinstance(outcome[0], duckdb.InterruptException)
    for c in loaded.connections:
        c.close()


def _ending(box, con, deadline, cpu_limit):
    try:
        box._run(con, BOMB, deadline, cpu_limit=cpu_limit)
    except BaseException as error:  # noqa: BLE001 - examined by the test
        return error
    return None


# About a quarter of a second of CPU on one DuckDB thread: far from any limit, but many
# times what a question whose model answer is trivial needs.
HEAVY = "SELECT count(*) FROM range(60000000) WHERE hash(range) % 7 = 1"


def test_the_quick_budget_scales_with_what_the_model_answer_costs():
    # A generous quick budget, so only the question's own cost decides.
    box = Sandbox(Limits(timeout=10, quick=2.0))
    light = SqlTask(schema=TASK.schema, datasets=TASK.datasets, solution="SELECT count(*) FROM t")
    heavy = SqlTask(schema=TASK.schema, datasets=TASK.datasets, solution=HEAVY)
    # Many times the cost of a trivial model answer: it yields to quick answers...
    with pytest.raises(Overran):
        box.check(light, HEAVY, "duckdb", budget=2.0)
    # ...while the same work is an ordinary answer where the model answer does as much.
    assert box.check(heavy, HEAVY, "duckdb", budget=2.0).verdict is Verdict.CORRECT
