"""/study as Discord application commands: registration, admin checks, options, private replies."""

import json

from sqlalchemy import select

from bot.store import Group
from bot.study.commands import VERB_NAMES

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

    refused = await standin.command(people.ada, "setup", {"time": "06:00"})
    [reply] = standin.callbacks(refused["id"])
    assert reply["data"]["flags"] & EPHEMERAL and "Only members who can manage this channel can use `/study setup`" in text_of(reply)
    for verb in ("post", "skip", "pause", "resume"):
        refused = await standin.command(people.ada, verb)
        assert "Only members who can manage this channel" in text_of(standin.callbacks(refused["id"])[0])

    group = await database.run(lambda s: s.scalar(select(Group)))
    assert (group.platform, group.channel_id, group.workspace_id) == ("discord", standin.channel_id, standin.guild_id)
    assert (group.post_time, group.timezone, group.reveal_hours, group.dialect) == ("07:30", "Europe/Berlin", 6, "postgres")
    assert group.owners == [people.admin["id"]]


async def test_the_registered_commands_are_ones_discord_accepts(bot, standin):
    [sync] = standin.find("PUT", r"/applications/\d+/commands", ok=True)
    [study] = sync.body
    assert study["name"] == "study" and study["contexts"] == [0]  # guild channels only
    # Default permissions exist only for a whole top-level command: /study stays open to members,
    # and its admin verbs are gated by a check (test_setup_by_an_admin_and_refused_for_a_member).
    assert study.get("default_member_permissions") is None
    verbs = {o["name"]: o for o in study["options"]}
    assert set(verbs) == set(VERB_NAMES)
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
