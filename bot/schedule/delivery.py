"""Delivering the core's posts to a platform, with retries, backoff and bounded concurrency.

A platform adapter implements `send`; it raises `RetryLater` for what may pass (a rate
limit, the network) and `ChannelGone` for what will not (a deleted channel, lost
permission). The deliverer records what was delivered in the database, pauses a group
whose channel is gone (telling its owners once), and leaves anything it could not
deliver to the next sweep: the database says what is still owed. An edit of a
message's buttons (a round revealed, or closed) is owed the same way, but never pauses
a group: a deleted message is no lost channel (the next post finds out whether it is
one), and an edit of it is recorded as made, since nothing is left to edit.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from bot.study import Outbound, Study

log = logging.getLogger(__name__)
RECORDED = ("question", "reveal", "digest", "edit")  # posts whose delivery is recorded (DMs are not)


@dataclass(frozen=True)
class Delivered:
    message_ref: str | None = None
    thread_ref: str | None = None  # the thread opened on a question post


class RetryLater(Exception):
    """Try again later. `everyone`: the limit is the platform's global one, so every
    sender waits (one 429 should not become a thousand)."""

    def __init__(self, reason: str, retry_after: float | None = None, everyone: bool = False):
        super().__init__(reason)
        self.retry_after = retry_after
        self.everyone = everyone


class ChannelGone(Exception):
    """The channel no longer exists or the bot may not post there."""


class Platform(Protocol):
    name: str
    # Optional `max_rate: float`: posts a second the platform takes from one bot; the
    # deliverer paces itself to it instead of learning the limit from a storm of 429s.

    async def send(self, post: Outbound, thread_ref: str | None) -> Delivered: ...


class Deliverer:
    def __init__(
        self,
        study: Study,
        platform: Platform,
        *,
        attempts: int = 5,
        backoff: float = 1.0,
        concurrency: int = 32,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        self.study = study
        self.platform = platform
        self.attempts = attempts
        self.backoff = backoff
        self._slots = asyncio.Semaphore(concurrency)
        self._sleep = sleep
        rate = getattr(platform, "max_rate", None)
        self._interval = 1.0 / rate if rate else 0.0
        self._next_slot = 0.0  # monotonic time of the next free sending slot
        self.queued = 0  # posts handed to `deliver`, not yet sent or given up
        self._sent_one = asyncio.Event()
        self._confirmed: list[tuple[tuple, asyncio.Future]] = []  # deliveries waiting to be recorded
        self._recorder: asyncio.Task | None = None
        self._last_confirmed: asyncio.Future | None = None

    async def fewer_queued_than(self, limit: int) -> None:
        """Wait until fewer than `limit` posts are queued (what opens posts stays this far ahead)."""
        while self.queued >= limit:
            self._sent_one.clear()
            await self._sent_one.wait()

    async def deliver(self, posts: Iterable[Outbound]) -> list[Outbound]:
        """Send posts; channels run in parallel, one channel's posts in order. Returns the failures."""
        by_channel: dict[str, list[Outbound]] = defaultdict(list)
        for post in posts:
            by_channel[post.user_id if post.kind == "dm" else post.channel_id].append(post)
            self.queued += 1
        results = await asyncio.gather(*(self._channel(queue) for queue in by_channel.values()))
        return [post for failed in results for post in failed]

    async def _channel(self, queue: list[Outbound]) -> list[Outbound]:
        failed = []
        for post in queue:
            delivered = None
            try:
                async with self._slots:
                    delivered = await self._one(post)
                if delivered is not None and post.kind in RECORDED:  # out of the slot: sending goes on while it is written
                    await self._record(post, delivered)
            finally:
                self.queued -= 1
                self._sent_one.set()
            if delivered is None:
                failed.append(post)
        return failed

    async def recorded(self) -> None:
        """Wait until the deliveries confirmed so far are recorded. What opens posts calls it
        between batches: on SQLite the opener would otherwise take the one write lock again
        and again while the record waits (1.5 s at 250 posts a second, posting stalled)."""
        if self._last_confirmed is not None and not self._last_confirmed.done():
            await asyncio.wait([self._last_confirmed])

    async def _wait_for_global_limit(self) -> None:
        """Take the next sending slot: paced to `max_rate`, and after any global 429."""
        now = time.monotonic()
        slot = max(now, self._next_slot)
        self._next_slot = slot + self._interval
        if slot > now:
            await self._sleep(slot - now)

    async def _one(self, post: Outbound) -> Delivered | None:
        """Send one post, retrying what may pass; what the platform answered, or None."""
        thread_ref = await self.study.thread_of(post.round_id) if post.in_thread and post.round_id else None
        for attempt in range(1, self.attempts + 1):
            await self._wait_for_global_limit()
            try:
                delivered = await self.platform.send(post, thread_ref)
            except RetryLater as error:
                if attempt == self.attempts:
                    log.warning("giving up on %s to %s for now: %s", post.kind, post.channel_id, error)
                    return None
                delay = error.retry_after if error.retry_after is not None else self.backoff * 2 ** (attempt - 1)
                if error.everyone:  # nobody sends until the platform's global limit clears
                    self._next_slot = max(self._next_slot, time.monotonic() + delay)
                else:
                    await self._sleep(delay)
                continue
            except ChannelGone as gone:
                if post.kind == "dm":
                    return None  # a member we cannot reach privately; nothing to pause
                if post.kind == "edit":  # the message (or its thread) was deleted: nothing left to edit
                    log.info("gave up editing message %s in %s: %s", post.edit_ref, post.channel_id, gone)
                    await self.study.delivered(post)  # not owed again
                    return None
                notices = await self.study.channel_lost(post.group_id, str(gone))
                await self.deliver(notices)
                return None
            return delivered or Delivered()  # an adapter that returns nothing still sent it
        return None

    async def _record(self, post: Outbound, delivered: Delivered) -> None:
        """Record a delivery before counting it done. The confirmations that arrive while
        one write is under way go into the next one together: one transaction a post
        would cap a busy minute at what the database threads can commit one by one."""
        done = asyncio.get_running_loop().create_future()
        self._confirmed.append(((post, delivered.message_ref, delivered.thread_ref), done))
        self._last_confirmed = done
        if self._recorder is None or self._recorder.done():
            self._recorder = asyncio.create_task(self._write_confirmed())
        await done

    async def _write_confirmed(self) -> None:
        while self._confirmed:
            batch, self._confirmed = self._confirmed, []
            try:
                await self.study.delivered_all([confirmed for confirmed, _ in batch])
            except Exception as error:  # each sender sees it: what was not recorded goes again
                for _, done in batch:
                    if not done.done():
                        done.set_exception(error)
            else:
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)
