"""Events: replies in a round's thread are answers; opening the Home tab shows the member's view.

A thread reply is stored by the core (once, even when Slack delivers it again), marked
with a reaction, and its verdict told to the member alone (chat.postEphemeral). Bot
messages, edits and other threads are left alone.
"""

from __future__ import annotations

from . import home
from .people import PLATFORM, plain_text

MARKS = {"correct": "white_check_mark", "incorrect": "x", "received": "memo"}
ANSWER_SUBTYPES = (None, "thread_broadcast")  # a reply also sent to the channel is still a reply


def is_thread_reply(event: dict) -> bool:
    thread = event.get("thread_ts")
    return (
        event.get("subtype") in ANSWER_SUBTYPES
        and not event.get("bot_id")
        and bool(event.get("user"))
        and bool(thread)
        and thread != event.get("ts")
    )


def register(bot) -> None:
    @bot.app.event("message")
    @bot.tracked
    async def thread_reply(body, event):
        if not is_thread_reply(event) or bot.recent.seen(body.get("event_id")):
            return
        channel, thread, ts, user = event["channel"], event["thread_ts"], event["ts"], event["user"]
        if await bot.study.round_of_thread(PLATFORM, channel, thread) is None:
            return  # some other thread in the channel
        actor = await bot.people.actor(body.get("team_id") or event.get("team") or "", channel, user)
        response = await bot.study.answer(actor, plain_text(event.get("text") or ""), via="thread", thread_ref=thread, message_ref=ts)
        reply = response.reply
        if reply.repeated:
            return  # Slack sent it again to another worker; the first one answered
        if reply.ok and reply.mark in MARKS:
            await bot.react(channel, ts, MARKS[reply.mark])
        await bot.ephemeral(channel, user, reply, thread_ts=thread)
        await bot.deliver(response.outbound)

    @bot.app.event("app_home_opened")
    @bot.tracked
    async def home_opened(body, event):
        if event.get("tab", "home") != "home":
            return
        user = event["user"]
        view = await home.view(bot.study, bot.people, body.get("team_id") or "", user)
        await bot.client.views_publish(user_id=user, view=view)
