"""Delivery: rate limits retried, a lost channel pauses its group once, restarts catch up."""

import datetime as dt

from sqlalchemy import select
from support import FakeClock, fixture_bank

from bot.schedule import ChannelGone, Deliverer, Delivered, RetryLater, StudyScheduler, digest_trigger, post_trigger
from bot.store import Digest, Group, Round
from bot.study import Actor, Study

UTC = dt.timezone.utc
ADMIN = Actor("test", "c1", "olga", "Olga", is_admin=True)
MONDAY_POST = dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 09:00 in Berlin


class StandIn:
    """A platform that records sends and fails as told."""

    name = "test"

    def __init__(self, failures=()):
        self.failures = list(failures)
        self.sent = []

    async def send(self, post, thread_ref):
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((post.kind, post.channel_id, post.user_id, thread_ref))
        return Delivered(f"m{len(self.sent)}", f"t{post.round_id}" if post.kind == "question" else None)


async def no_sleep(seconds):
    no_sleep.slept.append(seconds)


async def make(database, checker, clock, **settings):
    study = Study(database, fixture_bank, checker, clock)
    assert (await study.setup(ADMIN, {"time": "09:00", "tz": "Europe/Berlin", "days": "mon-fri", **settings})).reply.ok
    return study


async def test_a_rate_limited_post_is_retried_after_retry_after_and_sent_once(database, checker):
    clock = FakeClock(MONDAY_POST)
    study = await make(database, checker, clock)
    platform = StandIn([RetryLater("429", retry_after=2.5), RetryLater("network")])
    no_sleep.slept = []
    deliverer = Deliverer(study, platform, sleep=no_sleep, backoff=1.0)
    failed = await deliverer.deliver(await study.run_due())
    assert failed == [] and no_sleep.slept == [2.5, 2.0]  # Retry-After first, then backoff
    assert [s[0] for s in platform.sent] == ["question"]
    round_ = await database.run(lambda s: s.scalar(select(Round)))
    assert (round_.message_ref, round_.thread_ref) == ("m1", f"t{round_.id}") and round_.delivered_at is not None
    # The reveal goes into the thread the question opened.
    clock.set(round_.reveal_at)
    await deliverer.deliver(await study.run_due())
    # ...and the post's buttons are edited in the channel (Answer is late practice now).
    assert platform.sent[-2:] == [("reveal", "c1", None, f"t{round_.id}"), ("edit", "c1", None, None)]
    assert await study.undelivered() == []


async def test_a_post_that_keeps_failing_is_sent_by_a_later_sweep(database, checker):
    clock = FakeClock(MONDAY_POST)
    study = await make(database, checker, clock)
    platform = StandIn([RetryLater("down")] * 3)
    no_sleep.slept = []
    deliverer = Deliverer(study, platform, sleep=no_sleep, attempts=3)
    assert len(await deliverer.deliver(await study.run_due())) == 1
    clock.advance(minutes=5)
    owed = await study.undelivered()
    assert [p.kind for p in owed] == ["question"]
    assert await deliverer.deliver(owed) == [] and len(platform.sent) == 1
    assert await study.undelivered() == []


async def test_a_lost_channel_pauses_the_group_and_tells_owners_once(database, checker):
    clock = FakeClock(MONDAY_POST)
    study = await make(database, checker, clock)
    platform = StandIn([ChannelGone("channel deleted")])
    deliverer = Deliverer(study, platform, sleep=no_sleep)
    await deliverer.deliver(await study.run_due())
    assert platform.sent == [("dm", "c1", "olga", None)]
    group = await database.run(lambda s: s.scalar(select(Group)))
    assert group.lost_at is not None and group.paused_until.year == 9999
    # Tomorrow: no post, no second notice.
    clock.set(MONDAY_POST + dt.timedelta(days=1))
    assert [p.kind for p in await study.run_due()] == []
    assert await study.channel_lost(group.id, "again") == []
    assert (await study.resume(ADMIN)).reply.ok


