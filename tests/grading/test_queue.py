"""The fair queue's policy, without processes: which job a free worker takes next."""

from collections import deque

from bot.grading import Limits
from bot.grading.lanes import ANSWER, PLAYGROUND, FairQueue, Job


def job(label, member=None, lane=ANSWER, slow=False):
    j = Job((label,), lane, member)
    j.slow = slow
    return j


def taken(queue, n):
    """Labels of the next `n` jobs taken (None once nothing may run), each finished at once."""
    out = []
    for _ in range(n):
        j = queue._pick()
        out.append(j and j.request[0])
        if j is not None:
            queue.done(j.slow)
    return out


def test_members_take_turns_in_a_lane():
    queue = FairQueue(workers=2, limits=Limits())
    for i in range(3):
        queue.put(job(f"a{i}", "a"))
    queue.put(job("b0", "b"))
    queue.put(job("c0", "c"))
    assert taken(queue, 6) == ["a0", "b0", "c0", "a1", "a2", None]


def test_graded_answers_before_playground_runs_before_slow_ones():
    queue = FairQueue(workers=2, limits=Limits())
    queue.put(job("slow", "a", slow=True))
    queue.put(job("run", "a", lane=PLAYGROUND))
    queue.put(job("answer", "a"))
    assert taken(queue, 4) == ["answer", "run", "slow", None]


def test_the_slow_lane_never_takes_every_worker():
    queue = FairQueue(workers=3, limits=Limits())
    for i in range(4):
        queue.put(job(f"slow{i}", f"m{i}", slow=True))
    first, second = queue._pick(), queue._pick()
    assert {first.request[0], second.request[0]} == {"slow0", "slow1"}
    assert queue._pick() is None  # two of three workers hold slow jobs: the third stays free
    queue.put(job("quick", "z"))
    assert queue._pick().request[0] == "quick"
    queue.done(True)
    assert queue._pick().request[0] == "slow2"


def test_one_worker_still_runs_slow_jobs():
    queue = FairQueue(workers=1, limits=Limits())
    queue.put(job("slow", slow=True))
    assert taken(queue, 1) == ["slow"]


def test_a_slow_job_waiting_past_its_patience_goes_before_quick_ones():
    queue = FairQueue(workers=2, limits=Limits(slow_patience=0))
    queue.put(job("quick", "a"))
    queue.put(job("slow", "b", slow=True))
    assert taken(queue, 2) == ["slow", "quick"]


def test_a_workers_private_jobs_come_first():
    queue = FairQueue(workers=2, limits=Limits())
    queue.put(job("shared"))
    private = deque([job("load")])
    assert queue.take(private).request[0] == "load"
    assert queue.take(private).request[0] == "shared"
