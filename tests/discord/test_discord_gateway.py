"""The gateway drops, resumes and reconnects as Discord's does; REST answers 5xx; two shards.

Nothing a member sent while the bot was away is lost or taken twice, and every command
after a reconnect is answered in time.
"""

import asyncio
import json

import pytest
from sqlalchemy import select
from standin import shard_of
from test_discord_posting import posts_of, the_round

from bot.chat.discord.client import StudyClient
from bot.schedule import Deliverer, StudyScheduler
from bot.store import Answer, Round


@pytest.fixture(autouse=True)
def quick_identify(monkeypatch):
    """discord.py waits 5 s before every identify but the first (Discord's identify rate
    limit, which the stand-in does not enforce): not waited out here."""

    async def at_once(self, shard_id, *, initial=False):
        return None

    monkeypatch.setattr(StudyClient, "before_identify_hook", at_once)


def text_of(body: dict) -> str:
    data = body.get("data", body) or {}
    return json.dumps({k: data.get(k) for k in ("content", "embeds")}, ensure_ascii=False)


async def answers(database):
    return await database.run(lambda s: s.scalars(select(Answer)).all())


async def test_a_thread_answer_sent_while_the_bot_was_away_is_replayed_on_resume_and_taken_once(
        bot, standin, people, group, tick, today, database, handled):
    await tick(bot)
    round_, question = await today()
    standin.drop_socket()
    message = await standin.post_in_thread(people.ada, round_.thread_ref, question.solution)  # while disconnected
    await standin.until(lambda: any(r["replayed"] for r in standin.resumes))
    [resume] = standin.resumes
    assert resume["session_id"] == standin.sessions[0].id and "MESSAGE_CREATE" in resume["replayed"]
    assert await asyncio.wait_for(handled.get(), 60) == int(message["id"])
    await standin.redeliver(message)  # Discord may still send it again after a resume
    await asyncio.wait_for(handled.get(), 60)
    assert len(standin.find("PUT", r".*/reactions/.+/@me")) == 1
    assert len(standin.dms(people.ada)) == 1
    assert [a.message_ref for a in await answers(database)] == [message["id"]]
    assert len(standin.identified) == 1  # resumed, not identified again


async def test_commands_sent_while_the_gateway_reconnects_are_answered_in_time(bot, standin, people, group):
    for away in ("reconnect", "invalid-session-resumable", "dropped-socket"):
        if away == "reconnect":
            await standin.reconnect()
        elif away == "invalid-session-resumable":
            await standin.invalidate(resumable=True)
        else:
            standin.drop_socket()
        asked = await standin.command(people.ada, "help")  # dispatched while the bot is away
        [answer] = standin.callbacks(asked["id"])  # the fixture checks it came within Discord's 3 seconds (no 10062)
        assert "/study" in text_of(answer)
        assert standin.resumes[-1]["replayed"][-1:] == ["INTERACTION_CREATE"], away
        await standin.until(lambda: standin.sessions[0].socket is not None)  # RESUMED: back for the next one
    assert len(standin.identified) == 1 and len(standin.resumes) == 3


async def test_after_an_invalid_session_the_bot_identifies_again_and_keeps_serving(bot, standin, people, group):
    for ended in ("invalid-session", "session-expired"):
        if ended == "invalid-session":
            await standin.invalidate(resumable=False)
        else:  # the bot comes back too late: its RESUME is answered INVALID_SESSION, nothing replayed
            standin.drop_socket(expire=True)
        identified = len(standin.identified) + 1
        await standin.until(lambda: len(standin.identified) == identified and standin.sessions[-1].socket is not None)
        asked = await standin.command(people.ada, "help")
        [answer] = standin.callbacks(asked["id"])
        assert "/study" in text_of(answer), ended
    assert [i["shard"] for i in standin.identified] == [[0, 1]] * 3
    assert [r["replayed"] for r in standin.resumes] == [[]]  # the expired session's RESUME


# ---- REST 5xx -------------------------------------------------------------------------------

POST, THREAD = r"/channels/{}/messages", r"/channels/{}/messages/\d+/threads"


@pytest.mark.parametrize("path, status", [(POST, 500), (THREAD, 502)], ids=["post-500", "thread-502"])
async def test_a_5xx_after_discord_did_the_work_leaves_one_post_and_one_thread(bot, standin, group, tick, database, path, status):
    standin.fail_after("POST", path.format(group), status)  # done, but answered an error: discord.py asks again
    await tick(bot)
    failed, again = standin.find("POST", path.format(group))
    assert (failed.status, again.status) == (status, 200 if path == POST else 400)  # the thread again: 160004
    round_ = await the_round(database)
    [post] = posts_of(standin, round_.id)
    assert list(standin.threads) == [post["id"]] and (round_.message_ref, round_.thread_ref) == (post["id"], post["id"])
    assert round_.delivered_at is not None