async def test_start_catches_up_a_post_missed_by_minutes_with_a_note(database, checker):
    clock = FakeClock(MONDAY_POST + dt.timedelta(minutes=20))
    study = await make(database, checker, clock)
    platform = StandIn()
    scheduler = StudyScheduler(study, Deliverer(study, platform, sleep=no_sleep))
    await scheduler.start()
    try:
        assert [s[0] for s in platform.sent] == ["question"]
        jobs = {job.id for job in scheduler.scheduler.get_jobs()}
        reveal_at = await database.run(lambda s: s.scalar(select(Round.reveal_at)))
        assert jobs == {"sweep", "post:Europe/Berlin mon,tue,wed,thu,fri 09:00", "digest:Europe/Berlin mon,tue,wed,thu,fri 09:00 +9h", f"reveal:{reveal_at.isoformat()}"}
        # Restarting again the same day posts nothing more.
        await scheduler.tick()
        assert len(platform.sent) == 1
    finally:
        scheduler.stop()
    round_ = await database.run(lambda s: s.scalar(select(Round)))
    assert round_.posted_at - round_.due_at == dt.timedelta(minutes=20)


async def test_groups_that_share_a_schedule_share_its_alarms(database, checker):
    """10,000 groups posting at 09:00 are one alarm, not 10,000 jobs the loop works through."""
    clock = FakeClock(MONDAY_POST - dt.timedelta(hours=1))
    study = await make(database, checker, clock)
    for channel, time in (("c2", "09:00"), ("c3", "09:00"), ("c4", "18:00")):
        admin = Actor("test", channel, "olga", "Olga", is_admin=True)
        assert (await study.setup(admin, {"time": time, "tz": "Europe/Berlin", "days": "mon-fri"})).reply.ok
    scheduler = StudyScheduler(study, Deliverer(study, StandIn(), sleep=no_sleep))
    await scheduler.rebuild()
    jobs = {job.id for job in scheduler.scheduler.get_jobs()}
    assert {j for j in jobs if j.startswith("post:")} == {"post:Europe/Berlin mon,tue,wed,thu,fri 09:00", "post:Europe/Berlin mon,tue,wed,thu,fri 18:00"}
    assert len(jobs) == 4  # two posts, two digests
    clock.set(MONDAY_POST)
    await scheduler.tick()  # the three 09:00 groups open their rounds: one reveal moment
    await scheduler.rebuild()
    assert len({j for j in (job.id for job in scheduler.scheduler.get_jobs()) if j.startswith("reveal:")}) == 1


async def test_a_busy_minute_opens_posts_only_a_little_ahead_of_sending_them(database, checker, monkeypatch):
    """10,000 posts opened at once wait in memory (and make the garbage collector stop the
    loop): what is opened stays at most AHEAD posts (and the batch being handed over) ahead."""
    import functools

    from bot.schedule import alarms

    monkeypatch.setattr(alarms, "AHEAD", 2)
    clock = FakeClock(MONDAY_POST - dt.timedelta(hours=1))
    study = await make(database, checker, clock)
    for channel in ("c2", "c3", "c4", "c5", "c6", "c7"):
        admin = Actor("test", channel, "olga", "Olga", is_admin=True)
        assert (await study.setup(admin, {"time": "09:00", "tz": "Europe/Berlin", "days": "mon-fri"})).reply.ok
    study.due_batches = functools.partial(study.due_batches, size=1)  # one group a batch
    ahead = []

    class Slow(StandIn):
        async def send(self, post, thread_ref):
            import asyncio

            await asyncio.sleep(0.05)  # slower than opening a batch: opening would run ahead
            opened = await database.run(lambda s: len(s.scalars(select(Round.id)).all()))
            ahead.append(opened - len(self.sent))
            return await super().send(post, thread_ref)

    platform = Slow()
    scheduler = StudyScheduler(study, Deliverer(study, platform))
    clock.set(MONDAY_POST)
    await scheduler.tick()
    assert len(platform.sent) == 7 and max(ahead) <= alarms.AHEAD + 1


async def test_a_post_missed_by_a_whole_day_is_not_posted_later(database, checker):
    clock = FakeClock(MONDAY_POST - dt.timedelta(hours=1))
    study = await make(database, checker, clock)
    clock.set(MONDAY_POST + dt.timedelta(hours=20))  # down all Monday
    assert await study.run_due() == []
    clock.set(MONDAY_POST + dt.timedelta(days=1))
    posts = await study.run_due()
    rounds = await database.run(lambda s: s.scalars(select(Round.study_date)).all())
    assert [p.kind for p in posts] == ["question"] and rounds == [dt.date(2026, 3, 3)]


