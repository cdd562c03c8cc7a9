"""A day in a group on Discord: the scheduled post, answers by modal and in the thread, review."""

import asyncio
import json

from sqlalchemy import func, select
from standin import custom_ids

from bot.chat.discord.interactions import FAILED
from bot.chat.discord.platform import NO_CONTENT_NOTE
from bot.store import Answer, HintUse, Review

EPHEMERAL = 64


def text_of(body: dict) -> str:
    data = body.get("data", body) or {}
    return json.dumps({k: data.get(k) for k in ("content", "embeds")}, ensure_ascii=False)


async def answers(database):
    return await database.run(lambda s: s.scalars(select(Answer).order_by(Answer.id)).all())


async def open_modal(standin, user, message, custom_id):
    """Click a button that opens a modal; returns the modal Discord would show."""
    click = await standin.click(user, message, custom_id)
    [callback] = standin.callbacks(click["id"])
    assert callback["type"] == 9  # MODAL
    return callback["data"]


def inputs(modal):
    return [c for row in modal["components"] for c in row["components"]]


async def test_a_scheduled_post_is_an_embed_with_a_thread_and_buttons(bot, standin, group, tick, today):
    await tick(bot)
    round_, question = await today()
    [post] = standin.find("POST", rf"/channels/{group}/messages", ok=True)
    [embed] = post.body["embeds"]
    assert embed["title"].startswith(question.title) and question.prompt.strip()[:40] in embed["description"]
    assert "```sql\n" + question.schema_sql.strip().splitlines()[0] in embed["description"]  # the schema as code
    assert "(sample)**\n```\n" in embed["description"]  # the sample as a code-block table
    stamp = int(round_.reveal_at.timestamp())  # the reveal in each reader's own zone, and how far off
    assert f"Reveal: <t:{stamp}:f> (<t:{stamp}:R>)." in post.body["embeds"][-1]["description"]
    assert custom_ids(post.body) == [f"studybot:answer:{round_.id}", f"studybot:hint:{round_.id}:1", f"studybot:run:{round_.id}"]
    [thread] = standin.find("POST", rf"/channels/{group}/messages/{post.result['id']}/threads", ok=True)
    assert thread.body["name"] == question.title and thread.body["auto_archive_duration"] == 1440
    assert (round_.message_ref, round_.thread_ref) == (post.result["id"], thread.result["id"])
    assert not standin.find("POST", rf"/channels/{thread.result['id']}/messages")  # the intent is granted: no note


async def test_a_sql_answer_through_the_modal_is_stored_and_the_verdict_is_private(bot, standin, people, group, tick, today, database):
    await tick(bot)
    round_, question = await today()
    post = standin.messages[round_.message_ref]
    modal = await open_modal(standin, people.ada, post, f"studybot:answer:{round_.id}")
    [field] = inputs(modal)
    assert field["style"] == 2 and field["max_length"] == 4000  # a paragraph

    submitted = await standin.submit(people.ada, modal, {field["custom_id"]: question.solution})
    [deferred] = standin.callbacks(submitted["id"])
    assert deferred["type"] == 5 and deferred["data"]["flags"] & EPHEMERAL  # acknowledged before the check runs
    [verdict] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{submitted['token']}")
    assert "Correct" in text_of(verdict.body)

    [stored] = await answers(database)
    assert (stored.round_id, stored.via, stored.verdict, stored.text) == (round_.id, "private", "correct", question.solution)
    assert not standin.find("PUT", r".*/reactions/.*")  # a private answer leaves no trace in the thread


