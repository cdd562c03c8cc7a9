"""Posting through discord.py: rate limits are waited out by the library, never busy-retried."""

from sqlalchemy import select

from bot.store import Round

RETRY_AFTER = 0.3


async def test_a_rate_limited_post_is_retried_after_retry_after_and_posted_once(bot, standin, group, tick, database):
    standin.rate_limit_next("POST", rf"/channels/{group}/messages", retry_after=RETRY_AFTER)
    await tick(bot)

    limited, posted = standin.find("POST", rf"/channels/{group}/messages")  # two requests, no more
    assert (limited.status, posted.status) == (429, 200)
    # discord.py slept retry_after before asking again (the stand-in's arrival times, in order).
    assert posted.at - limited.at >= RETRY_AFTER
    assert posted.body == limited.body  # the same post, sent again
    [thread] = standin.find("POST", rf"/channels/{group}/messages/\d+/threads", ok=True)
    assert thread.path == f"/channels/{group}/messages/{posted.result['id']}/threads"

    [round_] = await database.run(lambda s: s.scalars(select(Round)).all())
    assert (round_.message_ref, round_.thread_ref) == (posted.result["id"], thread.result["id"])
    assert round_.delivered_at is not None

    await tick(bot)  # the schedule's next step owes nothing: no second post
    assert len(standin.find("POST", rf"/channels/{group}/messages")) == 2