async def test_triggers_follow_the_group_settings(database, checker):
    clock = FakeClock(MONDAY_POST)
    study = await make(database, checker, clock, days="mon,wed,fri", time="21:30", reveal="4h")
    group = await database.run(lambda s: s.scalar(select(Group)))
    post = post_trigger(group).get_next_fire_time(None, dt.datetime(2026, 3, 3, tzinfo=UTC))
    assert post == dt.datetime(2026, 3, 4, 21, 30, tzinfo=post.tzinfo)
    # The digest waits for the review window of Friday's round: its reveal falls after
    # midnight (Saturday 01:30), and review stays open 48 hours: Monday 01:31.
    digest = digest_trigger(group).get_next_fire_time(None, dt.datetime(2026, 3, 3, tzinfo=UTC))
    assert (digest.strftime("%a"), digest.hour, digest.minute) == ("Mon", 1, 31)


async def test_the_weekly_digest_goes_out_once_with_a_chart(database, checker):
    clock = FakeClock(MONDAY_POST)
    study = await make(database, checker, clock, days="mon,tue", categories="sql")
    await study.run_due()
    await study.answer(Actor("test", "c1", "ada", "Ada"), "SELECT 1")
    clock.set(dt.datetime(2026, 3, 3, 8, 0, tzinfo=UTC))
    await study.run_due()
    clock.set(dt.datetime(2026, 3, 3, 17, 1, tzinfo=UTC))  # Tuesday's reveal: the week's last
    assert "digest" not in [p.kind for p in await study.run_due()]  # its reviews are still to come
    clock.set(dt.datetime(2026, 3, 5, 17, 1, tzinfo=UTC))  # its review window closed
    posts = await study.run_due()
    digests = [p for p in posts if p.kind == "digest"]
    assert len(digests) == 1
    name, png = digests[0].attachments[0]
    assert name == "digest-2026-03-02.png" and png.startswith(b"\x89PNG")
    assert any("Hardest question" in str(s) and "solved by 0 of 1" in str(s) for s in digests[0].reply.sections)
    assert digests[0].winner_id == "ada"  # the first place (answering scores), by platform user id
    assert [p.kind for p in await study.run_due(clock.now + dt.timedelta(hours=1))] == []
    assert await database.run(lambda s: len(s.scalars(select(Digest)).all())) == 1


async def test_alarms_that_ring_during_a_pass_collapse_into_one_more_pass(database, checker):
    """10,000 groups due at one minute are 10,000 cron jobs: not 10,000 passes."""
    import asyncio

    clock = FakeClock(MONDAY_POST)
    study = await make(database, checker, clock)

    class Held(StandIn):
        def __init__(self):
            super().__init__()
            self.release = asyncio.Event()

        async def send(self, post, thread_ref):
            await self.release.wait()  # the first pass is still delivering when the others ring
            return await super().send(post, thread_ref)

    platform = Held()
    scheduler = StudyScheduler(study, Deliverer(study, platform))
    first = asyncio.create_task(scheduler.tick())
    while not scheduler._lock.locked():
        await asyncio.sleep(0)
    await asyncio.gather(*(scheduler.tick() for _ in range(500)))  # each returns at once
    platform.release.set()
    await first
    assert scheduler.passes == 2 and [kind for kind, *_ in platform.sent] == ["question"]


def test_the_sweeps_questions_use_their_partial_indexes(tmp_path):
    """A year of history must not make the minute's sweep scan it (SQLite's plans)."""
    from bot.store import Database

    db = Database(str(tmp_path / "plans.db"))
    db.upgrade()
    plans = {
        "ix_rounds_unrevealed": "SELECT id FROM rounds WHERE revealed_at IS NULL AND reveal_at <= '2026-01-01'",
        "ix_rounds_undelivered": "SELECT id FROM rounds WHERE delivered_at IS NULL AND posted_at <= '2026-01-01'",
        "ix_rounds_reveal_undelivered": "SELECT id FROM rounds WHERE revealed_at IS NOT NULL AND reveal_delivered_at IS NULL AND revealed_at <= '2026-01-01'",
        "ix_digests_undelivered": "SELECT id FROM digests WHERE delivered_at IS NULL AND created_at <= '2026-01-01'",
        "ix_answers_unchecked": "SELECT id FROM answers WHERE verdict IS NULL AND dialect IS NOT NULL AND created_at <= '2026-01-01'",
        "ix_score_entries_member": "SELECT sum(points) FROM score_entries WHERE member_id = 1",
    }
    with db.engine.connect() as connection:
        for index, query in plans.items():
            plan = " ".join(str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}"))
            assert index in plan, (index, plan)
    db.dispose()