@pytest.mark.parametrize("path", [POST, THREAD], ids=["post", "thread"])
async def test_a_lasting_5xx_is_a_failed_delivery_the_schedule_retries(bot, standin, group, study, clock, tick, database, path, caplog):
    for _ in range(2):
        standin.fail_next("POST", path.format(group), 503)  # discord.py does not retry a 503 itself
    await StudyScheduler(study, Deliverer(study, bot.platform, attempts=2, backoff=0.01)).tick()
    round_ = await the_round(database)
    assert round_.delivered_at is None and round_.thread_ref is None
    assert "giving up on question" in caplog.text and "503" in caplog.text
    clock.advance(minutes=3)  # the sweep sends what is owed
    await tick(bot)
    round_ = await the_round(database)
    [post] = posts_of(standin, round_.id)
    assert len(standin.find("POST", POST.format(group), ok=True)) == 1 and list(standin.threads) == [post["id"]]
    assert (round_.message_ref, round_.thread_ref) == (post["id"], post["id"]) and round_.delivered_at is not None


async def test_a_5xx_on_a_callback_or_a_followup_still_answers_and_stores_once(bot, standin, people, group, tick, today, database):
    standin.fail_next("POST", r"/interactions/\d+/.+/callback", 503)
    asked = await standin.command(people.ada, "help")
    [failed, answered] = await standin.wait_for("POST", rf"/interactions/{asked['id']}/.+/callback", count=2, ok=None)
    assert (failed.status, answered.status) == (503, 200)  # asked again (discord.py), within the 3 seconds
    assert "/study" in text_of(answered.body)

    await tick(bot)
    round_, question = await today()
    opened = await standin.click(people.ada, standin.messages[round_.message_ref], f"studybot:answer:{round_.id}")
    [modal] = standin.callbacks(opened["id"])
    field = modal["data"]["components"][0]["components"][0]["custom_id"]
    standin.fail_next("POST", rf"/webhooks/{standin.application_id}/.+", 502)
    submitted = await standin.submit(people.ada, modal["data"], {field: question.solution})
    [verdict] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{submitted['token']}")
    assert "Correct" in text_of(verdict.body)
    assert [a.verdict for a in await answers(database)] == ["correct"]


async def test_an_acknowledgement_discord_made_but_answered_500_stands(bot, standin, people, group, tick, today, caplog):
    """discord.py asks again after a 500, and Discord refuses the repeat (40060): the
    acknowledgement was made, so the member gets the reply (or already has it), not "thinking…" forever."""
    await tick(bot)
    round_, question = await today()
    for clicked in ("hint-deferred", "help-answered"):
        standin.fail_after("POST", r"/interactions/\d+/.+/callback", 500)
        if clicked == "hint-deferred":
            asked = await standin.click(people.ada, standin.messages[round_.message_ref], f"studybot:hint:{round_.id}:1")
            [reply] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{asked['token']}")
            assert (question.hints[0][:60] if question.hints else "This question has no hints") in text_of(reply.body)
        else:
            asked = await standin.command(people.ada, "help")
        made, repeated = await standin.wait_for("POST", rf"/interactions/{asked['id']}/.+/callback", count=2, ok=None)
        assert (made.status, repeated.status, repeated.result["code"]) == (500, 400, 40060) and standin.acknowledged[asked["id"]] == 1
        if clicked == "help-answered":
            assert "/study" in text_of(made.body)  # the reply itself, made by the first try
    await tick(bot)  # let anything the bot still does land
    assert "a Discord interaction failed" not in caplog.text
    assert len(standin.find("POST", rf"/webhooks/{standin.application_id}/.+", ok=None)) == 2  # the group's setup, the hint


# ---- shards -----------------------------------------------------------------------------------

async def test_with_two_shards_each_guild_is_served_by_its_own_and_gets_its_post(running, standin, people, tick, database):
    standin.shard_count = 2  # what GET /gateway/bot recommends
    shard_of_main = shard_of(standin.guild_id, 2)
    other_guild, other_channel = standin.add_guild(shard_id=1 - shard_of_main)
    bot = await running.start()
    assert sorted(identify["shard"] for identify in standin.identified) == [[0, 2], [1, 2]]
    assert {s.shard: [p["d"]["id"] for p in s.sent if p["t"] == "GUILD_CREATE"] for s in standin.sessions} == {
        (shard_of_main, 2): [standin.guild_id], (1 - shard_of_main, 2): [other_guild]}

    settings = {"time": "09:00", "timezone": "Europe/Berlin", "categories": "sql"}
    here = await standin.command(people.admin, "setup", settings, admin=True)
    there = await standin.command_in(other_guild, people.admin, "setup", settings, admin=True)
    for asked in (here, there):
        assert "Study group created" in json.dumps(await standin.reply(asked))
    for session in standin.sessions:  # each interaction came over its guild's shard
        assert [p["d"]["guild_id"] for p in session.sent if p["t"] == "INTERACTION_CREATE"] == [p["d"]["id"] for p in session.sent if p["t"] == "GUILD_CREATE"]

    await tick(bot)
    rounds = await database.run(lambda s: s.scalars(select(Round).order_by(Round.id)).all())
    assert len(rounds) == 2 and all(r.delivered_at is not None for r in rounds)
    posted = {c.path.split("/")[2] for c in standin.find("POST", r"/channels/\d+/messages", ok=True)}
    assert posted == {standin.channel_id, other_channel}
    assert {t["guild_id"] for t in standin.threads.values()} == {standin.guild_id, other_guild}

