"""Each member's own loop on Discord, against the stand-in: practice and self-review as
ephemeral replies with their components, a reminder and a mock report by DM."""

import datetime as dt
import json

import pytest
from standin import custom_ids
from support import practice_bank

from bot.study import Study

EPHEMERAL = 64


@pytest.fixture
def study(database, checker, clock):  # the practice bank: more categories and tags than the shared one
    return Study(database, practice_bank, checker, clock, platforms={"discord"})


def text_of(body: dict) -> str:
    data = body.get("data", body) or {}
    return json.dumps({k: data.get(k) for k in ("content", "embeds")}, ensure_ascii=False)


async def followup(standin, interaction):
    """The deferred reply's message: (its body, the stored message)."""
    [call] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{interaction['token']}")
    return call.body, standin.messages[call.result["id"]]


async def test_practice_and_self_review_are_private_with_their_components(bot, standin, people, group):
    asked = await standin.command(people.ada, "practice", {"topic": "product-metrics"})
    [deferred] = standin.callbacks(asked["id"])
    assert deferred["type"] == 5 and deferred["data"]["flags"] & EPHEMERAL
    body, message = await followup(standin, asked)
    assert body["flags"] & EPHEMERAL and "Practice: " in text_of(body) and "product-metrics" in text_of(body)
    [another] = custom_ids(body)
    assert another.startswith("studybot:practice-next:")

    # Another question from the reply's button: one, however often the click arrives.
    clicks = [await standin.click(people.ada, message, another) for _ in range(2)]
    shown = [text_of((await followup(standin, click))[0]) for click in clicks]
    titles = [text.split('"title": "')[1].split(" · ")[0] for text in shown]
    assert titles[0] == titles[1] != text_of(body).split('"title": "')[1].split(" · ")[0]
    assert ["Still open" in text for text in shown].count(True) == 1  # the clicks race: whichever comes second is told

    answered = await standin.command(people.ada, "answer", {"text": "Check the logging first, then segment the drop."})
    body, form = await followup(standin, answered)
    assert body["flags"] & EPHEMERAL and "Model answer: " + titles[0].removeprefix("Practice: ") in text_of(body)
    [mark] = custom_ids(body)
    assert mark.startswith("studybot:mark:")
    options = body["components"][0]["components"][0]["options"]
    assert [o["value"] for o in options] == ["1", "2", "3"] and options[0]["label"].startswith("1. ")
    picked = await standin.click(people.ada, form, mark, values=["1", "3"])
    saved, _ = await followup(standin, picked)
    assert saved["flags"] & EPHEMERAL and "Self-review saved: 2 of 3 rubric points met" in text_of(saved)
    assert not standin.find("POST", rf"/channels/{group}/messages")  # nothing of it reached the channel


async def test_a_reminder_and_a_mock_report_go_by_dm(bot, standin, people, group, tick, clock):
    asked = await standin.command(people.ada, "remind", {"setting": "on 10:00"})
    reply, _ = await followup(standin, asked)
    assert reply["flags"] & EPHEMERAL and "Reminders on at 10:00" in text_of(reply)
    await tick(bot)  # Monday 09:00 in Berlin: the post
    clock.set(clock.now + dt.timedelta(hours=1))
    await tick(bot)
    await tick(bot)  # the sweep runs again: still one reminder
    [dm] = standin.dms(people.ada)
    assert "Reminder: you have not answered" in dm["content"] and "Answer it to start a streak" in dm["content"]

    started = await standin.command(people.ada, "mock", {"track": "data-science", "minutes": 5})
    body, _ = await followup(standin, started)
    assert body["flags"] & EPHEMERAL and "Mock 1 of 4" in text_of(body) and "5 min left" in text_of(body)
    clock.set(clock.now + dt.timedelta(minutes=6))
    await tick(bot)
    reminder, report = standin.dms(people.ada)
    assert "Mock interview report: data-science" in text_of(report) and "Time was up" in text_of(report)
    assert "not answered" in text_of(report)
