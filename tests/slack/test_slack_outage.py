"""The database goes away: every answer and command is told plainly that nothing was saved,
nothing is acknowledged that was not stored, /healthz says so, and it all comes back."""

import asyncio
import socket

import aiohttp
import pg_cluster
import pytest
from support import ANSWERS, POSTGRES_REQUIRED, fixture_bank
from slack_steps import CHANNEL, answers, buttons_of, post_question, set_up_group, start_worker, thread_reply

from bot.store import Database
from bot.study import Study
from bot.study.core import UNAVAILABLE


@pytest.fixture
def unreachable():
    """A Database on a loopback port nobody listens on: every call raises DatabaseUnavailable."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    db = Database(f"postgresql+psycopg://postgres@127.0.0.1:{port}/test")
    yield db
    db.dispose()


async def health(worker) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(worker.server.make_url("/healthz")) as response:
        return response.status, await response.text()


async def test_while_the_database_is_away_members_hear_nothing_was_saved_and_it_recovers(worker, standin, clock, monkeypatch, unreachable):
    await set_up_group(worker)
    round_ = await post_question(worker, clock)
    post = standin.to("chat.postMessage")[-1]
    assert await health(worker) == (200, "ok")
    right = ANSWERS[round_.question_id][0]

    monkeypatch.setattr(worker.study.db, "call", unreachable.call)  # the database stops answering
    assert await health(worker) == (503, "database unavailable")
    for n, user in enumerate(("UADA", "UBEN", "UCY")):
        assert await worker.slack.event(thread_reply(user, right, f"1700000700.00000{n}", round_.thread_ref)) == 200
    status, _ = await worker.slack.command("UADA", "today", name="today")
    assert status == 200  # acknowledged, never a 404
    await worker.slack.click("UBEN", buttons_of(post.json("blocks"))["study_answer"], message_ts=post.answer["ts"])
    await worker.settle()
    form = standin.to("views.open")[-1].json("view")
    status, reply = await worker.slack.submit("UBEN", form, {"answer": {"text": {"type": "plain_text_input", "value": right}}})
    assert status == 200 and reply["response_action"] == "update"
    await worker.slack.event({"type": "app_home_opened", "user": "UCY", "tab": "home", "event_ts": "1"})
    await worker.settle()

    told = [c for c in standin.to("chat.postEphemeral") if UNAVAILABLE in c.params["text"]]
    assert sorted((c.params["user"], c.params["thread_ts"]) for c in told) == [(u, round_.thread_ref) for u in ("UADA", "UBEN", "UCY")]
    assert standin.to("reactions.add") == []  # no mark on what was not stored
    [today] = standin.responses("today")
    assert today.params["response_type"] == "ephemeral" and UNAVAILABLE in today.params["text"]
    assert UNAVAILABLE in str(standin.to("views.update")[-1].json("view"))
    assert UNAVAILABLE in str(standin.to("views.publish")[-1].json("view"))

    monkeypatch.undo()  # the database is back: nothing to restart
    assert await health(worker) == (200, "ok")
    assert await answers(worker.study) == []
    await worker.slack.event(thread_reply("UADA", right, "1700000700.000009", round_.thread_ref))
    await worker.settle()
    [stored] = await answers(worker.study)
    assert stored.message_ref == "1700000700.000009" and stored.verdict == "correct"
    assert [c.params["timestamp"] for c in standin.to("reactions.add")] == ["1700000700.000009"]
    assert standin.to("chat.postEphemeral")[-1].params["channel"] == CHANNEL


@pytest.mark.skipif(not pg_cluster.available() and not POSTGRES_REQUIRED, reason="no PostgreSQL binaries to start a cluster with")
async def test_a_real_server_outage_through_the_app_loses_nothing_it_acknowledged(checker, clock, standin):
    """Not a patched call: a PostgreSQL server of the test's own is stopped (`-m immediate`,
    every connection cut) while members answer in the thread, then started again."""
    cluster = await asyncio.to_thread(pg_cluster.Cluster)
    db = Database(cluster.url)
    db.upgrade()
    worker = await start_worker(Study(db, fixture_bank, checker, clock, platforms={"slack"}), standin)
    try:
        await set_up_group(worker)
        round_ = await post_question(worker, clock)
        right = ANSWERS[round_.question_id][0]
        await worker.slack.event(thread_reply("UADA", right, "1700000700.000001", round_.thread_ref))
        await worker.settle()

        await asyncio.to_thread(cluster.stop)
        assert await health(worker) == (503, "database unavailable")
        for n, user in enumerate(("UBEN", "UCY"), start=2):
            assert await worker.slack.event(thread_reply(user, right, f"1700000700.00000{n}", round_.thread_ref)) == 200
        await worker.settle()
        told = sorted(c.params["user"] for c in standin.to("chat.postEphemeral") if UNAVAILABLE in c.params["text"])
        assert told == ["UBEN", "UCY"]

        await asyncio.to_thread(cluster.start)  # the same process, no restart
        assert await health(worker) == (200, "ok")
        await worker.slack.event(thread_reply("UBEN", right, "1700000700.000009", round_.thread_ref))
        await worker.settle()
        stored = {a.message_ref for a in await answers(worker.study)}
        assert stored == {"1700000700.000001", "1700000700.000009"}  # what was acknowledged, and nothing else
        marked = {c.params["timestamp"] for c in standin.to("reactions.add")}
        assert marked == stored  # a mark only on what is stored
    finally:
        await worker.stop()
        db.dispose()
        await asyncio.to_thread(cluster.remove)
