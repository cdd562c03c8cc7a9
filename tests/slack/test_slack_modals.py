"""Buttons and modals: Answer (checked inline), Hint, Run on sample, Review; and the Home tab."""

import asyncio
import json

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_standin import TRIGGER_LIFE
from support import ANSWERS
from slack_steps import CHANNEL, TOKEN, answers, buttons_of, current_round, post_question, set_up_group, thread_reply
from sqlalchemy import select
from support import fixture_bank

from bot.store import Review


async def the_post(worker, standin, clock):
    await set_up_group(worker)
    round_ = await post_question(worker, clock)
    post = standin.to("chat.postMessage")[-1]
    return round_, post, buttons_of(post.json("blocks"))


def last_view(standin, method):
    return standin.to(method)[-1].json("view")


async def test_the_answer_modal_checks_its_input_inline_then_stores_the_answer(worker, standin, clock):
    round_, post, buttons = await the_post(worker, standin, clock)
    assert await worker.slack.click("UADA", buttons["study_answer"], message_ts=post.answer["ts"]) == 200
    await worker.settle()
    form = last_view(standin, "views.open")
    [field] = [b for b in form["blocks"] if b["type"] == "input"]
    assert form["callback_id"] == "study_answer" and field["element"]["type"] == "plain_text_input" and field["element"]["multiline"]

    for text, words in (("   ", "empty"), ("x" * 5000, "the limit is 4,000")):
        status, reply = await worker.slack.submit("UADA", form, {"answer": {"text": {"type": "plain_text_input", "value": text}}})
        assert status == 200 and reply["response_action"] == "errors" and words in reply["errors"]["answer"]
    await worker.settle()
    assert await answers(worker.study) == []

    right = ANSWERS[round_.question_id][0]
    status, reply = await worker.slack.submit("UADA", form, {"answer": {"text": {"type": "plain_text_input", "value": right}}})
    assert status == 200 and reply["response_action"] == "update"  # "Checking…" at once
    await worker.settle()
    [stored] = await answers(worker.study)
    assert (stored.via, stored.verdict, stored.round_id) == ("private", "correct", round_.id)
    verdict = last_view(standin, "views.update")
    assert "Correct" in str(verdict["blocks"]) and standin.to("views.update")[-1].params["view_id"] == "V1"
    assert standin.to("reactions.add") == []  # a private answer leaves no mark in the thread


async def test_hint_and_run_on_the_sample_answer_privately(worker, standin, clock):
    round_, post, buttons = await the_post(worker, standin, clock)
    await worker.slack.click("UBEN", buttons["study_hint"], message_ts=post.answer["ts"])
    await worker.settle()
    [hint] = standin.to("chat.postEphemeral")
    hints = fixture_bank().get(round_.question_id).hints
    expected = f"Hint 1 of {len(hints)}: {hints[0]}" if hints else "This question has no hints"
    assert hint.params["user"] == "UBEN" and hint.params["channel"] == CHANNEL and expected in hint.params["text"]

    await worker.slack.click("UBEN", buttons["study_run"], message_ts=post.answer["ts"])
    await worker.settle()
    form = last_view(standin, "views.open")
    status, reply = await worker.slack.submit("UBEN", form, {"sql": {"text": {"value": ""}}})
    assert reply["response_action"] == "errors" and "sql" in reply["errors"]
    status, reply = await worker.slack.submit("UBEN", form, {"sql": {"text": {"value": "SELECT 41 + 1 AS answer"}}})
    assert reply["response_action"] == "update"
    await worker.settle()
    result = str(last_view(standin, "views.update")["blocks"])
    assert "1 row on the sample" in result and "42" in result
    assert await answers(worker.study) == []  # a playground, never graded


