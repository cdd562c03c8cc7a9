"""`/study <verb> …`: acknowledged at once, then dispatched to the core as the text it is.

Private replies go back through the command's `response_url` as ephemeral messages,
public ones `in_channel`; posts the core wants made (a question, a DM) go through the
platform. `/study answer` and `/study review` without arguments open their modals.
"""

from __future__ import annotations

import logging
import re

from slack_sdk.errors import SlackApiError

from bot.study.commands import dispatch

from . import modals
from .actions import open_review
from .blocks import message
from .people import plain_text

log = logging.getLogger(__name__)


def register(bot) -> None:
    @bot.app.command("/study")
    @bot.tracked
    async def study_command(ack, command, respond):
        await ack()
        text = plain_text(command.get("text") or "").strip()
        verb, rest = (re.split(r"\s+", text, maxsplit=1) + [""])[:2]
        verb = verb.lower()
        channel, user, trigger = command["channel_id"], command["user_id"], command.get("trigger_id")
        if verb == "answer" and not rest.strip() and trigger:
            try:
                await bot.client.views_open(trigger_id=trigger, view=modals.answer_form(channel, None))
                return
            except SlackApiError as error:
                log.warning("could not open the answer modal: %s", error.response.get("error"))
        actor = await bot.people.actor(command.get("team_id", ""), channel, user)
        if verb == "review" and not rest.strip() and trigger:
            await open_review(bot, trigger, actor)
            return
        response = await dispatch(bot.study, actor, text)
        reply = response.reply
        try:
            await respond(response_type="ephemeral" if reply.private else "in_channel", **message(reply, channel))
        except Exception as error:  # an expired response_url: say it the other way
            log.warning("response_url failed (%s); replying with chat.postEphemeral", error)
            await bot.ephemeral(channel, user, reply)
        await bot.deliver(response.outbound)
