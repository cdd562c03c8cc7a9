"""Forms outlive the process that showed them: a typed answer is never lost."""

import json

from sqlalchemy import select

from bot.store import Answer, Review

EPHEMERAL = 64


def text_of(body: dict) -> str:
    data = body.get("data", body) or {}
    return json.dumps({k: data.get(k) for k in ("content", "embeds")}, ensure_ascii=False)


def inputs(modal):
    return [c for row in modal["components"] for c in row["components"]]


async def set_up(running, standin, people, tick):
    bot = await running.start()
    await standin.reply(await standin.command(people.admin, "setup", {"time": "09:00", "timezone": "Europe/Berlin", "categories": "sql"}, admin=True))
    await tick(bot)
    return bot


async def test_an_answer_form_submitted_after_a_restart_is_stored_and_acknowledged(running, standin, people, tick, today, database):
    first = await set_up(running, standin, people, tick)
    round_, question = await today()
    click = await standin.click(people.ada, standin.messages[round_.message_ref], f"studybot:answer:{round_.id}")
    [modal] = standin.callbacks(click["id"])
    assert modal["type"] == 9 and modal["data"]["custom_id"] == f"studybot:answer-form:{round_.id}"
    # Nothing of the form is held in memory, so nothing can expire there (discord.py's 15 minutes).
    assert first._connection._view_store._modals == {}

    await running.stop(first)  # the member types while the bot restarts
    await running.start()
    [field] = inputs(modal["data"])
    submitted = await standin.submit(people.ada, modal["data"], {field["custom_id"]: question.solution})
    [deferred] = standin.callbacks(submitted["id"])
    assert deferred["type"] == 5 and deferred["data"]["flags"] & EPHEMERAL
    [verdict] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{submitted['token']}")
    assert "Correct" in text_of(verdict.body)
    [stored] = await database.run(lambda s: s.scalars(select(Answer)).all())
    assert (stored.round_id, stored.text, stored.verdict) == (round_.id, question.solution, "correct")


async def test_a_run_form_and_a_review_begun_before_a_restart_still_work(running, standin, people, tick, today, clock, database):
    first = await set_up(running, standin, people, tick)
    round_, question = await today()
    run = await standin.click(people.ben, standin.messages[round_.message_ref], f"studybot:run:{round_.id}")
    [run_form] = standin.callbacks(run["id"])
    await standin.post_in_thread(people.ada, round_.thread_ref, question.solution)
    await standin.wait_for("PUT", r".*/reactions/.+/@me")
    clock.set(round_.reveal_at)
    await tick(first)
    [reveal] = standin.find("POST", rf"/channels/{round_.thread_ref}/messages", ok=True)
    click = await standin.click(people.ben, reveal.result, f"studybot:review:{round_.id}")
    [form] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{click['token']}")
    form_message = standin.messages[form.result["id"]]
    select_id = form.body["components"][0]["components"][0]["custom_id"]
    await standin.click(people.ben, form_message, select_id, values=["2"])

    await running.stop(first)
    await running.start()
    [field] = inputs(run_form["data"])
    ran = await standin.submit(people.ben, run_form["data"], {field["custom_id"]: "SELECT 41 + 1 AS answer"})
    [result] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{ran['token']}")
    assert "42" in text_of(result.body)

    submit_id = [c["custom_id"] for c in form_message["components"][1]["components"]][0]
    submitted = await standin.click(people.ben, form_message, submit_id)
    [saved] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{submitted['token']}")
    assert f"Review saved: 1 of {len(question.rubric)} points met" in text_of(saved.body)
    [review] = await database.run(lambda s: s.scalars(select(Review)).all())
    assert review.points_met == [1]
