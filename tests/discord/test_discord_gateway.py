"""The gateway drops, resumes and reconnects as Discord's does; REST answers 5xx; two shards.

Nothing a member sent while the bot was away is lost or taken twice, and every command
after a reconnect is answered in time.
"""

import asyncio
import json

import pytest
from sqlalchemy import select

from bot.chat.discord import threads
from bot.chat.discord.client import StudyClient
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
        bot, standin, people, group, tick, today, database, monkeypatch):
    await tick(bot)
    round_, question = await today()
    handled = asyncio.Queue()
    take_answer = threads.take_answer

    async def taking(client, message):
        await take_answer(client, message)
        handled.put_nowait(message.id)

    monkeypatch.setattr(threads, "take_answer", taking)
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


@pytest.mark.parametrize("away", ["reconnect", "invalid-session-resumable", "dropped-socket"])
async def test_a_command_sent_while_the_gateway_reconnects_is_answered_in_time(bot, standin, people, group, away):
    if away == "reconnect":
        await standin.reconnect()
    elif away == "invalid-session-resumable":
        await standin.invalidate(resumable=True)
    else:
        standin.drop_socket()
    asked = await standin.command(people.ada, "help")  # dispatched while the bot is away
    [answer] = standin.callbacks(asked["id"])  # the fixture checks it came within Discord's 3 seconds (no 10062)
    assert "/study" in text_of(answer)
    assert len(standin.identified) == 1 and [r["replayed"][-1:] for r in standin.resumes] == [["INTERACTION_CREATE"]]


@pytest.mark.parametrize("ended", ["invalid-session", "session-expired"])
async def test_after_an_invalid_session_the_bot_identifies_again_and_keeps_serving(bot, standin, people, group, ended):
    if ended == "invalid-session":
        await standin.invalidate(resumable=False)
    else:  # the bot comes back too late: its RESUME is answered INVALID_SESSION
        standin.drop_socket(expire=True)
    await standin.until(lambda: len(standin.identified) == 2 and standin.sessions[-1].socket is not None)
    assert standin.identified[1]["shard"] == standin.identified[0]["shard"] == [0, 1]
    if ended == "session-expired":
        assert [r["replayed"] for r in standin.resumes] == [[]]  # refused: nothing replayed
    asked = await standin.command(people.ada, "help")
    [answer] = standin.callbacks(asked["id"])
    assert "/study" in text_of(answer)
