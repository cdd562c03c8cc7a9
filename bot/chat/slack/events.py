"""Events: replies in a round's thread are answers (an edit before the reveal, a revision);
opening the Home tab shows the member's view; an uninstall pauses the workspace's groups.

A thread reply is stored by the core (once, even when Slack delivers it again), marked
with a reaction, and its verdict told to the member alone (chat.postEphemeral). Bot
messages and other threads are left alone. While the database is away the member is
told plainly that nothing was saved (the `tracked` listener's refusal).
"""

from __future__ import annotations

from . import home
from .people import PLATFORM, plain_text

MARKS = {"correct": "white_check_mark", "incorrect": "x", "received": "memo"}
ANSWER_SUBTYPES = (None, "thread_broadcast")  # a reply also sent to the channel is still a reply


def is_thread_reply(message: dict) -> bool:
    thread = message.get("thread_ts")
    return (
        message.get("subtype") in ANSWER_SUBTYPES
        and not message.get("bot_id")
        and bool(message.get("user"))
        and bool(thread)
        and thread != message.get("ts")
    )


def edited_reply(event: dict) -> dict | None:
    """The message after a member's edit of a thread reply (not an unfurl or a bot's change)."""
    if event.get("subtype") != "message_changed":
        return None
    message = event.get("message") or {}
    before = event.get("previous_message") or {}
    if not is_thread_reply(message) or not (message.get("edited") or {}).get("ts") or message.get("text") == before.get("text"):
        return None
    return message


def register(bot) -> None:
    @bot.app.event("message")
    @bot.tracked
    async def thread_reply(body, event, client, context):
        edit = edited_reply(event)
        message = edit or event
        if (edit is None and not is_thread_reply(event)) or bot.recent.seen(body.get("event_id")):
            return
        team, channel = context.team_id or "", event["channel"]
        thread, ts, user = message["thread_ts"], message["ts"], message["user"]
        if await bot.study.round_of_thread(PLATFORM, channel, thread, workspace_id=team) is None:
            return  # some other thread in the channel
        actor = await bot.people.actor(client, team, channel, user)
        # An edit is its own message to the core: the same message edited twice is two revisions.
        ref = f"{ts}~{edit['edited']['ts']}" if edit else ts
        text = plain_text(message.get("text") or "")
        response = await bot.study.answer(actor, text, via="thread", thread_ref=thread, message_ref=ref, edited=edit is not None)
        reply = response.reply
        if reply.repeated:
            return  # Slack sent it again to another worker; the first one answered
        if reply.ok and reply.mark in MARKS:
            await bot.react(client, channel, ts, MARKS[reply.mark])
        await bot.ephemeral(client, channel, user, reply, thread_ts=thread)
        await bot.deliver(response.outbound)

    @bot.app.event("app_home_opened")
    @bot.tracked
    async def home_opened(event, client, context):
        if event.get("tab", "home") != "home":
            return
        user = event["user"]
        view = await home.view(bot, client, context.team_id or "", user)
        await client.views_publish(user_id=user, view=view)

    @bot.app.event("app_uninstalled")
    @bot.tracked
    async def uninstalled(context):
        await bot.workspace_gone(context.team_id or "")

    @bot.app.event("tokens_revoked")
    @bot.tracked
    async def tokens_revoked(event, context):
        if (event.get("tokens") or {}).get("bot"):
            await bot.workspace_gone(context.team_id or "")
