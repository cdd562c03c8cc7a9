"""The opt-in champion role: the week's winner holds it; setup checks the bot can hand it out."""

import datetime as dt
import json

from sqlalchemy import select

import standin as discord_standin
from bot.store import Group
from bot.study import Outbound, Reply

SETTINGS = {"time": "09:00", "timezone": "Europe/Berlin", "days": "mon", "categories": "sql"}
UTC = dt.timezone.utc


async def champion_group(running, standin, people):
    """The bot, able to hand out a "champion" role (Manage Roles, its own role above it), and
    a group that names the role; returns the role and the client."""
    role = standin.role("champion")
    standin.bot_role(discord_standin.MANAGE_ROLES)  # above "champion": made after it
    standin.bot_permissions |= discord_standin.MANAGE_ROLES
    bot = await running.start()
    reply = await standin.reply(await standin.command(people.admin, "setup", {**SETTINGS, "champion": role}, admin=True))
    assert "Study group created" in json.dumps(reply, ensure_ascii=False)
    return role, bot


async def test_the_weeks_winner_gets_the_role_and_the_last_champion_loses_it(running, standin, people, study, clock, tick, today):
    role, bot = await champion_group(running, standin, people)
    group = await study.db.run(lambda s: s.scalar(select(Group)))
    standin.give_role(people.cy, role)  # last week's champion
    await study.keep_adapter_options(group.id, {"champion_holder": people.cy["id"]})
    nobody = Outbound(group.id, "discord", standin.channel_id, "digest", Reply(title="Week of 23 Feb 2026: the digest", private=False),
                      workspace_id=standin.guild_id)  # a week nobody scored: the role stays where it is
    await bot.platform.send(nobody, None)
    assert standin.roles_of(people.cy) == [role["id"]] and not [c for c in standin.calls if c.path.startswith("/guilds/")]

    await tick(bot)  # Monday's question
    _, question = await today()
    await standin.reply(await standin.command(people.ada, "answer", {"text": question.solution}))
    clock.set(dt.datetime(2026, 3, 2, 17, 1, tzinfo=UTC))
    await tick(bot)  # the reveal
    clock.set(dt.datetime(2026, 3, 4, 17, 1, tzinfo=UTC))  # its review window closed: the digest
    await tick(bot)

    [digest] = [c for c in standin.find("POST", rf"/channels/{standin.channel_id}/messages", ok=True) if "02 Mar 2026: the digest" in json.dumps(c.body)]
    assert "ada" in json.dumps(digest.body)
    assert role["id"] in standin.roles_of(people.ada) and role["id"] not in standin.roles_of(people.cy)
    [given] = standin.find("PUT", rf"/guilds/{standin.guild_id}/members/{people.ada['id']}/roles/{role['id']}", ok=True)
    assert given.at > digest.at  # the digest goes out first
    assert (await study.adapter_options("discord", standin.channel_id, standin.guild_id))["champion_holder"] == people.ada["id"]


async def test_a_champion_role_needs_manage_roles_and_a_role_below_the_bots(bot, standin, people):
    role = standin.role("champion")
    asked = await standin.command(people.admin, "setup", {**SETTINGS, "champion": role}, admin=True)
    assert "missing **Manage Roles**" in json.dumps(standin.callbacks(asked["id"]), ensure_ascii=False)
    standin.bot_permissions |= discord_standin.MANAGE_ROLES  # the bot's own role is still @everyone: below it
    asked = await standin.command(people.admin, "setup", {**SETTINGS, "champion": role}, admin=True)
    assert "**champion**: it is above my highest role" in json.dumps(standin.callbacks(asked["id"]), ensure_ascii=False)


async def test_a_refused_role_still_posts_the_digest_and_tells_the_owners_once(running, standin, people, study):
    role, bot = await champion_group(running, standin, people)
    group = await study.db.run(lambda s: s.scalar(select(Group)))
    standin.bot_permissions &= ~discord_standin.MANAGE_ROLES  # taken away after setup
    digest = Outbound(group.id, "discord", standin.channel_id, "digest", Reply(title="Week of 02 Mar 2026: the digest", private=False),
                      workspace_id=standin.guild_id, winner_id=people.ada["id"])
    for _ in range(2):  # two weeks
        await bot.platform.send(digest, None)
    assert len(standin.find("POST", rf"/channels/{standin.channel_id}/messages", ok=True)) == 2
    assert len(standin.find("PUT", r"/guilds/\d+/members/\d+/roles/\d+", ok=False)) == 2 and standin.roles_of(people.ada) == []
    [told] = standin.dms(people.admin)
    assert "Manage Roles" in json.dumps(told) and "403" in json.dumps(told)
