"""The checker's fair queue: lanes, speeds and members taking turns.

Slots (threads in pool.py, each owning a worker process) take their next job here.
Quick jobs come before slow ones, graded answers before playground runs, and within a
lane members are served round-robin, so one member's flood delays only that member.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Callable

from .sandbox import Limits

ANSWER, PLAYGROUND = "answer", "playground"  # lanes, in priority order
LANES = (ANSWER, PLAYGROUND)


@dataclass
class Job:
    request: tuple  # (op, task, *args); the slot appends the time budget
    lane: str = ANSWER
    member: object = None
    on_slow: Callable[[], None] | None = None
    finish: Callable[[Job, tuple], object] | None = None  # the worker's reply -> the future's result
    slow: bool = False
    queued: float = field(default_factory=time.monotonic)
    future: Future = field(default_factory=Future)

    def settle(self, reply: tuple) -> None:
        """The future's outcome: `finish(self, reply)`, or what it raised (one future per answer)."""
        try:
            self.future.set_result(reply if self.finish is None else self.finish(self, reply))
        except BaseException as error:  # noqa: BLE001 - handed to whoever waits on the future
            self.future.set_exception(error)


class FairQueue:
    """Waiting jobs by lane, speed and member; the slots take the next fair one.

    Quick jobs of the answer lane first, then the playground's; slow jobs only while no
    quick job waits (or once one has waited `slow_patience`, so a stream of quick
    answers cannot starve it), and never on every worker at once (one worker alone
    runs both). Each (lane, speed) keeps an ordered map member → jobs: the member
    served goes to the back.
    """

    def __init__(self, workers: int, limits: Limits):
        self._ready = threading.Condition()
        self._waiting = {(lane, slow): OrderedDict() for slow in (False, True) for lane in LANES}
        self._slow_cap = max(1, workers - 1)
        self._slow_running = 0
        self._patience = limits.slow_patience
        self.closed = False

    def put(self, job: Job) -> None:
        with self._ready:
            job.queued = time.monotonic()
            self._waiting[job.lane, job.slow].setdefault(job.member, deque()).append(job)
            self._ready.notify()

    def take(self, private: deque) -> Job | None:
        """The next job for a slot (its private jobs first); None once closed and empty."""
        with self._ready:
            while True:
                if private:
                    return private.popleft()
                job = self._pick()
                if job is not None:
                    return job
                if self.closed:
                    return None
                self._ready.wait()

    def done(self, slow: bool) -> None:
        if slow:
            with self._ready:
                self._slow_running -= 1
                self._ready.notify()

    def wake_all(self) -> None:
        with self._ready:
            self._ready.notify_all()

    def _pick(self) -> Job | None:
        slow_may_run = self._slow_running < self._slow_cap
        if slow_may_run:
            overdue = time.monotonic() - self._patience
            for lane in LANES:
                waiting = self._waiting[lane, True]
                if any(jobs[0].queued <= overdue for jobs in waiting.values()):
                    return self._pop(waiting, slow=True)
        for lane in LANES:
            if self._waiting[lane, False]:
                return self._pop(self._waiting[lane, False], slow=False)
        if slow_may_run:
            for lane in LANES:
                if self._waiting[lane, True]:
                    return self._pop(self._waiting[lane, True], slow=True)
        return None

    def _pop(self, waiting: OrderedDict, slow: bool) -> Job:
        member, jobs = next(iter(waiting.items()))
        job = jobs.popleft()
        if jobs:
            waiting.move_to_end(member)
        else:
            del waiting[member]
        self._slow_running += slow
        return job
