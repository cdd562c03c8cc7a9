"""Each member's own loop on Slack, against the Web API stand-in: practice and self-review
as ephemeral replies (their buttons working), a reminder and a mock report by DM."""

import datetime as dt

import pytest
from slack_steps import MONDAY_POST, buttons_of, set_up_group, start_worker
from support import practice_bank

from bot.study import Study


@pytest.fixture
async def worker(database, checker, clock, standin):  # the practice bank: more categories and tags than the shared one
    started = await start_worker(Study(database, practice_bank, checker, clock, platforms={"slack"}), standin)
    yield started
    await started.stop()


async def command(worker, standin, user, text):
    """Run `/study …` and return its response_url reply."""
    before = len(standin.to("respond"))
    status, _ = await worker.slack.command(user, text)
    assert status == 200
    await worker.settle()
    return standin.to("respond")[before]


async def test_practice_and_self_review_are_ephemeral_and_their_buttons_work(worker, standin):
    await set_up_group(worker)
    reply = await command(worker, standin, "UADA", "practice product-metrics")
    assert reply.params["response_type"] == "ephemeral" and reply.params["text"].startswith("*Practice: ")
    buttons = buttons_of(reply.json("blocks"))
    assert set(buttons) == {"study_practice-next"}
    first = reply.params["text"].split(" · ")[0]

    # Another question, from the button: shown to Ada alone.
    await worker.slack.click("UADA", buttons["study_practice-next"], message_ts="1.1")
    await worker.settle()
    [shown] = standin.to("chat.postEphemeral")
    assert shown.params["user"] == "UADA" and shown.params["text"].startswith("*Practice: ") and shown.params["text"].split(" · ")[0] != first

    answered = await command(worker, standin, "UADA", "answer Check the logging first, then segment the drop.")
    assert answered.params["response_type"] == "ephemeral" and "*Model answer: " in answered.params["text"]
    assert "/study practice mark " in str(answered.json("blocks"))
    marked = await command(worker, standin, "UADA", "practice mark 1,2")
    assert "Self-review saved: 2 of 3 rubric points met" in marked.params["text"]
    assert not standin.to("chat.postMessage")  # nothing of it in the channel


async def test_a_reminder_and_a_mock_report_go_by_dm(worker, standin, clock):
    await set_up_group(worker)
    on = await command(worker, standin, "UADA", "remind on 10:00")
    assert "Reminders on at 10:00" in on.params["text"]
    clock.set(MONDAY_POST)
    await worker.bot.deliver(await worker.study.run_due())  # the post
    clock.set(MONDAY_POST + dt.timedelta(hours=1))
    for _ in range(2):  # the sweep twice: one reminder
        await worker.bot.deliver(await worker.study.run_due())
    [opened] = standin.to("conversations.open")
    assert opened.params["users"] == "UADA"
    [dm] = [c for c in standin.to("chat.postMessage") if c.params["channel"] == "DUADA"]
    assert "Reminder: you have not answered" in dm.params["text"]

    started = await command(worker, standin, "UADA", "mock data-science 5")
    assert started.params["response_type"] == "ephemeral" and "Mock 1 of 4" in started.params["text"]
    clock.set(clock.now + dt.timedelta(minutes=6))
    await worker.bot.deliver(await worker.study.run_due())
    reminder, report = [c for c in standin.to("chat.postMessage") if c.params["channel"] == "DUADA"]
    assert "Mock interview report: data-science" in report.params["text"] and "Time was up" in str(report.json("blocks"))