async def test_a_thread_answer_is_marked_and_its_verdict_sent_by_dm(bot, standin, people, group, tick, today, database):
    await tick(bot)
    round_, question = await today()
    wrong = question.wrong_answers[0].sql
    message = await standin.post_in_thread(people.ben, round_.thread_ref, f"my try:\n```postgresql\n{wrong}\n```")
    [reaction] = await standin.wait_for("PUT", rf"/channels/{round_.thread_ref}/messages/{message['id']}/reactions/.+/@me")
    assert reaction.path.split("/")[-2] == "📝"  # received: right or wrong stays private until the reveal
    await standin.wait_for("POST", r"/channels/\d+/messages", count=2)  # the post, then the DM
    [dm] = standin.dms(people.ben)
    assert "Not yet" in text_of(dm)

    [stored] = await answers(database)
    assert (stored.via, stored.dialect, stored.message_ref, stored.verdict) == ("thread", "postgres", message["id"], "incorrect")
    assert not any(c.path.startswith(f"/channels/{round_.thread_ref}/messages") and c.method == "POST" for c in standin.calls)

    # A reply to someone in the thread is discussion, not an answer; a message of its own is one.
    await standin.post_in_thread(people.cy, round_.thread_ref, "why ```postgresql```?", reply_to=message["id"])
    own = await standin.post_in_thread(people.cy, round_.thread_ref, question.solution)
    await standin.wait_for("PUT", rf".*/messages/{own['id']}/reactions/📝/@me")
    assert not standin.find("PUT", r".*/reactions/(✅|❌)/@me")
    assert [(a.message_ref, a.verdict) for a in await answers(database)] == [(message["id"], "incorrect"), (own["id"], "correct")]


async def test_a_thread_message_delivered_twice_is_answered_once(bot, standin, people, group, tick, today, database, handled):
    await tick(bot)
    round_, question = await today()
    message = await standin.post_in_thread(people.ada, round_.thread_ref, question.solution)
    await asyncio.wait_for(handled.get(), 60)
    await standin.redeliver(message)  # as after a gateway resume
    await asyncio.wait_for(handled.get(), 60)
    assert len(standin.find("PUT", r".*/reactions/.+/@me")) == 1
    assert len(standin.dms(people.ada)) == 1
    assert [a.message_ref for a in await answers(database)] == [message["id"]]


async def test_a_failure_behind_a_button_or_a_form_is_told_privately(bot, standin, people, group, tick, today, study, monkeypatch):
    await tick(bot)
    round_, _ = await today()

    async def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(study, "hint", broken)
    monkeypatch.setattr(study, "answer", broken)
    post = standin.messages[round_.message_ref]
    clicked = await standin.click(people.ada, post, f"studybot:hint:{round_.id}:1")
    [deferred] = standin.callbacks(clicked["id"])
    assert deferred["type"] == 5 and deferred["data"]["flags"] & EPHEMERAL
    [reply] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{clicked['token']}")
    assert reply.body["flags"] & EPHEMERAL and FAILED in text_of(reply.body)

    modal = await open_modal(standin, people.ada, post, f"studybot:answer:{round_.id}")
    [field] = inputs(modal)
    submitted = await standin.submit(people.ada, modal, {field["custom_id"]: "SELECT 1"})
    [deferred] = standin.callbacks(submitted["id"])
    assert deferred["type"] == 5  # "thinking…" until the failure is told, not forever
    [told] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{submitted['token']}")
    assert FAILED in text_of(told.body)


async def test_without_the_message_content_intent_the_thread_says_so_once(running, standin, people, tick, today, database):
    bot = await running.start(message_content=False)
    assert standin.identified[-1]["intents"] & (1 << 15) == 0
    settings = {"time": "09:00", "timezone": "Europe/Berlin", "categories": "sql"}
    await standin.reply(await standin.command(people.admin, "setup", settings, admin=True))
    await tick(bot)
    round_, _ = await today()
    [note] = standin.find("POST", rf"/channels/{round_.thread_ref}/messages", ok=True)
    assert note.body["content"] == NO_CONTENT_NOTE
    # Discord sends thread messages without content: nothing is stored, nothing is said again.
    await standin.post_in_thread(people.ada, round_.thread_ref, "")
    await standin.command(people.ada, "help")
    await tick(bot)
    assert await answers(database) == []
    assert len(standin.find("POST", rf"/channels/{round_.thread_ref}/messages")) == 1


