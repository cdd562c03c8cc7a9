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

from .actions import clicked_in, show, team_of

ACTIONS = ("practice-hint", "practice-next")
BUTTONS = re.compile(r"^study_(practice-hint|practice-next)$")


def register(bot) -> None:
    @bot.app.action(BUTTONS)
    @bot.tracked
    async def practice_button(ack, body, action):
        await ack()
        try:
            value = json.loads(action.get("value") or "{}")
        except ValueError:
            value = {}
        channel = value.get("channel") or clicked_in(body)[0]
        target = value.get("round")
        if not channel or not isinstance(target, int):
            return
        actor = await bot.people.actor(team_of(body), channel, body["user"]["id"])
        if action["action_id"] == "study_practice-hint":
            number = value.get("number")
            response = await bot.study.sitting_hint(actor, target, number if isinstance(number, int) else None)
        else:
            response = await bot.study.practice_next(actor, after=target)
        await show(bot, body, response.reply, "Practice")
