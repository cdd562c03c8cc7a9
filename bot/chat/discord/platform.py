"""Discord as the scheduler's `Platform`: the core's posts sent through discord.py.

A question is an embed in the group's channel with a public thread opened on it; a
reveal goes into that thread; a digest carries its chart as an attachment (and moves
the group's champion role to the week's winner, champion.py); a DM goes to the member;
an edit gives a post (or the reveal, in its thread) new buttons. discord.py waits out
rate limits itself; what is left is mapped for the
deliverer: a channel that is gone or closed to the bot is `ChannelGone`, a server
error or a network failure `RetryLater`.
"""

from __future__ import annotations

import asyncio
import io
import logging
import zlib

import aiohttp
import discord

from bot.schedule import ChannelGone, Delivered, RetryLater
from bot.study import Outbound

from .buttons import round_view
from .champion import crown
from .render import render, thread_name

log = logging.getLogger(__name__)

AUTO_ARCHIVE_MINUTES = 1440
THREAD_EXISTS = 160004  # "A thread has already been created for this message"
NO_CONTENT_NOTE = (
    "I can't read the messages in this thread (this bot runs without Discord's Message Content intent), "
    "so answers written here are not graded. Use the **Answer** button on the question or `/study answer` "
    "to answer privately; discussion here is welcome."
)


def post_nonce(post: Outbound) -> str:
    """The same for every try of one post (a replacement question after /study skip differs):
    at most 25 characters, as Discord wants."""
    return f"q{post.round_id}-{zlib.crc32(f'{post.thread_title}|{post.reply.text}'.encode()):08x}"[:25]


class DiscordPlatform:
    name = "discord"

    def __init__(self, client: discord.Client):
        self.client = client

    async def send(self, post: Outbound, thread_ref: str | None) -> Delivered:
        try:
            if post.kind == "dm":
                return await self._direct(post)
            if post.kind == "edit":
                return await self._edit(post, thread_ref)
            delivered = await self._post(post, thread_ref)
        except (discord.NotFound, discord.Forbidden) as error:
            raise ChannelGone(f"Discord answered {error.status} {error.text or ''}".strip()) from error
        except discord.RateLimited as error:
            raise RetryLater("rate limited", error.retry_after) from error
        except discord.HTTPException as error:
            raise RetryLater(f"Discord answered {error.status} {error.text or ''}".strip()) from error
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            raise RetryLater(f"network: {error!r}") from error
        if post.kind == "digest":
            await crown(self.client, post)  # after the digest is out; it never fails the post
        return delivered

    async def _post(self, post: Outbound, thread_ref: str | None) -> Delivered:
        message = render(post.reply)
        kwargs = message.kwargs()
        files = [discord.File(io.BytesIO(data), filename=name) for name, data in post.attachments]
        if files:
            kwargs["files"] = files
            if message.embeds and post.attachments[0][0].endswith(".png"):
                message.embeds[-1].set_image(url=f"attachment://{post.attachments[0][0]}")
        if post.in_thread and thread_ref:
            sent = await self._in_thread(post, thread_ref, kwargs)
            return Delivered(message_ref=str(sent.id))
        if post.kind == "question":
            return await self._question(post, kwargs)
        channel = await self._channel(post.channel_id)
        sent = await channel.send(**kwargs)
        return Delivered(message_ref=str(sent.id))

    async def _question(self, post: Outbound, kwargs: dict) -> Delivered:
        """A question and its thread, sent at most once however often this is retried.

        The post carries a nonce Discord enforces (a resend within minutes returns the
        message already made) and is recorded before its thread is asked for; a retry,
        or the sweep after a restart, resumes from what is recorded. A thread opened on a
        message carries the message's id, so a thread made whose answer was lost is found."""
        study = self.client.study
        message_ref, thread_ref = await study.post_refs(post.round_id)
        if message_ref is None:
            channel = await self._channel(post.channel_id)
            options = await study.adapter_options(self.name, post.channel_id, post.workspace_id)
            if role := options.get("ping_role"):  # the group's opt-in: mention its role, and only it
                kwargs = {**kwargs, "content": f"<@&{role}>", "allowed_mentions": discord.AllowedMentions(roles=[discord.Object(int(role))])}
            sent = await channel.send(nonce=post_nonce(post), **kwargs)
            message_ref = str(sent.id)
            await study.posted(post.round_id, message_ref)
        if thread_ref is None:
            thread_ref = await self._open_thread(post, message_ref)
        return Delivered(message_ref=message_ref, thread_ref=thread_ref)

    async def _channel(self, channel_id: str):
        channel = self.client.get_channel(int(channel_id))
        return channel if channel is not None else await self.client.fetch_channel(int(channel_id))

    async def _in_thread(self, post: Outbound, thread_ref: str, kwargs: dict) -> discord.Message:
        try:
            return await self.client.get_partial_messageable(int(thread_ref)).send(**kwargs)
        except (discord.NotFound, discord.Forbidden):
            # The thread was deleted or locked: the channel still hears the reveal.
            log.info("thread %s of channel %s is gone; posting in the channel", thread_ref, post.channel_id)
            channel = await self._channel(post.channel_id)
            return await channel.send(**kwargs)

    async def _open_thread(self, post: Outbound, message_ref: str) -> str | None:
        """The question's public thread. A thread refused (403) is a channel the bot lost:
        the group pauses and its admins are told; a post deleted meanwhile stands without one."""
        title = post.thread_title or post.reply.title or "Today's question"
        message = (await self._channel(post.channel_id)).get_partial_message(int(message_ref))
        try:
            thread = await message.create_thread(name=thread_name(title), auto_archive_duration=AUTO_ARCHIVE_MINUTES)
        except discord.Forbidden as error:
            raise ChannelGone(f"Discord refused to open the question's thread ({error.text or error.status}): I need Create Public Threads there") from error
        except discord.HTTPException as error:
            if error.code == THREAD_EXISTS:  # made by an earlier try whose answer was lost
                return message_ref
            if error.status >= 500:
                raise
            log.warning("could not open a thread on the post in channel %s: %s", post.channel_id, error)
            return None
        if not self.client.intents.message_content:
            try:
                await thread.send(NO_CONTENT_NOTE)
            except discord.HTTPException as error:
                log.warning("could not post the no-intent note in thread %s: %s", thread.id, error)
        return str(thread.id)

    async def _edit(self, post: Outbound, thread_ref: str | None) -> Delivered:
        """New buttons on a message already posted (PATCH of its components only: its text stays)."""
        where = thread_ref if post.in_thread and thread_ref else post.channel_id
        message = self.client.get_partial_messageable(int(where)).get_partial_message(int(post.edit_ref))
        await message.edit(view=round_view(post.reply.buttons))
        return Delivered(message_ref=post.edit_ref)

    async def _direct(self, post: Outbound) -> Delivered:
        channel = await self.client.create_dm(discord.Object(int(post.user_id)))
        sent = await channel.send(**render(post.reply).kwargs())
        return Delivered(message_ref=str(sent.id))
