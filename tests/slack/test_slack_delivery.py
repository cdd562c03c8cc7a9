"""Posting through the Slack platform: rate limits, a lost channel, the digest's chart, Slack's size limits."""

import datetime as dt
import json

from slack_steps import CHANNEL, MONDAY_POST, current_round, post_question, set_up_group
from sqlalchemy import select

from bot.chat.slack.blocks import MESSAGE_BLOCKS, MESSAGE_CHARS, SECTION_CHARS, message, render
from bot.schedule import ChannelGone, RetryLater
from bot.store import Group
from bot.study import Button, Code, Outbound, Reply, TableBlock


async def test_a_429_is_retried_after_retry_after_and_the_post_happens_once(worker, standin, clock):
    await set_up_group(worker)
    standin.fail("chat.postMessage", "ratelimited", status=429, retry_after=2)
    round_ = await post_question(worker, clock)
    attempts = standin.to("chat.postMessage", ok=None)
    assert [(a.status, a.params["channel"]) for a in attempts] == [(429, CHANNEL), (200, CHANNEL)]
    assert attempts[1].at - attempts[0].at >= 2  # it waited as told (without the header it waits 1-2 s)
    assert len(standin.to("chat.postMessage")) == 1
    assert round_.message_ref == attempts[1].answer["ts"] and round_.delivered_at is not None
    assert await worker.study.undelivered(older_than=dt.timedelta(0)) == []


async def test_a_rate_limit_that_outlasts_the_client_retries_is_retry_later(worker, standin):
    standin.fail("chat.postMessage", "ratelimited", status=429, retry_after=0, times=None)
    post = Outbound(1, "slack", CHANNEL, "notice", Reply(text="hello"))
    try:
        await worker.bot.platform.send(post, None)
    except RetryLater as error:
        assert error.retry_after == 0
    else:
        raise AssertionError("a post Slack kept refusing was reported as sent")
    assert len(standin.to("chat.postMessage", ok=None)) == 3  # the first try and the client's two retries


async def test_an_archived_channel_pauses_the_group_and_tells_its_owners_once(worker, standin, clock):
    await set_up_group(worker)
    standin.fail("chat.postMessage", "is_archived", times=None, channel=CHANNEL)
    await post_question(worker, clock)
    group = await worker.study.db.run(lambda s: s.scalar(select(Group)))
    assert group.lost_at is not None and group.paused_until.year == 9999
    [dm] = standin.to("chat.postMessage")
    assert dm.params["channel"] == "DUOLGA" and "can no longer post" in dm.params["text"]

    clock.set(MONDAY_POST + dt.timedelta(days=1))  # the next day: no post, no second notice
    await worker.bot.deliver(await worker.study.run_due() + await worker.study.undelivered())
    assert len(standin.to("chat.postMessage")) == 1
    assert (await current_round(worker.study)).delivered_at is None


async def test_permanent_and_transient_errors_are_told_apart(worker, standin):
    post = Outbound(1, "slack", CHANNEL, "notice", Reply(text="hello"))
    cases = [
        ("channel_not_found", 200, ChannelGone), ("not_in_channel", 200, ChannelGone), ("token_revoked", 200, ChannelGone),
        ("account_inactive", 200, ChannelGone), ("missing_scope", 200, ChannelGone), ("some_new_refusal", 200, ChannelGone),
        ("internal_error", 500, RetryLater), ("service_unavailable", 200, RetryLater), ("fatal_error", 200, RetryLater),
    ]
    for error, status, expected in cases:
        standin.fail("chat.postMessage", error, status=status)
        try:
            await worker.bot.platform.send(post, None)
        except (ChannelGone, RetryLater) as raised:
            assert isinstance(raised, expected), (error, raised)
        else:
            raise AssertionError(f"{error} was reported as sent")
    assert len(standin.to("chat.postMessage", ok=None)) == len(cases)  # one call each: nothing retried in a loop


async def test_a_bot_removed_from_the_channel_pauses_the_group_once_and_its_owner_hears_what_to_do(worker, standin, clock):
    await set_up_group(worker)
    standin.world.channel("T1", CHANNEL).bot = False  # someone removed studybot from the channel
    await post_question(worker, clock)
    tries = [c for c in standin.to("chat.postMessage", ok=None) if c.params["channel"] == CHANNEL]
    assert [c.answer["error"] for c in tries] == ["not_in_channel"]  # once, not five times
    group = await worker.study.db.run(lambda s: s.scalar(select(Group)))
    assert group.lost_at is not None and group.paused_until.year == 9999
    [dm] = standin.to("chat.postMessage")
    assert dm.params["channel"] == "DUOLGA" and "/invite @studybot" in dm.params["text"] and "/study resume" in dm.params["text"]

    sent = len(standin.calls)
    for day in (1, 2):  # later sweeps: nothing is tried again, nobody is told twice
        clock.set(MONDAY_POST + dt.timedelta(days=day))
        await worker.bot.deliver(await worker.study.run_due() + await worker.study.undelivered())
    assert standin.calls[sent:] == []


