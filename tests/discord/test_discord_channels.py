"""Channels that cannot hold a study group are refused at setup; losing one later pauses it."""

import json

import pytest
from sqlalchemy import select

import standin as discord_standin
from bot.store import Group

EPHEMERAL = 64
NEEDED = {
    "View Channel": discord_standin.VIEW_CHANNEL, "Send Messages": discord_standin.SEND_MESSAGES,
    "Create Public Threads": discord_standin.CREATE_PUBLIC_THREADS,
    "Send Messages in Threads": discord_standin.SEND_MESSAGES_IN_THREADS, "Embed Links": discord_standin.EMBED_LINKS,
}
SETTINGS = {"time": "09:00", "timezone": "Europe/Berlin", "categories": "sql"}


def text_of(body: dict) -> str:
    data = body.get("data", body) or {}
    return json.dumps({k: data.get(k) for k in ("content", "embeds")}, ensure_ascii=False)


async def groups(database):
    return await database.run(lambda s: s.scalars(select(Group)).all())


async def test_setup_in_a_forum_post_is_refused(bot, standin, people, database):
    post = standin.forum_post()
    asked = await standin.command(people.admin, "setup", SETTINGS, admin=True, channel_id=post)
    [reply] = standin.callbacks(asked["id"])
    assert reply["data"]["flags"] & EPHEMERAL and "can't live in a forum post" in text_of(reply)
    assert await groups(database) == []


@pytest.mark.parametrize("name", list(NEEDED))
async def test_setup_without_a_needed_permission_names_it(bot, standin, people, database, name):
    standin.bot_permissions &= ~NEEDED[name]
    asked = await standin.command(people.admin, "setup", SETTINGS, admin=True)
    [reply] = standin.callbacks(asked["id"])
    assert reply["data"]["flags"] & EPHEMERAL and f"missing **{name}**" in text_of(reply)
    assert await groups(database) == []


async def test_a_thread_refused_later_pauses_the_group_and_tells_its_admins(bot, standin, people, group, tick, database, clock):
    standin.bot_permissions &= ~discord_standin.CREATE_PUBLIC_THREADS  # an admin changed the channel's permissions
    await tick(bot)
    [refused] = standin.find("POST", rf"/channels/{group}/messages/\d+/threads")
    assert refused.status == 403
    [lost] = await groups(database)
    assert lost.lost_at is not None
    [told] = standin.dms(people.admin)
    assert "paused the group" in told["content"] and "Create Public Threads" in told["content"]
    clock.advance(minutes=5)
    await tick(bot)  # paused: nothing more is tried, nobody told twice
    assert len(standin.find("POST", rf"/channels/{group}/messages")) == 1 and len(standin.dms(people.admin)) == 1
