"""Slack as the scheduler's `Platform`: posts, reveals in the thread, digests with their chart, DMs.

Each post goes out with its workspace's token. A question is a channel message whose
`ts` is its thread; a reveal goes into that thread (`thread_ts`); a DM opens the
conversation first. Slack's answers become what the deliverer understands: a rate
limit, a server error or the network is `RetryLater`; anything else Slack refuses
will be refused again, so it is `ChannelGone` (the group pauses and its owners hear
why, once), except blocks Slack will not take: the post then goes again as plain
text, so a rendering bug costs formatting, not the day's question.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.schedule import ChannelGone, Delivered, RetryLater
from bot.store import DatabaseUnavailable
from bot.study import Outbound

from .blocks import message, plain_message
from .installs import NotInstalled

log = logging.getLogger(__name__)

TRANSIENT = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout", "team_added_to_org"}
REFUSED_CONTENT = {"invalid_blocks", "invalid_blocks_format", "msg_too_long", "no_text", "invalid_attachments", "too_many_attachments"}
REINSTALL = "studybot's token for this workspace no longer works ({code}): reinstall the app, then `/study resume`"
WHY = {  # what a group's owners read when its posts cannot be made
    "not_in_channel": "studybot is not a member of the channel: invite it with `/invite @studybot`",
    "channel_not_found": "the channel is gone, or it is private and studybot is not in it",
    "is_archived": "the channel was archived",
    "channel_is_archived": "the channel was archived",
    "missing_scope": "studybot lacks a permission it needs: reinstall the app to grant it",
    "restricted_action": "the workspace does not let studybot post there",
    "not_installed": "studybot is no longer installed in this workspace",
    **{code: REINSTALL.format(code=code) for code in ("token_revoked", "account_inactive", "invalid_auth", "not_authed", "token_expired")},
}
NETWORK_ERRORS = (SlackRequestError, aiohttp.ClientError, asyncio.TimeoutError)


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


def why(code: str | None) -> str:
    return WHY.get(code or "", f"Slack refuses studybot's posts there ({code})")


def translate(error: Exception) -> Exception:
    """A Slack or network failure as the deliverer's RetryLater (it may pass) or ChannelGone (it will not)."""
    if isinstance(error, SlackApiError):
        code, status, headers = slack_error(error)
        if status == 429 or code == "ratelimited":
            return RetryLater("ratelimited", retry_after(headers))
        if status >= 500 or code in TRANSIENT:
            return RetryLater(f"Slack answered {code or status}")
        log.warning("Slack refuses a post for good: %s (status %s)", code, status)
        return ChannelGone(why(code))
    if isinstance(error, NotInstalled):
        return ChannelGone(why("not_installed"))
    if isinstance(error, DatabaseUnavailable):
        return RetryLater("the database (and the workspace's token in it) is unavailable")
    return RetryLater(f"network: {error!r}")


class SlackPlatform:
    name = "slack"

    def __init__(self, workspaces):
        self.workspaces = workspaces  # installs.OneWorkspace or installs.Installations

    async def send(self, post: Outbound, thread_ref: str | None) -> Delivered:
        if post.kind == "edit":  # new buttons on a round's message: not made on Slack (yet); its verbs say the round's state
            return Delivered(message_ref=post.edit_ref)
        try:
            client = await self.workspaces.client(post.workspace_id)
            return await self._send(client, post, thread_ref)
        except (SlackApiError, NotInstalled, DatabaseUnavailable, *NETWORK_ERRORS) as error:
            raise translate(error) from error

    async def _send(self, client, post: Outbound, thread_ref: str | None) -> Delivered:
        channel = post.channel_id
        if post.kind == "dm":
            opened = await client.conversations_open(users=post.user_id)
            channel = opened["channel"]["id"]
        thread = thread_ref if post.in_thread and post.kind != "dm" else None
        options = {"channel": channel, "thread_ts": thread, "unfurl_links": False, "unfurl_media": False}
        try:
            sent = await client.chat_postMessage(**options, **message(post.reply, post.channel_id, context_tail=post.kind == "question"))
        except SlackApiError as error:
            code, _, _ = slack_error(error)
            if code not in REFUSED_CONTENT:
                raise
            log.error("Slack refused the blocks of a %s for %s (%s); sending it as plain text", post.kind, post.channel_id, code)
            sent = await client.chat_postMessage(**options, **plain_message(post.reply))
        ts = sent["ts"]
        await self._attach(client, post, sent.get("channel") or channel, thread)
        return Delivered(message_ref=ts, thread_ref=ts if post.kind == "question" else None)

    async def _attach(self, client, post: Outbound, channel: str, thread: str | None) -> None:
        """Files (the digest's chart) after the message; a failure here must not repeat the message."""
        for name, content in post.attachments:
            try:
                await client.files_upload_v2(
                    channel=channel, thread_ts=thread, file=content, filename=name, title=post.reply.title or name,
                )
            except (SlackApiError, *NETWORK_ERRORS) as error:
                log.warning("could not upload %s to %s: %s", name, channel, error)
