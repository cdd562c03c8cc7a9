"""A member's own loop on Slack: the buttons of practice replies.

`/study practice`, `due`, `remind` and `mock` are text verbs the slash command already
dispatches, and their replies are ephemeral like every private one; reminders and mock
reports are the core's DMs (conversations.open, then chat.postMessage), sent by the
platform like every other. What is left are a practice reply's buttons: the next hint,
and another question, each carrying its sitting's id (`round` in the button's value).
"""

from __future__ import annotations

import json
import re

from bot.study import Reply

from .actions import clicked_in, member

ACTIONS = ("practice-hint", "practice-next")
BUTTONS = re.compile(r"^study_(practice-hint|practice-next)$")


def register(bot) -> None:
    @bot.app.action(BUTTONS)
    @bot.tracked
    async def practice_button(ack, body, action, client, context):
        await ack()
        try:
            value = json.loads(action.get("value") or "{}")
        except ValueError:
            value = {}
        where, thread = clicked_in(body)
        channel, target, user = value.get("channel") or where, value.get("round"), body["user"]["id"]
        if not channel or not isinstance(target, int):
            return
        actor = await member(bot, client, context.team_id or "", channel, user)
        if isinstance(actor, Reply):
            reply = actor
        elif action["action_id"] == "study_practice-hint":
            number = value.get("number")
            reply = (await bot.study.sitting_hint(actor, target, number if isinstance(number, int) else None)).reply
        else:
            reply = (await bot.study.practice_next(actor, after=target)).reply
        await bot.ephemeral(client, where or channel, user, reply, thread_ts=thread)
