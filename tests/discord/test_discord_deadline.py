"""Discord's 3 seconds: every interaction is acknowledged before the database is asked."""

import json

import pytest
from sqlalchemy import select

from bot.store import Answer

EPHEMERAL = 64


def text_of(body: dict) -> str:
    data = body.get("data", body) or {}
    return json.dumps({k: data.get(k) for k in ("content", "embeds")}, ensure_ascii=False)


async def answered(standin, interaction, private=True) -> dict:
    """The interaction's acknowledgement was "thinking…" (in time); returns the reply that followed."""
    [first] = standin.find("POST", rf"/interactions/{interaction['id']}/.+/callback")
    assert first.status == 200 and first.body["type"] == 5, (first.status, first.result)
    assert bool((first.body.get("data") or {}).get("flags", 0) & EPHEMERAL) == private
    [reply] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{interaction['token']}")
    return reply.body


COMMANDS = [
    ("settings", {}, True), ("hint", {}, True), ("leaderboard", {}, False), ("stats", {}, True), ("history", {}, True),
    ("due", {}, True), ("remind", {}, True), ("review", {"answer": 1, "points": "1"}, True), ("review", {}, True),
]


@pytest.mark.parametrize("verb, options, private", COMMANDS, ids=[f"{c[0]}{'-' + next(iter(c[1])) if c[1] else ''}" for c in COMMANDS])
async def test_a_command_is_acknowledged_before_a_slow_database(bot, standin, people, slow_database, tick, verb, options, private):
    setup = await standin.command(people.admin, "setup", {"time": "09:00", "timezone": "Europe/Berlin", "categories": "sql"}, admin=True)
    assert "Study group created" in text_of(await answered(standin, setup))
    await tick(bot)
    asked = await standin.command(people.ada, verb, options)
    await answered(standin, asked, private)


async def test_admin_verbs_refused_in_public_thinking_are_told_privately(bot, standin, people, slow_database):
    # No group here yet: the refusal is private although "thinking…" was public.
    paused = await standin.command(people.admin, "pause", admin=True)
    reply = await answered(standin, paused, private=False)
    assert reply["flags"] & EPHEMERAL
    assert standin.find("DELETE", rf"/webhooks/{standin.application_id}/{paused['token']}/messages/@original", ok=True)


async def test_buttons_and_forms_are_acknowledged_before_a_slow_database(bot, standin, people, slow_database, tick, today, clock, database):
    await standin.reply(await standin.command(people.admin, "setup", {"time": "09:00", "timezone": "Europe/Berlin", "categories": "sql"}, admin=True))
    await tick(bot)
    round_, question = await today()
    post = standin.messages[round_.message_ref]
    hinted = await standin.click(people.ada, post, f"studybot:hint:{round_.id}:1")
    await answered(standin, hinted)

    opened = await standin.click(people.ada, post, f"studybot:answer:{round_.id}")
    [modal] = standin.callbacks(opened["id"])
    field = modal["data"]["components"][0]["components"][0]["custom_id"]
    submitted = await standin.submit(people.ada, modal["data"], {field: question.solution})
    assert "Correct" in text_of(await answered(standin, submitted))
    assert [a.verdict for a in await database.run(lambda s: s.scalars(select(Answer)).all())] == ["correct"]

    clock.set(round_.reveal_at)
    await tick(bot)
    [reveal] = standin.find("POST", rf"/channels/{round_.thread_ref}/messages", ok=True)
    click = await standin.click(people.ben, reveal.result, f"studybot:review:{round_.id}")
    form = await answered(standin, click)
    form_message = next(m for m in standin.messages.values() if m.get("components") == form["components"])
    submit_id = form["components"][1]["components"][0]["custom_id"]
    submitted = await standin.click(people.ben, form_message, submit_id)
    assert "Review saved" in text_of(await answered(standin, submitted))