async def test_review_from_the_reveal_button_with_points_and_a_comment(bot, standin, people, group, tick, today, clock, database):
    await tick(bot)
    round_, question = await today()
    await standin.post_in_thread(people.ada, round_.thread_ref, question.solution)
    await standin.wait_for("PUT", r".*/reactions/.+/@me")
    clock.set(round_.reveal_at)
    await tick(bot)
    [reveal] = standin.find("POST", rf"/channels/{round_.thread_ref}/messages", ok=True)
    assert reveal.body["embeds"][0]["title"] == f"Answer: {question.title}"
    assert custom_ids(reveal.body) == [f"studybot:review:{round_.id}"]

    # Ben: the form, two points picked, submitted.
    click = await standin.click(people.ben, reveal.result, f"studybot:review:{round_.id}")
    [deferred] = standin.callbacks(click["id"])
    assert deferred["type"] == 5 and deferred["data"]["flags"] & EPHEMERAL  # acknowledged before the database is asked
    [form] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{click['token']}")
    assert form.body["flags"] & EPHEMERAL and "Review answer #" in text_of(form.body)
    form_message = standin.messages[form.result["id"]]
    select_id, submit_id, comment_id = custom_ids(form.body)
    options = form.body["components"][0]["components"][0]["options"]
    assert [o["value"] for o in options] == [str(i) for i in range(1, len(question.rubric) + 1)] and options[0]["label"] == f"1. {question.rubric[0]}"[:100]
    picked = await standin.click(people.ben, form_message, select_id, values=["1", "3"])
    [updated] = standin.callbacks(picked["id"])
    assert updated["type"] == 7  # the form itself keeps the picks (no memory to lose)
    assert custom_ids(form_message)[1] != submit_id  # Submit now carries the points
    submitted = await standin.click(people.ben, form_message, custom_ids(form_message)[1])
    await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{submitted['token']}")
    size = len(question.rubric)
    [saved] = standin.find("POST", rf"/webhooks/{standin.application_id}/{submitted['token']}", ok=True)
    assert f"Review saved: 2 of {size} points met" in text_of(saved.body)

    # Cy: no points, a comment through the modal.
    click = await standin.click(people.cy, reveal.result, f"studybot:review:{round_.id}")
    [form] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{click['token']}")
    form_message = standin.messages[form.result["id"]]
    modal = await open_modal(standin, people.cy, form_message, custom_ids(form_message)[2])
    [field] = inputs(modal)
    submitted = await standin.submit(people.cy, modal, {field["custom_id"]: "clear and correct"}, message=form_message)
    [saved] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{submitted['token']}")
    assert f"Review saved: 0 of {size} points met" in text_of(saved.body)

    reviews = await database.run(lambda s: s.execute(select(Review.points_met, Review.comment).order_by(Review.id)).all())
    assert [tuple(r) for r in reviews] == [([0, 2], None), ([], "clear and correct")]
    await standin.wait_for("POST", r"/channels/\d+/messages", count=5)
    told = [text_of(dm) for dm in standin.dms(people.ada)]
    assert any("ben reviewed your answer" in t and f"2 of {size}" in t for t in told)
    assert any("cy reviewed your answer" in t and "clear and correct" in t for t in told)


async def test_yesterdays_answer_button_still_answers_its_round(running, standin, people, tick, today, clock, database):
    monday_bot = await running.start()
    await standin.reply(await standin.command(people.admin, "setup", {"time": "09:00", "timezone": "Europe/Berlin", "categories": "sql"}, admin=True))
    await tick(monday_bot)
    monday, question = await today()
    # A restart overnight: a new client, a new gateway session; no view of Monday's post survives in memory.
    await running.stop(monday_bot)
    tuesday_bot = await running.start()
    assert tuesday_bot is not monday_bot and monday_bot.is_closed() and len(standin.identified) == 2
    clock.advance(days=1)
    await tick(tuesday_bot)
    tuesday, _ = await today()
    assert tuesday.id != monday.id
    modal = await open_modal(standin, people.ada, standin.messages[monday.message_ref], f"studybot:answer:{monday.id}")
    [field] = inputs(modal)
    submitted = await standin.submit(people.ada, modal, {field["custom_id"]: question.solution})
    [verdict] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{submitted['token']}")
    assert "late" in text_of(verdict.body)
    [stored] = await answers(database)
    assert (stored.round_id, stored.late) == (monday.id, True)
    counted = await database.run(lambda s: s.scalar(select(func.count()).select_from(Answer).where(Answer.round_id == tuesday.id)))
    assert counted == 0

    # Yesterday's Hint button answers too, from the new client.
    hinted = await standin.click(people.ben, standin.messages[monday.message_ref], f"studybot:hint:{monday.id}:1")
    [followup] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{hinted['token']}")
    hint = followup.body
    assert hint["flags"] & EPHEMERAL
    # ...with Monday's question's hint, counted on Monday's round, not today's.
    assert (question.hints[0][:60] if question.hints else "This question has no hints") in text_of(hint)
    used = await database.run(lambda s: s.scalars(select(HintUse.round_id)).all())
    assert used == ([monday.id] if question.hints else [])
