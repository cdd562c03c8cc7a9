"""Fixtures for driving the real discord.py client against the stand-in."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from types import SimpleNamespace

import discord
import pytest
from sqlalchemy import select
from discord_limits import problems
from standin import DiscordStandIn
from support import FakeClock, database, fixture_bank  # noqa: F401  (database is a fixture: SQLite and PostgreSQL)

from bot.chat.discord import threads
from bot.chat.discord.client import StudyClient
from bot.schedule import Deliverer, StudyScheduler
from bot.store import Round
from bot.study import Study

MONDAY_POST = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.timezone.utc)  # 09:00 in Berlin


@pytest.fixture
async def standin(monkeypatch):
    server = DiscordStandIn()
    await server.start()
    monkeypatch.setattr(discord.http.Route, "BASE", server.api_base)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", server.gateway_url)
    yield server
    await server.stop()
    # Whatever a test did, nothing the bot sent broke one of Discord's size limits,
    # and every interaction was acknowledged once and in time.
    assert [p for call in server.calls for p in problems(call)] == []
    assert [(c.path, c.result) for c in server.refused_callbacks()] == []


@pytest.fixture
def clock():
    return FakeClock(MONDAY_POST)


@pytest.fixture
def study(database, checker, clock):
    return Study(database, fixture_bank, checker, clock, platforms={"discord"})


class Running:
    """Start and stop real clients (several in turn, for restarts)."""

    def __init__(self, standin: DiscordStandIn, study: Study):
        self.standin, self.study = standin, study
        self.clients: list[tuple[StudyClient, asyncio.Task]] = []

    async def start(self, **options) -> StudyClient:
        # discord.py waits this long after the last GUILD_CREATE before it is ready (2 s by
        # default, for a real gateway streaming thousands of guilds); the stand-in sends its
        # guilds at once, so the wait is dead time in every test that starts a client.
        options.setdefault("guild_ready_timeout", 0.3)
        client = StudyClient(self.study, **options)
        await client.login(self.standin.token)
        task = asyncio.create_task(client.connect())
        self.clients.append((client, task))
        await asyncio.wait_for(client.wait_until_ready(), 60)
        return client

    async def stop(self, client: StudyClient) -> None:
        for c, task in self.clients:
            if c is client:
                await c.close()
                await asyncio.gather(task, return_exceptions=True)

    async def close(self) -> None:
        for client, _ in self.clients:
            await self.stop(client)


@pytest.fixture
async def running(standin, study):
    bots = Running(standin, study)
    yield bots
    await bots.close()


@pytest.fixture
async def bot(running):
    return await running.start()


@pytest.fixture
def people(standin):
    """An admin (Manage Channels) and three members."""
    return SimpleNamespace(admin=standin.user("olga"), ada=standin.user("ada"), ben=standin.user("ben"), cy=standin.user("cy"))


@pytest.fixture
async def group(bot, standin, people):
    """A SQL study group set up by the admin, Mon–Fri at 09:00 Berlin."""
    settings = {"time": "09:00", "timezone": "Europe/Berlin", "days": "mon-fri", "categories": "sql"}
    interaction = await standin.command(people.admin, "setup", settings, admin=True)
    [reply] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{interaction['token']}")
    assert "Study group created" in json.dumps(reply.body)
    return standin.channel_id


@pytest.fixture
def slow_database(database, standin, monkeypatch):
    """A database slower than Discord's deadline for whatever comes before the bot has
    acknowledged every interaction it was sent (and instant after): a bot that asks the
    database first answers too late (10062); one that defers first is never slowed."""
    run = database.run

    async def slow_run(work):
        await standin.acknowledged_all(timeout=standin.deadline + 0.2)
        return await run(work)

    monkeypatch.setattr(database, "run", slow_run)
    return database


@pytest.fixture
def tick(study):
    """The scheduler's one step (what its alarms run), delivering through a client's platform."""

    async def run(client: StudyClient) -> None:
        await StudyScheduler(study, Deliverer(study, client.platform)).tick()

    return run


@pytest.fixture
def today(database):
    """The latest round and its question."""

    async def read():
        round_ = await database.run(lambda s: s.scalar(select(Round).order_by(Round.study_date.desc()).limit(1)))
        return round_, fixture_bank().get(round_.question_id)

    return read


@pytest.fixture
def handled(monkeypatch):
    """The ids of the thread messages the bot has finished taking, in order."""
    done = asyncio.Queue()
    take_answer = threads.take_answer

    async def taking(client, message):
        await take_answer(client, message)
        done.put_nowait(message.id)

    monkeypatch.setattr(threads, "take_answer", taking)
    return done
