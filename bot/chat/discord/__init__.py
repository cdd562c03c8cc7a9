"""`studybot run discord`: the study loop as a Discord bot.

The token comes from DISCORD_TOKEN (environment or .env). It is checked first, before
the database and the checker start; the application's flags then say whether thread
messages can be read (the Message Content intent). The client and the schedule run
side by side until either stops, or
SIGTERM: then posting stops, the answers being checked finish and their verdicts are
sent, and the client closes.

One process runs every shard Discord recommends (an `AutoShardedClient`). A bigger
deployment splits them: each process gets DISCORD_SHARD_COUNT and its own
DISCORD_SHARD_IDS, all share one PostgreSQL database, and one of them at a time holds
the scheduler lock and posts (over REST, to any channel, whatever shard it is on).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

import discord

from bot.runtime import BotRuntime
from bot.settings import Settings

from .client import StudyClient

log = logging.getLogger(__name__)

NO_TOKEN = "studybot: DISCORD_TOKEN is not set. Put your bot's token (Developer Portal → your application → Bot → Reset Token) in the environment or in .env."
BAD_TOKEN = "studybot: Discord rejected DISCORD_TOKEN. Copy the bot token again (Developer Portal → your application → Bot → Reset Token)."
BAD_SHARDS = "studybot: DISCORD_SHARD_IDS must list shard numbers below DISCORD_SHARD_COUNT, like 0,1; set both, or neither to run every shard in this process."
NO_INTENT = "studybot: Discord refused the Message Content intent. Enable it (Developer Portal → Bot → Privileged Gateway Intents) or leave it off there."


def serve(settings: Settings) -> int:
    token = (settings.discord_token or "").strip()
    if not token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    shards = shard_options(settings)
    if shards is None:
        print(BAD_SHARDS, file=sys.stderr)
        return 2
    try:
        asyncio.run(run(settings, token, shards))
    except discord.LoginFailure:
        print(BAD_TOKEN, file=sys.stderr)
        return 2
    except discord.PrivilegedIntentsRequired:
        print(NO_INTENT, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


def shard_options(settings: Settings) -> dict | None:
    """This process's shards as client options: {} for all of them, None when the settings make no sense."""
    count, ids = settings.discord_shard_count, (settings.discord_shard_ids or "").strip()
    if count is None and not ids:
        return {}
    try:
        shard_ids = sorted({int(i) for i in ids.split(",")}) if ids else list(range(count or 0))
    except ValueError:
        return None
    if not count or not shard_ids or not all(0 <= i < count for i in shard_ids):
        return None
    return {"shard_count": count, "shard_ids": shard_ids}


async def message_content_granted(token: str) -> bool:
    """Log in over REST only: a rejected token fails here (LoginFailure); then read the app's intent flags."""
    http = discord.http.HTTPClient(asyncio.get_running_loop())
    try:
        await http.static_login(token)
        flags = discord.ApplicationFlags._from_value((await http.application_info()).get("flags", 0))
    finally:
        await http.close()
    return flags.gateway_message_content or flags.gateway_message_content_limited


async def run(settings: Settings, token: str, shards: dict) -> None:
    message_content = await message_content_granted(token)
    if not message_content:
        log.warning("the Message Content intent is off: thread messages can't be read; members answer with the Answer button or /study answer")
    async with BotRuntime(settings, "discord") as runtime:
        client = StudyClient(runtime.study, message_content=message_content, **shards)
        async with client:
            await client.login(token)
            schedule = asyncio.create_task(runtime.schedule(client.platform), name="schedule")
            tasks = {asyncio.create_task(client.connect(), name="discord"), schedule, asyncio.create_task(sigterm(), name="sigterm")}
            try:
                done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
                if any(task.get_name() == "sigterm" for task in done):
                    # Stop posting; let the answers being checked finish and their verdicts go out.
                    schedule.cancel()
                    await client.shut_down()
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
            for task in done:
                task.result()  # a crash of either side ends the process with its error


async def sigterm() -> None:
    """Returns when the process is asked to stop (SIGTERM: a deploy, a platform's restart)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGTERM, stop.set)
    except NotImplementedError:  # no signals here (Windows): wait forever
        pass
    try:
        await stop.wait()
    finally:
        loop.remove_signal_handler(signal.SIGTERM)
