"""Which process runs the scheduler: the one holding a PostgreSQL advisory lock.

The lock lives as long as its connection, so a process that dies releases it at
once and another one, polling, takes over. SQLite has one process: it always leads.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import zlib

from sqlalchemy import text

from bot.store import Database

log = logging.getLogger(__name__)

LOCK_KEY = 0x5757_0001  # an arbitrary 64-bit key naming "the studybot scheduler"


def lock_key(platform: str, workspace: str = "") -> int:
    """One scheduler per platform, or per workspace for a bot that serves one (a
    self-hosted Slack app): bots on one database each lead their own groups."""
    if not workspace:
        return LOCK_KEY + zlib.crc32(platform.encode()) % 0xFFFF * 0x1_0000_0000
    # 64 bits from a hash: workspaces are many, and two sharing a key would share one leader.
    digest = hashlib.blake2b(f"{platform}:{workspace}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class Leadership:
    def __init__(self, db: Database, key: int = LOCK_KEY):
        self.db = db
        self.key = key
        self._connection = None

    @property
    def is_leader(self) -> bool:
        return self._connection is not None or not self.db.is_postgres

    def try_acquire(self) -> bool:
        """Blocking: take the lock if it is free (run it in a thread)."""
        if not self.db.is_postgres or self._connection is not None:
            return True
        connection = self.db.engine.connect()
        try:
            got = connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar()
            connection.commit()
        except Exception:
            connection.close()
            raise
        if got:
            self._connection = connection
            return True
        connection.close()
        return False

    def still_held(self) -> bool:
        """Blocking: is the lock's connection alive?"""
        if not self.db.is_postgres:
            return True
        if self._connection is None:
            return False
        try:
            self._connection.execute(text("SELECT 1"))
            self._connection.commit()
            return True
        except Exception:
            self.release()
            return False

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # the connection is already gone; so is the lock
                pass
            self._connection = None

    async def hold(self, on_elected, on_demoted, poll: float = 15.0) -> None:
        """Run forever: wait to be elected, lead while the lock holds, step down if it goes."""
        while True:
            try:
                elected = await asyncio.to_thread(self.try_acquire)
            except Exception as error:  # the database is down: try again later
                log.warning("cannot reach the database for the scheduler lock: %s", error)
                elected = False
            if elected:
                log.info("this process runs the scheduler")
                await on_elected()
                while await asyncio.to_thread(self.still_held):
                    await asyncio.sleep(poll)
                log.warning("lost the scheduler lock; another process will take over")
                await on_demoted()
            await asyncio.sleep(poll)
