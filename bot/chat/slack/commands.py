"""`/study <verb> …`: acknowledged at once, then dispatched to the core as the text it is.

Private replies go back through the command's `response_url` as ephemeral messages,
public ones `in_channel`; posts the core wants made (a question, a DM) go through the
platform. `/study answer` and `/study review` without arguments open their modals
before anything else is done (a trigger lasts 3 seconds). `/study setup` first makes
sure studybot is in the channel (it joins a public one; a private one must invite it),
since a group whose channel it cannot see would never hear an answer.
"""

from __future__ import annotations

import dataclasses
import logging
import re

from slack_sdk.errors import SlackApiError

from bot.study import Reply, TableBlock, ThreadLink
from bot.study.commands import dispatch

from . import modals
from .actions import fill_review, open_view
from .blocks import message
from .people import Cache, plain_text

log = logging.getLogger(__name__)
INVITE_FIRST = (
    "I can't see this channel, so I could not hear answers here. Invite me first with `/invite @studybot`, "
    "then run `/study setup` again. (A study group lives in a channel, not a DM.)"
)


async def bot_in_channel(client, channel: str) -> tuple[str | None, str]:
    """(a refusal, or None; a note): studybot in the channel, joining a public one if it must."""
    try:
        info = (await client.conversations_info(channel=channel))["channel"]
    except SlackApiError as error:
        code = error.response.get("error")
        log.info("conversations.info for %s: %s", channel, code)
        if code == "missing_scope":
            return f"studybot lacks a permission it needs here ({error.response.get('needed')}). An admin reinstalls the app to grant it.", ""
        return INVITE_FIRST, ""
    if info.get("is_member"):
        return None, ""
    if info.get("is_archived"):
        return "This channel is archived; start the group in a channel that is in use.", ""
    if info.get("is_private") or info.get("is_im") or info.get("is_mpim"):
        return INVITE_FIRST, ""
    try:
        await client.conversations_join(channel=channel)
    except SlackApiError as error:
        log.info("conversations.join %s: %s", channel, error.response.get("error"))
        return INVITE_FIRST, ""
    return None, "I joined this channel to post its questions and hear the answers."


class Permalinks:
    """Past rounds' threads as links (chat.getPermalink), where a table names them; a
    message's permalink never changes, so each is asked for once (per workspace: a
    shared channel's message has a link in each)."""

    def __init__(self):
        self._known = Cache(ttl=7 * 24 * 3600.0)

    async def fill(self, client, team: str, channel: str, reply: Reply) -> Reply:
        parts = []
        for part in reply.sections:
            if isinstance(part, TableBlock) and any(isinstance(v, ThreadLink) for row in part.rows for v in row):
                rows = [tuple([await self._linked(client, team, channel, v) if isinstance(v, ThreadLink) else v for v in row]) for row in part.rows]
                part = dataclasses.replace(part, rows=tuple(rows))
            parts.append(part)
        return dataclasses.replace(reply, sections=tuple(parts))

    async def _linked(self, client, team: str, channel: str, link: ThreadLink) -> ThreadLink:
        url = self._known.get((team, channel, link.ref))
        if url is None:
            try:
                url = (await client.chat_getPermalink(channel=channel, message_ts=link.ref))["permalink"]
            except SlackApiError as error:
                log.info("no permalink for %s in %s: %s", link.ref, channel, error.response.get("error"))
                return link
            self._known.put((team, channel, link.ref), url)
        return dataclasses.replace(link, url=url)


def register(bot) -> None:
    permalinks = Permalinks()

    @bot.app.command("/study")
    @bot.tracked
    async def study_command(ack, command, respond, client, context):
        await ack()
        text = plain_text(command.get("text") or "").strip()
        verb, rest = (re.split(r"\s+", text, maxsplit=1) + [""])[:2]
        verb = verb.lower()
        team, channel, user = context.team_id or command.get("team_id", ""), command["channel_id"], command["user_id"]
        trigger = command.get("trigger_id")
        if verb in ("answer", "review") and not rest.strip() and trigger:
            view = modals.answer_form(channel, None) if verb == "answer" else modals.notice("Review", "Finding an answer for you to review…")
            view_id = await open_view(client, trigger, view)
            if view_id and verb == "review":
                await fill_review(bot, client, view_id, await bot.people.actor(client, team, channel, user))
            if view_id:
                return
        note = ""
        if verb == "setup":
            refusal, note = await bot_in_channel(client, channel)
            if refusal:
                await respond(response_type="ephemeral", **message(Reply(text=refusal, ok=False), channel))
                return
        actor = await bot.people.actor(client, team, channel, user)
        response = await dispatch(bot.study, actor, text)
        reply = await permalinks.fill(client, team, channel, response.reply)
        if note and reply.ok:
            reply = dataclasses.replace(reply, text=f"{note}\n{reply.text}")
        try:
            await respond(response_type="ephemeral" if reply.private else "in_channel", **message(reply, channel))
        except Exception as error:  # an expired response_url: say it the other way
            log.warning("response_url failed (%s); replying with chat.postEphemeral", error)
            await bot.ephemeral(client, channel, user, reply)
        await bot.deliver(response.outbound)
