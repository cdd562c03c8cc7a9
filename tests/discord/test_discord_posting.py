"""A round's question is posted once, whatever fails between the post and its thread."""

import asyncio

from sqlalchemy import select

from bot.store import Round


def posts_of(standin, round_id: int) -> list[dict]:
    """The messages in the stand-in that carry this round's question (its Answer button)."""
    return [m for m in standin.messages.values()
            if any(c.get("custom_id") == f"studybot:answer:{round_id}" for row in m.get("components", []) for c in row["components"])]


async def the_round(database) -> Round:
    [round_] = await database.run(lambda s: s.scalars(select(Round)).all())
    return round_


async def recorded(database, done, timeout: float = 60) -> Round:
    """The round once `done(round)` holds (a delivery is recorded after its last request)."""
    async def wait():
        while not done(round_ := await the_round(database)):
            await asyncio.sleep(0.05)
        return round_

    return await asyncio.wait_for(wait(), timeout)


async def test_a_dropped_thread_call_does_not_post_the_question_again(bot, standin, group, tick, database):
    standin.drop_next("POST", rf"/channels/{group}/messages/\d+/threads", done=True)  # the thread is made, its answer lost
    await tick(bot)
    round_ = await the_round(database)
    [post] = posts_of(standin, round_.id)
    assert len(standin.find("POST", rf"/channels/{group}/messages")) == 1
    # A thread opened on a message carries the message's id: the retry finds it there.
    assert (round_.message_ref, round_.thread_ref) == (post["id"], post["id"]) and list(standin.threads) == [post["id"]]
    assert round_.delivered_at is not None


async def test_a_thread_call_dropped_before_it_was_done_opens_the_thread_on_the_same_post(bot, standin, group, tick, database):
    standin.drop_next("POST", rf"/channels/{group}/messages/\d+/threads", done=False)
    await tick(bot)
    round_ = await the_round(database)
    [post] = posts_of(standin, round_.id)
    made = standin.find("POST", rf"/channels/{group}/messages/{post['id']}/threads", ok=True)
    assert len(made) == 1 and (round_.message_ref, round_.thread_ref) == (post["id"], made[0].result["id"])


async def test_a_post_whose_answer_was_lost_is_sent_again_with_its_nonce_and_made_once(bot, standin, group, tick, database):
    standin.drop_next("POST", rf"/channels/{group}/messages", done=True)
    await tick(bot)
    first, again = standin.find("POST", rf"/channels/{group}/messages")
    assert first.body["nonce"] == again.body["nonce"] and first.body["enforce_nonce"] is True
    round_ = await the_round(database)
    [post] = posts_of(standin, round_.id)
    assert (round_.message_ref, round_.thread_ref) == (post["id"], post["id"])


async def test_a_process_that_dies_between_the_post_and_the_thread_does_not_post_again(running, standin, people, tick, clock, database):
    first = await running.start()
    await standin.reply(await standin.command(people.admin, "setup", {"time": "09:00", "timezone": "Europe/Berlin", "categories": "sql"}, admin=True))
    standin.hold_next("POST", rf"/channels/{standin.channel_id}/messages/\d+/threads")
    sweep = asyncio.create_task(tick(first))
    await standin.wait_for("POST", rf"/channels/{standin.channel_id}/messages/\d+/threads", ok=None)
    sweep.cancel()  # the process dies here: the post is out, its thread is not
    await asyncio.gather(sweep, return_exceptions=True)
    await running.stop(first)

    second = await running.start()
    clock.advance(minutes=3)  # the sweep re-sends what is not confirmed
    await tick(second)
    round_ = await the_round(database)
    [post] = posts_of(standin, round_.id)
    assert len(standin.find("POST", rf"/channels/{standin.channel_id}/messages")) == 1
    assert (round_.message_ref, round_.thread_ref) == (post["id"], post["id"]) and round_.delivered_at is not None


async def test_skip_posts_the_replacement_as_a_new_post_with_its_own_thread(bot, standin, people, group, tick, database):
    await tick(bot)
    before = await the_round(database)
    skipped = await standin.command(people.admin, "skip", admin=True)
    await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{skipped['token']}")
    await standin.wait_for("POST", rf"/channels/{group}/messages/\d+/threads", count=2)
    after = await recorded(database, lambda r: r.thread_ref is not None)
    assert len(posts_of(standin, after.id)) == 2 and after.message_ref != before.message_ref
    assert after.thread_ref == after.message_ref != before.thread_ref
