"""A round on Slack: the daily post in Block Kit, answers in its thread, the reveal, retries."""

import json

from support import ANSWERS
from slack_steps import CHANNEL, answers, buttons_of, current_round, post_question, set_up_group, thread_reply

from bot.chat.slack.blocks import MESSAGE_BLOCKS, SECTION_CHARS


def section_texts(blocks):
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


async def test_the_daily_post_is_block_kit_with_a_thread_and_the_reveal_goes_into_it(worker, standin, clock):
    await set_up_group(worker)
    round_ = await post_question(worker, clock)
    [post] = standin.to("chat.postMessage")
    blocks = post.json("blocks")
    assert post.params["channel"] == CHANNEL and "thread_ts" not in post.params
    assert blocks[0]["type"] == "header" and "· sql ·" in blocks[0]["text"]["text"]  # title · category · difficulty
    texts = section_texts(blocks)
    assert any(t.startswith("```") and "CREATE TABLE" in t for t in texts)  # the schema in a code block
    assert any("(sample)" in t and "```" in t for t in texts)  # the sample as a table in a code block
    context = [b for b in blocks if b["type"] == "context"]
    assert context and "Reveal:" in context[-1]["elements"][0]["text"]
    buttons = buttons_of(blocks)
    assert set(buttons) == {"study_answer", "study_hint", "study_run"}
    assert json.loads(buttons["study_answer"]["value"]) == {"round": round_.id, "channel": CHANNEL}
    assert len(blocks) <= MESSAGE_BLOCKS and all(len(t) <= SECTION_CHARS for t in texts)
    # The post's ts is the round's thread.
    ts = post.answer["ts"]
    assert (round_.message_ref, round_.thread_ref) == (ts, ts) and round_.delivered_at is not None

    clock.set(round_.reveal_at)
    await worker.bot.deliver(await worker.study.run_due())
    reveal = standin.to("chat.postMessage")[-1]
    assert reveal.params["thread_ts"] == ts and reveal.params["channel"] == CHANNEL
    assert set(buttons_of(reveal.json("blocks"))) == {"study_review"}
    assert (await current_round(worker.study)).reveal_delivered_at is not None


async def test_a_thread_reply_is_an_answer_marked_with_a_reaction_and_a_private_verdict(worker, standin, clock):
    await set_up_group(worker)
    round_ = await post_question(worker, clock)
    right, wrong = ANSWERS[round_.question_id]
    thread = round_.thread_ref

    # Slack escapes < > & in message text; the answer is the query as typed.
    await worker.slack.event(thread_reply("UADA", f"```{wrong}```", "1700000100.000001", thread))
    await worker.settle()  # a member's messages come one after the other
    await worker.slack.event(thread_reply("UADA", f"SELECT * FROM ({right}) AS t WHERE 1 &lt; 2", "1700000100.000002", thread))
    await worker.settle()
    stored = await answers(worker.study)
    assert [(a.revision, a.verdict, a.via, a.message_ref) for a in stored] == [
        (1, "incorrect", "thread", "1700000100.000001"),
        (2, "correct", "thread", "1700000100.000002"),
    ]
    assert {(c.params["timestamp"], c.params["name"]) for c in standin.to("reactions.add")} == {
        ("1700000100.000001", "memo"), ("1700000100.000002", "memo"),  # received: the verdict is private until the reveal
    }
    verdicts = standin.to("chat.postEphemeral")
    assert [(v.params["user"], v.params["channel"], v.params["thread_ts"]) for v in verdicts] == [("UADA", CHANNEL, thread)] * 2
    assert verdicts[0].params["text"].startswith("Not yet") and "(revision 1)" in verdicts[0].params["text"]
    assert verdicts[1].params["text"].startswith("Correct") and "(revision 2)" in verdicts[1].params["text"]

    # Not answers: another thread, a top-level message, a bot, an edit.
    await worker.slack.event(thread_reply("UBEN", right, "1700000100.000003", "1699999999.000001"))
    await worker.slack.event({**thread_reply("UBEN", right, "1700000100.000004", thread), "thread_ts": None})
    await worker.slack.event({**thread_reply("UBEN", right, "1700000100.000005", thread), "bot_id": "B2"})
    await worker.slack.event({**thread_reply("UBEN", right, "1700000100.000006", thread), "subtype": "message_changed"})
    await worker.settle()
    assert len(await answers(worker.study)) == 2


