"""A member's message in a round's thread is an answer (read with the Message Content intent).

The thread only shows a mark (a reaction); the verdict and its feedback go to the
member by DM. A reply to someone else's message is discussion, not an answer. Without
the intent Discord sends the message with no content: the thread said so when it opened.
Before the reveal the mark never says right or wrong (📝); a spoiler-safe group's
answers are taken out of the thread once stored (the bot needs Manage Messages).
"""

from __future__ import annotations

import dataclasses
import logging

import discord

from bot.study import Actor

from .interactions import PLATFORM
from .render import render

log = logging.getLogger(__name__)

MARKS = {"correct": "✅", "incorrect": "❌", "received": "📝"}
TAKEN_OUT = "_This group is spoiler-safe: I took your answer out of the thread so it gives nothing away before the reveal. It is stored; revise it by answering again._"
DMS_CLOSED = "{mention} I couldn't send you your feedback privately (your DMs are closed): use the **Answer** button or `/study answer` to see it."


def is_round_thread(client: discord.Client, channel) -> bool:
    """A thread the bot opened on one of its posts (a question's thread)."""
    return isinstance(channel, discord.Thread) and client.user is not None and channel.owner_id == client.user.id


async def spoiler_safe(client: discord.Client, thread: discord.Thread, message: discord.Message) -> bool:
    """In a spoiler-safe group, an answer stored before the reveal leaves the thread; True when it did."""
    options = await client.study.adapter_options(PLATFORM, str(thread.parent_id), str(message.guild.id))
    if not options.get("spoiler_safe"):
        return False
    try:
        await message.delete()
    except discord.HTTPException as error:  # Manage Messages taken away since setup: the answer stays
        log.warning("could not take answer %s out of the thread: %s", message.id, error)
        return False
    return True


async def take_answer(client: discord.Client, message: discord.Message) -> None:
    if message.author.bot or message.guild is None or not is_round_thread(client, message.channel):
        return
    if message.type is discord.MessageType.reply or not message.content.strip():
        return
    thread = message.channel
    actor = Actor(PLATFORM, str(thread.parent_id), str(message.author.id), message.author.display_name, workspace_id=str(message.guild.id))
    response = await client.study.answer(actor, message.content, via="thread", thread_ref=str(thread.id), message_ref=str(message.id))
    reply = response.reply
    if reply.repeated:  # the gateway delivered this message again: it was marked and answered the first time
        return
    if reply.mark == "received" and await spoiler_safe(client, thread, message):
        reply = dataclasses.replace(reply, text=f"{reply.text}\n\n{TAKEN_OUT}")
    elif reply.mark in MARKS:
        try:
            await message.add_reaction(MARKS[reply.mark])
        except discord.HTTPException as error:
            log.warning("could not mark answer %s: %s", message.id, error)
    try:
        await message.author.send(**render(reply).kwargs())
    except discord.Forbidden:
        await thread.send(DMS_CLOSED.format(mention=message.author.mention),
                          allowed_mentions=discord.AllowedMentions(users=[message.author]))
    if response.outbound:
        await client.deliver(response.outbound)
