"""APScheduler as the alarm clock; the database (through `Study.run_due`) as the truth.

Each distinct schedule (timezone, study days, post time) gets a cron job at its post
time (daylight saving is the trigger's business) and one for its weekly digest, each
distinct reveal time of the open rounds a job; the groups sharing a schedule share its
alarms. A sweep every minute catches anything an alarm missed (a restart, a failed
delivery). Every job does the same thing: run what is
due now and deliver it, so an alarm firing twice, late, or in two processes at once
does each thing once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select

from bot.store import DatabaseUnavailable, Group, Round
from bot.study import Study
from bot.study.group_settings import UTC, WEEKDAYS
from bot.study.scoring import REVIEW_WINDOW

from .delivery import Deliverer

log = logging.getLogger(__name__)

# APScheduler 3 drops a job that fires more than misfire_grace_time late (1 s by
# default). A post is still worth making until its reveal, a reveal or digest always:
# run_due decides what is still due, so a late alarm can only help.
POST_GRACE = dt.timedelta(hours=48)
SWEEP_EVERY = dt.timedelta(minutes=1)
RECHECK_AFTER = dt.timedelta(minutes=5)  # an answer without a verdict this long: its check was lost
# Posts opened but not yet sent. The platform's rate sets the pace; what is not yet
# opened waits in the database, not in memory: 10,000 posts and their tasks held at
# once made each full garbage collection stop the event loop for 200-300 ms.
AHEAD = 1000


def post_trigger(group) -> CronTrigger:
    """`group`: anything with a group's timezone, post_time and study_days."""
    hour, minute = map(int, group.post_time.split(":"))
    return CronTrigger(day_of_week=group.study_days, hour=hour, minute=minute, timezone=ZoneInfo(group.timezone))


def digest_trigger(group) -> CronTrigger:
    """When the review window of the week's last study day closes (days later, maybe in
    the next week): the week's scores are complete then. See bot.study.digest."""
    hour, minute = map(int, group.post_time.split(":"))
    days = group.study_days.split(",")
    last = max(WEEKDAYS.index(d) for d in days)
    total = hour * 60 + minute + group.reveal_hours * 60 + REVIEW_WINDOW // dt.timedelta(minutes=1) + 1
    day = WEEKDAYS[(last + total // (24 * 60)) % 7]
    return CronTrigger(day_of_week=day, hour=(total // 60) % 24, minute=total % 60, timezone=ZoneInfo(group.timezone))


class StudyScheduler:
    def __init__(self, study: Study, deliverer: Deliverer, sweep_every: dt.timedelta = SWEEP_EVERY):
        self.study = study
        self.deliverer = deliverer
        self.sweep_every = sweep_every
        self.scheduler = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": int(POST_GRACE.total_seconds())},
        )
        self._lock = asyncio.Lock()
        self._again = False  # an alarm rang while a pass ran: one more pass, not one per alarm
        self.passes = 0  # passes run (the busy-minute benchmark reports it)
        self._rebuild_task: asyncio.Task | None = None

    async def start(self) -> None:
        """Catch up on what came due while we were down, then set every alarm."""
        await self.tick()
        await self.rebuild()
        self.scheduler.add_job(self.tick, IntervalTrigger(seconds=self.sweep_every.total_seconds()), id="sweep", replace_existing=True)
        self.scheduler.start()
        self.study.listeners.append(self.rebuild_soon)

    def stop(self) -> None:
        if self.rebuild_soon in self.study.listeners:
            self.study.listeners.remove(self.rebuild_soon)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def tick(self) -> None:
        """Do what is due now, and deliver what is owed.

        One pass at a time, and alarms that ring during a pass collapse into one more
        pass: 10,000 groups due at 09:00 are 10,000 cron jobs, and each would otherwise
        queue a pass of its own behind the lock."""
        if self._lock.locked():
            self._again = True
            return
        async with self._lock:
            self._again = True
            while self._again:
                self._again = False
                await self._pass()

    async def _pass(self) -> None:
        self.passes += 1
        sending: list[asyncio.Task] = []
        try:
            # Each committed batch goes out while the next ones are opened, AHEAD at most.
            sending.append(asyncio.create_task(self.deliverer.deliver(await self.study.undelivered())))
            async for posts in self.study.due_batches():
                sending.append(asyncio.create_task(self.deliverer.deliver(posts)))
                await self.deliverer.fewer_queued_than(AHEAD)
                await self.deliverer.recorded()  # the records first: on SQLite they share one write lock
            await self.study.recheck_pending(older_than=RECHECK_AFTER)
        except DatabaseUnavailable as error:  # the next sweep does what this one could not
            log.warning("the database is unavailable; the sweep will try again: %s", error)
        for failed in await asyncio.gather(*sending, return_exceptions=True):
            if isinstance(failed, Exception):  # what was not recorded as delivered goes again
                log.warning("a delivery failed; it is retried at the next sweep: %r", failed)

    def rebuild_soon(self) -> None:
        """Settings or rounds changed: reset the alarms (called from the study core)."""
        if self._rebuild_task is None or self._rebuild_task.done():
            self._rebuild_task = asyncio.get_running_loop().create_task(self.rebuild())

    async def rebuild(self) -> None:
        """One alarm per distinct moment, not per group or round: every alarm runs the
        same global tick, and 10,000 jobs firing at 09:00 would block the loop while
        APScheduler works through them (and again while they are set)."""
        def read(session):
            schedules = session.execute(self.study.served(
                select(Group.timezone, Group.post_time, Group.study_days, Group.reveal_hours).where(Group.active.is_(True)).distinct()
            )).all()
            reveals = session.scalars(self.study.served(
                select(Round.reveal_at).join(Group).where(Round.revealed_at.is_(None)).distinct()
            )).all()
            return schedules, reveals

        schedules, reveals = await self.study.db.run(read)
        wanted: dict[str, object] = {}
        for schedule in schedules:
            moment = f"{schedule.timezone} {schedule.study_days} {schedule.post_time}"
            wanted[f"post:{moment}"] = post_trigger(schedule)
            wanted[f"digest:{moment} +{schedule.reveal_hours}h"] = digest_trigger(schedule)
        for reveal_at in reveals:
            wanted[f"reveal:{reveal_at.isoformat()}"] = DateTrigger(run_date=reveal_at)
        for job in self.scheduler.get_jobs():
            if job.id != "sweep" and job.id not in wanted:
                job.remove()
        have = {job.id for job in self.scheduler.get_jobs()}
        for job_id, trigger in wanted.items():
            if job_id not in have:  # an alarm already set keeps its next run time
                grace = None if job_id.startswith("reveal:") else int(POST_GRACE.total_seconds())
                self.scheduler.add_job(self.tick, trigger, id=job_id, misfire_grace_time=grace)
        log.info("scheduler: %d alarms set", len(wanted) + 1)