async def test_slacks_retry_of_an_event_is_stored_once(worker, standin, clock):
    await set_up_group(worker)
    round_ = await post_question(worker, clock)
    event = thread_reply("UBEN", ANSWERS[round_.question_id][0], "1700000200.000001", round_.thread_ref)
    assert await worker.slack.event(event, event_id="EvRETRY") == 200
    assert await worker.slack.event(event, event_id="EvRETRY", retry=1) == 200
    assert await worker.slack.event(event, event_id="EvRETRY", retry=2) == 200
    await worker.settle()
    assert [(a.revision, a.message_ref) for a in await answers(worker.study)] == [(1, "1700000200.000001")]
    assert len(standin.to("reactions.add")) == 1 and len(standin.to("chat.postEphemeral")) == 1


def edit_event(user: str, text: str, before: str, ts: str, thread: str, edited_ts: str | None) -> dict:
    message = {"type": "message", "user": user, "text": text, "ts": ts, "thread_ts": thread}
    if edited_ts:
        message["edited"] = {"user": user, "ts": edited_ts}
    return {
        "type": "message", "subtype": "message_changed", "hidden": True, "channel": CHANNEL, "channel_type": "channel",
        "message": message, "previous_message": {**message, "text": before}, "ts": edited_ts or "1700000999.000001", "event_ts": edited_ts or "1",
    }


async def test_an_edit_before_the_reveal_is_a_revision_and_after_it_changes_nothing(worker, standin, clock):
    await set_up_group(worker)
    round_ = await post_question(worker, clock)
    right, wrong = ANSWERS[round_.question_id]
    thread, ts = round_.thread_ref, "1700000800.000001"
    await worker.slack.event(thread_reply("UADA", wrong, ts, thread))
    await worker.settle()
    edit = edit_event("UADA", right, wrong, ts, thread, "1700000810.000001")
    await worker.slack.event(edit, event_id="EvEDIT")
    await worker.slack.event(edit, event_id="EvEDIT-other-worker")  # the same edit delivered twice
    await worker.slack.event(edit_event("UADA", right, right, ts, thread, None))  # an unfurl, not an edit
    await worker.settle()
    stored = await answers(worker.study)
    assert [(a.revision, a.verdict, a.message_ref) for a in stored] == [(1, "incorrect", ts), (2, "correct", f"{ts}~1700000810.000001")]
    assert "(revision 2)" in standin.to("chat.postEphemeral")[-1].params["text"]

    clock.set(round_.reveal_at)
    await worker.bot.deliver(await worker.study.run_due())
    await worker.slack.event(edit_event("UADA", wrong, right, ts, thread, "1700000820.000001"))
    await worker.settle()
    assert len(await answers(worker.study)) == 2
    assert "edit does not count" in standin.to("chat.postEphemeral")[-1].params["text"]


async def test_history_links_to_each_rounds_thread(worker, standin, clock):
    await set_up_group(worker)
    round_ = await post_question(worker, clock)
    await worker.slack.command("UADA", "history", name="history")
    await worker.settle()
    [history] = standin.responses("history")
    shown = json.dumps(history.json("blocks"))
    permalink = f"https://t1.slack.com/archives/{CHANNEL}/p{round_.thread_ref.replace('.', '')}"
    assert f"<{permalink}|thread>" in shown and round_.thread_ref not in shown.replace(round_.thread_ref.replace(".", ""), "")
    [asked] = standin.to("chat.getPermalink")
    assert asked.params["message_ts"] == round_.thread_ref