async def test_a_revoked_token_pauses_the_group_once_without_retrying(worker, standin, clock):
    await set_up_group(worker)
    standin.world.revoke("T1")
    await post_question(worker, clock)
    refused = standin.to("chat.postMessage", ok=False)
    assert [c.answer["error"] for c in refused] == ["token_revoked"]
    assert [c.answer["error"] for c in standin.to("conversations.open", ok=False)] == ["token_revoked"]  # the owner cannot be told in Slack
    group = await worker.study.db.run(lambda s: s.scalar(select(Group)))
    assert group.lost_at is not None
    sent = len(standin.calls)
    clock.set(MONDAY_POST + dt.timedelta(days=1))
    await worker.bot.deliver(await worker.study.run_due() + await worker.study.undelivered())
    assert standin.calls[sent:] == []


async def test_blocks_slack_refuses_go_again_as_plain_text(worker, standin, clock):
    await set_up_group(worker)
    standin.fail("chat.postMessage", "invalid_blocks", channel=CHANNEL)
    round_ = await post_question(worker, clock)
    refused, sent = standin.to("chat.postMessage", ok=None)
    assert refused.answer["error"] == "invalid_blocks" and "blocks" in refused.params
    assert "blocks" not in sent.params and "CREATE TABLE" in sent.params["text"]  # the question whole, as text
    assert round_.message_ref == sent.answer["ts"] and round_.delivered_at is not None
    group = await worker.study.db.run(lambda s: s.scalar(select(Group)))
    assert group.lost_at is None


async def test_the_digest_goes_out_with_its_chart_uploaded_to_the_channel(worker, standin):
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 2048
    digest = Outbound(1, "slack", CHANNEL, "digest", Reply(title="Week of 02 Mar 2026: the digest", text="The week in one post.", private=False),
                      attachments=(("digest-2026-03-02.png", png),))
    delivered = await worker.bot.platform.send(digest, None)
    [post] = standin.to("chat.postMessage")
    assert post.params["channel"] == CHANNEL and delivered.message_ref == post.answer["ts"]
    [url] = standin.to("files.getUploadURLExternal")
    assert url.params["filename"] == "digest-2026-03-02.png" and int(url.params["length"]) == len(png)
    assert [u.params["size"] for u in standin.to("upload")] == [len(png)]
    [done] = standin.to("files.completeUploadExternal")
    assert done.params["channel_id"] == CHANNEL and done.json("files")[0]["id"] == url.answer["file_id"]


def test_a_long_reply_fits_slacks_limits_and_keeps_its_buttons():
    huge = Reply(
        title="T" * 400,
        text="\n".join(f"line {i} " + "x" * 90 for i in range(600)),  # ~60,000 characters
        sections=(Code("SELECT 1;\n" * 800), TableBlock(("a", "b"), tuple((i, "y" * 20) for i in range(500))), "Reveal: soon"),
        buttons=(Button("answer", "Answer", 7), Button("hint", "Hint", 7)),
    )
    blocks = render(huge, CHANNEL, context_tail=True)
    assert len(blocks) <= MESSAGE_BLOCKS
    assert len(json.dumps(blocks)) <= MESSAGE_CHARS
    assert all(len(b["text"]["text"]) <= SECTION_CHARS for b in blocks if b["type"] == "section")
    assert blocks[0]["type"] == "header" and len(blocks[0]["text"]["text"]) <= 150
    assert blocks[-1]["type"] == "actions" and [e["action_id"] for e in blocks[-1]["elements"]] == ["study_answer", "study_hint"]
    assert "Shortened" in blocks[-2]["elements"][0]["text"]
    assert len(message(huge)["text"]) <= 3000

    small = render(Reply(title="Hi", text="a < b & **c**", sections=(Code("x < 1"), "Reveal: 17:00")), context_tail=True)
    assert small[1]["text"]["text"] == "a &lt; b &amp; *c*" and small[2]["text"]["text"] == "```\nx &lt; 1\n```"
    assert small[-1] == {"type": "context", "elements": [{"type": "mrkdwn", "text": "Reveal: 17:00"}]}
