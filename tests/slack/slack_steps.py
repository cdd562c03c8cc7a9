"""What the Slack tests share: the users, a worker (bot + HTTP server + Slack sending to it), steps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aiohttp.test_utils import TestServer
from slack_driver import CHANNEL, SlackSender
from slack_standin import SlackStandIn
from sqlalchemy import select
from support import FakeClock

from bot.chat.slack import SlackBot, build_app
from bot.settings import Settings
from bot.store import Answer, Group, Round
from bot.study import Study

UTC = dt.timezone.utc
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-test"
MONDAY_POST = dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
USERS = {
    "UOLGA": {"name": "Olga", "is_admin": True},
    "UADA": {"name": "Ada"},
    "UBEN": {"name": "Ben"},
    "UCY": {"name": "Cy"},
}
SETUP = "setup time=09:00 tz=Europe/Berlin days=mon-fri categories=sql"


def settings_for(standin: SlackStandIn) -> Settings:
    return Settings(slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=standin.api_url)


@dataclass
class Worker:
    """One HTTP worker: a bot, the aiohttp server in front of it, and Slack sending to it."""

    bot: SlackBot
    server: TestServer
    slack: SlackSender

    @property
    def study(self) -> Study:
        return self.bot.study

    async def settle(self) -> None:
        await self.bot.settled()

    async def stop(self) -> None:
        await self.bot.settled()
        await self.server.close()


async def start_worker(study: Study, standin: SlackStandIn, settings: Settings | None = None) -> Worker:
    bot = build_app(study, settings or settings_for(standin))
    server = TestServer(bot.web_app())
    await server.start_server()
    return Worker(bot, server, SlackSender(str(server.make_url("/slack/events")), SECRET, standin))


# ---- steps the tests share ------------------------------------------------------------------


async def set_up_group(worker: Worker) -> Group:
    status, _ = await worker.slack.command("UOLGA", SETUP)
    assert status == 200
    await worker.settle()
    group = await worker.study.db.run(lambda s: s.scalar(select(Group)))
    assert group is not None, "the admin's setup did not create the group"
    return group


async def post_question(worker: Worker, clock: FakeClock) -> Round:
    """09:00: the scheduler's due work, delivered through the Slack platform."""
    clock.set(MONDAY_POST)
    await worker.bot.deliver(await worker.study.run_due())
    return await current_round(worker.study)


async def current_round(study: Study) -> Round:
    return await study.db.run(lambda s: s.scalar(select(Round).order_by(Round.study_date.desc()).limit(1)))


async def answers(study: Study) -> list[Answer]:
    return await study.db.run(lambda s: s.scalars(select(Answer).order_by(Answer.id)).all())


def thread_reply(user: str, text: str, ts: str, thread_ts: str, channel: str = CHANNEL) -> dict:
    return {
        "type": "message", "channel": channel, "user": user, "text": text, "ts": ts, "thread_ts": thread_ts,
        "channel_type": "channel", "event_ts": ts, "team": "T1",
    }


def buttons_of(blocks: list[dict]) -> dict[str, dict]:
    return {e["action_id"]: e for b in blocks if b["type"] == "actions" for e in b["elements"]}
