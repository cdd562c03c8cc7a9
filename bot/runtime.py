"""What every chat platform's bot process shares: the database, the bank, the checker,
the study core, and the schedule that posts for the platform.

An adapter (`bot.chat.discord`, `bot.chat.slack`) opens a `BotRuntime`, hands the
`study` core to its listeners, and runs `schedule(platform)` beside its client: the
scheduler then posts through the adapter's `send`. Several processes may share one
PostgreSQL database; one per platform holds the scheduler lock at a time, or one per
workspace when each process serves a single workspace (`workspace`, a self-hosted
Slack app): it then only does that workspace's due work.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import logging

from bot.bank import load_bank
from bot.grading import Checker
from bot.schedule import Deliverer, Leadership, Platform, StudyScheduler
from bot.schedule.leader import lock_key
from bot.settings import Settings
from bot.store import Database
from bot.study import Study
from bot.study.core import BANK_RECHECK
from bot.study.group_settings import UTC

log = logging.getLogger(__name__)


def settle_memory() -> None:
    """What is loaded at start (modules, the bank, the libraries) lives as long as the
    process: keep it out of the garbage collector's full passes, which stop every thread,
    the event loop's too (about 5 ms a pass instead of 50 on an idle machine)."""
    gc.collect()
    gc.freeze()


class BotRuntime:
    def __init__(self, settings: Settings, platform: str, workspace: str | None = None):
        self.settings = settings
        self.platform = platform
        self.workspace = workspace
        self._stack = contextlib.AsyncExitStack()
        self.db: Database | None = None
        self.study: Study | None = None

    async def __aenter__(self) -> BotRuntime:
        settings = self.settings
        # Fail early and plainly on a broken bank, before connecting anywhere.
        await asyncio.to_thread(load_bank, settings.content_dir)
        self.db = Database(settings.database_url)
        self._stack.callback(self.db.dispose)
        await asyncio.to_thread(self.db.upgrade)  # creates the schema on first start
        checker = await self._stack.enter_async_context(Checker(workers=settings.checker_workers))
        self.study = Study(
            self.db,
            lambda: load_bank(settings.content_dir, max_age=BANK_RECHECK),
            checker,
            clock=lambda: dt.datetime.now(UTC),
            platforms={self.platform},
            workspaces={self.workspace} if self.workspace is not None else None,
        )
        rechecked = await self.study.recheck_pending()  # answers stored before a crash, not yet graded
        if rechecked:
            log.info("graded %d answers left over from the last run", rechecked)
        settle_memory()
        return self

    async def __aexit__(self, *exc) -> None:
        await self._stack.aclose()

    async def schedule(self, platform: Platform, poll: float = 15.0) -> None:
        """Run the alarms for this platform's (or workspace's) groups until cancelled (when this process leads)."""
        scheduler = StudyScheduler(self.study, Deliverer(self.study, platform))

        async def demoted() -> None:
            scheduler.stop()

        try:
            if self.db.is_postgres:
                await Leadership(self.db, lock_key(self.platform, self.workspace or "")).hold(scheduler.start, demoted, poll=poll)
            else:
                await scheduler.start()
                await asyncio.Event().wait()
        finally:
            scheduler.stop()
