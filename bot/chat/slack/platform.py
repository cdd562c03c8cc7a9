"""Slack as the scheduler's `Platform`: posts, reveals in the thread, digests with their chart, DMs.

A question is a channel message whose `ts` is its thread; a reveal goes into that
thread (`thread_ts`); a DM opens the conversation first. Slack's answers become what
the deliverer understands: a channel we lost is `ChannelGone`, a rate limit or a
server error `RetryLater`.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient

from bot.schedule import ChannelGone, Delivered, RetryLater
from bot.study import Outbound

from .blocks import message

log = logging.getLogger(__name__)

GONE = {
    "channel_not_found", "is_archived", "not_in_channel", "channel_is_archived", "restricted_action",
    "team_access_not_granted", "user_not_found", "user_disabled", "cannot_dm_bot", "user_not_visible",
}


def slack_error(error: SlackApiError) -> tuple[str | None, int, dict]:
    """Slack's error code, the HTTP status and the headers of a failed call."""
    response = error.response
    data = getattr(response, "data", None)
    code = data.get("error") if isinstance(data, dict) else None
    status = getattr(response, "status_code", None) or getattr(response, "status", 0) or 0
    return code, int(status), dict(getattr(response, "headers", None) or {})


def retry_after(headers: dict) -> float | None:
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def translate(error: Exception) -> Exception:
    """A Slack or network failure as the deliverer's RetryLater or ChannelGone."""
    if isinstance(error, SlackApiError):
        code, status, headers = slack_error(error)
        if code in GONE:
            return ChannelGone(code)
        if status == 429 or code == "ratelimited":
            return RetryLater("ratelimited", retry_after(headers))
        if status >= 500:
            return RetryLater(f"Slack answered {status}")
        log.error("Slack refused a post: %s (status %s); will try again later", code, status)
        return RetryLater(code or f"status {status}")
    return RetryLater(f"network: {error!r}")


class SlackPlatform:
    name = "slack"

    def __init__(self, client: AsyncWebClient):
        self.client = client

    async def send(self, post: Outbound, thread_ref: str | None) -> Delivered:
        try:
            return await self._send(post, thread_ref)
        except (SlackApiError, SlackRequestError, aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise translate(error) from error

    async def _send(self, post: Outbound, thread_ref: str | None) -> Delivered:
        channel = post.channel_id
        if post.kind == "dm":
            opened = await self.client.conversations_open(users=post.user_id)
            channel = opened["channel"]["id"]
        thread = thread_ref if post.in_thread and post.kind != "dm" else None
        content = message(post.reply, post.channel_id, context_tail=post.kind == "question")
        sent = await self.client.chat_postMessage(
            channel=channel, thread_ts=thread, unfurl_links=False, unfurl_media=False, **content,
        )
        ts = sent["ts"]
        await self._attach(post, sent.get("channel") or channel, thread)
        return Delivered(message_ref=ts, thread_ref=ts if post.kind == "question" else None)

    async def _attach(self, post: Outbound, channel: str, thread: str | None) -> None:
        """Files (the digest's chart) after the message; a failure here must not repeat the message."""
        for name, content in post.attachments:
            try:
                await self.client.files_upload_v2(
                    channel=channel, thread_ts=thread, file=content, filename=name, title=post.reply.title or name,
                )
            except (SlackApiError, SlackRequestError, aiohttp.ClientError, asyncio.TimeoutError) as error:
                log.warning("could not upload %s to %s: %s", name, channel, error)
