"""A group's Discord options: a role pinged on the daily post, spoiler-safe threads."""

import json

from sqlalchemy import select

import standin as discord_standin
from bot.chat.discord.threads import TAKEN_OUT
from bot.store import Answer

SETTINGS = {"time": "09:00", "timezone": "Europe/Berlin", "categories": "sql"}


async def test_the_daily_post_pings_the_groups_role_and_only_it(bot, standin, people, tick, today):
    role = standin.role("sql-study")
    await standin.reply(await standin.command(people.admin, "setup", {**SETTINGS, "ping": role}, admin=True))
    await tick(bot)
    round_, _ = await today()
    [post] = standin.find("POST", rf"/channels/{standin.channel_id}/messages", ok=True)
    assert post.body["content"] == f"<@&{role['id']}>"
    assert post.body["allowed_mentions"]["roles"] == [int(role["id"])] and post.body["allowed_mentions"]["parse"] == []


async def test_without_a_ping_role_nobody_is_mentioned(bot, standin, people, group, tick):
    await tick(bot)
    [post] = standin.find("POST", rf"/channels/{group}/messages", ok=True)
    assert "content" not in post.body or not post.body["content"]
    assert post.body["allowed_mentions"] == {"parse": []}


async def test_spoiler_safe_needs_manage_messages_at_setup(bot, standin, people):
    asked = await standin.command(people.admin, "setup", {**SETTINGS, "spoiler_safe": True}, admin=True)
    [reply] = standin.callbacks(asked["id"])
    assert "missing **Manage Messages**" in json.dumps(reply)


async def test_spoiler_safe_takes_a_stored_answer_out_of_the_thread(bot, standin, people, tick, today, database):
    standin.bot_permissions |= discord_standin.MANAGE_MESSAGES
    await standin.reply(await standin.command(people.admin, "setup", {**SETTINGS, "spoiler_safe": True}, admin=True))
    await tick(bot)
    round_, question = await today()
    message = await standin.post_in_thread(people.ada, round_.thread_ref, question.solution)
    await standin.wait_for("DELETE", rf"/channels/{round_.thread_ref}/messages/{message['id']}")
    await standin.wait_for("POST", r"/channels/\d+/messages", count=2)  # the post, then the DM
    [dm] = standin.dms(people.ada)
    assert TAKEN_OUT in json.dumps(dm, ensure_ascii=False) and "Correct" in json.dumps(dm)
    assert message["id"] not in standin.messages and not standin.find("PUT", r".*/reactions/.+/@me")
    [stored] = await database.run(lambda s: s.scalars(select(Answer)).all())
    assert (stored.message_ref, stored.verdict) == (message["id"], "correct")
