"""/study and /study-admin as Discord application commands: registration, Discord's gate, options, private replies."""

import json

import pytest
from sqlalchemy import select

from bot.store import Group
from bot.study.commands import ADMIN_VERBS, VERB_NAMES
from standin import CommandRefused

EPHEMERAL = 64


def text_of(body: dict) -> str:
    """Everything a member reads in a callback or message body."""
    data = body.get("data", body) or {}
    return json.dumps({k: data.get(k) for k in ("content", "embeds")}, ensure_ascii=False)


async def test_setup_by_an_admin_and_refused_for_a_member(bot, standin, people, database):
    created = await standin.command(people.admin, "setup", {"time": "07:30", "timezone": "Europe/Berlin", "reveal": 6, "dialect": "postgres"}, admin=True)
    [deferred] = standin.callbacks(created["id"])
    assert deferred["type"] == 5 and deferred["data"]["flags"] & EPHEMERAL  # acknowledged before the database is asked
    [reply] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{created['token']}")
    assert reply.body["flags"] & EPHEMERAL
    assert "Study group created" in text_of(reply.body) and "07:30" in text_of(reply.body)
    assert "`/study-admin setup` and its options" in text_of(reply.body) and "key=value" not in text_of(reply.body)  # Discord's setup takes options

    for verb in ADMIN_VERBS:  # Discord's own gate: the invocation never reaches the bot
        with pytest.raises(CommandRefused):
            await standin.command(people.ada, verb)

    group = await database.run(lambda s: s.scalar(select(Group)))
    assert (group.platform, group.channel_id, group.workspace_id) == ("discord", standin.channel_id, standin.guild_id)
    assert (group.post_time, group.timezone, group.reveal_hours, group.dialect) == ("07:30", "Europe/Berlin", 6, "postgres")
    assert group.owners == [people.admin["id"]]


async def test_the_registered_commands_are_ones_discord_accepts(bot, standin):
    [sync] = standin.find("PUT", r"/applications/\d+/commands", ok=True)
    study, admin = sorted(sync.body, key=lambda c: c["name"] != "study")
    assert (study["name"], admin["name"]) == ("study", "study-admin")
    assert study["contexts"] == admin["contexts"] == [0]  # guild channels only
    # Default permissions exist only for a whole top-level command: /study is every member's,
    # /study-admin needs Manage Channels (1 << 4), so Discord hides it from the others.
    assert study.get("default_member_permissions") is None and str(admin["default_member_permissions"]) == "16"
    assert {o["name"] for o in study["options"]} == set(VERB_NAMES) - set(ADMIN_VERBS)
    assert {o["name"] for o in admin["options"]} == set(ADMIN_VERBS)
    verbs = {o["name"]: o for o in study["options"] + admin["options"]}
    for verb in verbs.values():
        assert verb["type"] == 1 and 1 <= len(verb["description"]) <= 100
        options = verb.get("options", [])
        assert len(options) <= 25
        required = [o.get("required", False) for o in options]
        assert required == sorted(required, reverse=True)  # required options come first
        for option in options:
            assert option["name"].islower() and len(option["name"]) <= 32 and 1 <= len(option["description"]) <= 100
            assert len(option.get("choices", [])) <= 25
    setup = {o["name"]: o for o in verbs["setup"]["options"]}
    assert all(setup[name].get("autocomplete") for name in ("timezone", "days", "categories", "tracks"))
    assert [c["value"] for c in setup["dialect"]["choices"]][:2] == ["duckdb", "postgres"]
    assert setup["reveal"]["min_value"] == 1 and setup["reveal"]["max_value"] == 48


async def test_autocomplete_offers_timezones_and_completes_comma_lists(bot, standin, people):
    zones = await standin.autocomplete(people.admin, "setup", {"timezone": "berl"}, "timezone", admin=True)
    assert [c["value"] for c in zones] == ["Europe/Berlin"]
    cats = await standin.autocomplete(people.admin, "setup", {"categories": "sql,stat"}, "categories", admin=True)
    assert [c["value"] for c in cats] == ["sql,statistics"]


async def test_a_study_lead_role_allowed_in_integrations_runs_the_admin_verbs(bot, standin, people, database):
    lead = standin.role("study-lead")
    standin.give_role(people.ada, lead)  # ada holds the role but not Manage Channels
    with pytest.raises(CommandRefused):
        await standin.command(people.ada, "setup", {"time": "07:30"})
    standin.allow_role("study-admin", lead["id"])  # Server Settings → Integrations → studybot → /study-admin
    created = await standin.command(people.ada, "setup", {"time": "07:30", "timezone": "Europe/Berlin"})
    assert "Study group created" in text_of((await standin.reply(created)))
    group = await database.run(lambda s: s.scalar(select(Group)))
    assert (group.post_time, group.owners) == ("07:30", [people.ada["id"]])
    paused = await standin.command(people.ada, "pause")
    assert "Paused until `/study-admin resume`" in text_of(await standin.reply(paused))
    with pytest.raises(CommandRefused):  # the override is for the role, not for everyone
        await standin.command(people.ben, "pause")


async def test_help_names_the_admin_verbs_as_study_admin(bot, standin, people):
    helped = await standin.command(people.ada, "help")
    text = text_of(standin.callbacks(helped["id"])[0])
    assert "`/study-admin setup [options]` (admin)" in text and "`/study-admin skip` (admin)" in text
    assert "key=value" not in text  # Discord's setup takes options, not typed settings
    assert "`/study setup" not in text and "`/study settings`" in text
    asked = await standin.command(people.ada, "settings")  # no group yet: the refusal names the admin verb
    assert "An admin can start one with `/study-admin setup`" in text_of(await standin.reply(asked))


async def test_help_and_settings_answer_privately(bot, standin, people, group):
    helped = await standin.command(people.ada, "help", {"topic": "sql"})
    [reply] = standin.callbacks(helped["id"])
    assert reply["data"]["flags"] & EPHEMERAL and "How SQL answers are checked" in text_of(reply)
    shown = await standin.command(people.ada, "settings")
    [reply] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{shown['token']}")
    assert "Europe/Berlin" in text_of(reply.body)


async def test_a_command_in_the_round_thread_belongs_to_the_channel_group(bot, standin, people, group, tick, today):
    await tick(bot)
    [thread] = standin.threads
    _, question = await today()
    asked = await standin.command(people.ada, "today", channel_id=thread)
    [deferred] = standin.callbacks(asked["id"])
    assert deferred["type"] == 5 and deferred["data"]["flags"] & EPHEMERAL  # acknowledged first: rendering may take a while
    [followup] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{asked['token']}")
    assert question.title in text_of(followup.body) and "answered so far" in text_of(followup.body)