async def test_review_in_a_modal_with_the_rubric_as_checkboxes(worker, standin, clock):
    round_, post, _ = await the_post(worker, standin, clock)
    await worker.slack.event(thread_reply("UADA", ANSWERS[round_.question_id][0], "1700000300.000001", round_.thread_ref))
    await worker.settle()
    clock.set(round_.reveal_at)
    await worker.bot.deliver(await worker.study.run_due())
    reveal = standin.to("chat.postMessage")[-1]
    assert reveal.params["thread_ts"] == round_.thread_ref

    await worker.slack.click("UBEN", buttons_of(reveal.json("blocks"))["study_review"], message_ts=reveal.answer["ts"], thread_ts=round_.thread_ref)
    await worker.settle()
    assert "Finding an answer" in str(last_view(standin, "views.open")["blocks"])  # opened at once, filled after
    form = last_view(standin, "views.update")
    assert form["callback_id"] == "study_review"
    boxes = [b for b in form["blocks"] if b["type"] == "input" and b["element"]["type"] == "checkboxes"]
    rubric = fixture_bank().get(round_.question_id).rubric
    assert len(boxes) == 1 and [o["value"] for o in boxes[0]["element"]["options"]] == [str(i) for i in range(1, len(rubric) + 1)]
    assert ANSWERS[round_.question_id][0][:40] in str(form["blocks"])  # Ada's answer is shown
    assert form["private_metadata"] and "comment" in [b.get("block_id") for b in form["blocks"]]

    everything = [{"value": o["value"]} for o in boxes[0]["element"]["options"]]
    values = {boxes[0]["block_id"]: {"points": {"type": "checkboxes", "selected_options": everything}},
              "comment": {"text": {"type": "plain_text_input", "value": "clear and right"}}}
    status, reply = await worker.slack.submit("UBEN", form, values, view_id="V1")
    assert status == 200 and reply["response_action"] == "update"
    await worker.settle()
    [review] = await worker.study.db.run(lambda s: s.scalars(select(Review)).all())
    assert (review.points_met, review.comment) == (list(range(len(rubric))), "clear and right")
    assert f"Review saved: {len(rubric)} of {len(rubric)}" in str(last_view(standin, "views.update")["blocks"])
    # The author hears about it privately.
    assert standin.to("conversations.open")[-1].params["users"] == "UADA"
    dm = standin.to("chat.postMessage")[-1]
    assert dm.params["channel"] == "DUADA" and "Ben reviewed your answer" in dm.params["text"] and "clear and right" in dm.params["text"]


async def test_the_home_tab_shows_the_members_streak_points_leaderboards_and_round(worker, standin, clock):
    round_, _, _ = await the_post(worker, standin, clock)
    await worker.slack.event(thread_reply("UADA", ANSWERS[round_.question_id][0], "1700000400.000001", round_.thread_ref))
    await worker.settle()
    assert await worker.slack.event({"type": "app_home_opened", "user": "UADA", "channel": "DHOME", "tab": "home", "event_ts": "1"}) == 200
    await worker.settle()
    [publish] = standin.to("views.publish")
    view = publish.json("view")
    text = str(view["blocks"])
    assert publish.params["user_id"] == "UADA" and view["type"] == "home" and len(view["blocks"]) <= 100
    assert "<#CSTUDY>" in text and "Streak" in text and "points all time" in text
    assert "This week" in text and "This month" in text and "Ada" in text
    assert "Current round" in text and "study_answer" in text

    # Someone with no group yet still gets a view that says what to do.
    await worker.slack.event({"type": "app_home_opened", "user": "UCY", "tab": "home", "event_ts": "2"})
    await worker.settle()
    other = standin.to("views.publish")[-1].json("view")
    assert "have not answered" in str(other["blocks"])
    assert (await current_round(worker.study)).id == round_.id


async def test_modals_open_within_the_triggers_life_while_users_info_is_rate_limited(worker, standin, clock):
    round_, post, buttons = await the_post(worker, standin, clock)
    # Slack answers users.info with a 429 longer than a trigger lives: whatever waits for it first opens too late.
    standin.fail("users.info", "ratelimited", status=429, retry_after=4, user="UBEN")
    standin.fail("users.info", "ratelimited", status=429, retry_after=4, user="UCY")
    await worker.slack.command("UBEN", "review", name="review")
    await worker.slack.click("UCY", {"action_id": "study_hint", "value": json.dumps({"round": round_.id, "channel": CHANNEL, "number": 1})})
    await worker.settle()
    opened = standin.to("views.open", ok=None)
    assert [c.answer["ok"] for c in opened] == [True, True], [c.answer for c in opened]
    for user, first_view in zip(("UBEN", "UCY"), opened):
        lookups = [c for c in standin.calls if c.method == "users.info" and c.params.get("user") == user]
        assert [c.status for c in lookups] == [429, 200]
        assert first_view.at < lookups[0].at  # the modal was open before anything else was asked
    filled = {c.params["view_id"]: json.dumps(c.json("view")) for c in standin.to("views.update")}
    assert "Peer review opens at the reveal" in filled[opened[0].answer["view"]["id"]]
    assert "Hint" in filled[opened[1].answer["view"]["id"]] and "Getting your hint" not in filled[opened[1].answer["view"]["id"]]


async def test_the_standin_expires_a_trigger_after_three_seconds(standin):
    client = AsyncWebClient(token=TOKEN, base_url=standin.api_url)
    trigger = standin.issue_trigger()
    await asyncio.sleep(TRIGGER_LIFE + 0.1)
    with pytest.raises(SlackApiError) as refused:
        await client.views_open(trigger_id=trigger, view={"type": "modal", "title": {"type": "plain_text", "text": "Late"}, "blocks": [{"type": "divider"}]})
    assert refused.value.response["error"] == "expired_trigger_id"