async def test_opening_a_batch_of_posts_reads_the_rounds_the_same_few_times_however_many_groups(database, checker):
    """The busy minute's cost a post is one insert: the batch's reads do not grow with it."""
    from sqlalchemy import event

    clock = FakeClock(MONDAY_POST - dt.timedelta(hours=1))
    study = await make(database, checker, clock)
    for number in range(2, 9):  # c2, c3 post at 09:00 with c1; c4..c8 at 10:00
        admin = Actor("test", f"c{number}", "olga", "Olga", is_admin=True)
        assert (await study.setup(admin, {"time": "09:00" if number < 4 else "10:00", "tz": "Europe/Berlin", "days": "mon-fri"})).reply.ok
    statements = []
    event.listen(database.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    reads = []
    for moment in (MONDAY_POST, MONDAY_POST + dt.timedelta(hours=1)):
        statements.clear()
        posts = await study.run_due(moment)
        reads.append((len([p for p in posts if p.kind == "question"]), sum(1 for s in statements if s.lstrip().upper().startswith("SELECT") and "FROM rounds" in s)))
    assert [opened for opened, _ in reads] == [3, 5]
    assert reads[0][1] == reads[1][1]


async def test_an_idle_sweep_asks_the_same_questions_however_long_the_history(database, checker):
    """Every minute's sweep must stay flat in the history: count its statements after two
    days of rounds and after five."""
    from sqlalchemy import event

    clock = FakeClock(MONDAY_POST)
    study = await make(database, checker, clock)
    scheduler = StudyScheduler(study, Deliverer(study, StandIn(), sleep=no_sleep))
    statements = []
    event.listen(database.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    counts = []
    for days in (2, 5):
        while clock.now < MONDAY_POST + dt.timedelta(days=days):  # post and reveal each day
            await scheduler.tick()
            clock.advance(hours=9)
            await scheduler.tick()
            clock.advance(hours=15)
        clock.set(MONDAY_POST + dt.timedelta(days=days, hours=-1))  # the next morning, before its post
        await scheduler.tick()
        statements.clear()
        await scheduler.tick()
        counts.append(len(statements))
    rounds = await database.run(lambda s: len(s.scalars(select(Round.id)).all()))
    assert rounds == 5 and counts[0] == counts[1]


async def three_posts_and_a_gated_record(database, checker):
    """Three groups' posts due, and a study whose records wait until `gate` is set."""
    import asyncio

    clock = FakeClock(MONDAY_POST - dt.timedelta(hours=1))
    study = await make(database, checker, clock)
    for channel in ("c2", "c3"):
        assert (await study.setup(Actor("test", channel, "olga", "Olga", is_admin=True), {"time": "09:00", "tz": "Europe/Berlin", "days": "mon-fri"})).reply.ok
    gate, record = asyncio.Event(), study.delivered_all

    async def gated(confirmed):
        await gate.wait()
        await record(confirmed)

    study.delivered_all = gated
    clock.set(MONDAY_POST)
    return study, gate, await study.run_due()


async def test_sending_goes_on_while_a_delivery_is_being_recorded(database, checker):
    """A sending slot is free once the platform answered: on SQLite the record may wait
    for the write lock (1.5 s in the busy minute), and posting must not wait with it."""
    import asyncio

    study, gate, posts = await three_posts_and_a_gated_record(database, checker)
    platform = StandIn()
    deliverer = Deliverer(study, platform, concurrency=1)
    delivering = asyncio.create_task(deliverer.deliver(posts))
    async def all_sent():
        while len(platform.sent) < 3:
            await asyncio.sleep(0.01)

    await asyncio.wait_for(all_sent(), 10)  # with the slot held through the record, they never are
    assert not delivering.done()  # sent, not yet recorded: not yet done either
    gate.set()
    assert await asyncio.wait_for(delivering, 10) == []
    assert await study.undelivered() == []


async def test_recorded_waits_for_the_deliveries_confirmed_so_far(database, checker):
    """What opens the next batch waits for the records (SQLite's one write lock)."""
    import asyncio

    study, gate, posts = await three_posts_and_a_gated_record(database, checker)
    platform = StandIn()
    deliverer = Deliverer(study, platform)
    delivering = asyncio.create_task(deliverer.deliver(posts))
    while len(platform.sent) < 3:
        await asyncio.sleep(0.01)
    order = []
    waiting = asyncio.create_task(deliverer.recorded())
    waiting.add_done_callback(lambda _: order.append("recorded returned"))
    for _ in range(20):
        await asyncio.sleep(0)
    order.append("gate opened")
    gate.set()
    await asyncio.wait_for(waiting, 10)
    await delivering
    assert order == ["gate opened", "recorded returned"] and await study.undelivered() == []
