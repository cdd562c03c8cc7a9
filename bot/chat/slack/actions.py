"""Buttons and modal submissions.

A click's trigger lasts 3 seconds, so a modal opens first (the form, or a notice while
the work runs) and is filled after with `views.update`: nothing (users.info, the
database, a retried 429) runs between a click and `views.open`. Every action in a
group's name checks that the member is in the group's channel: a button on an old
Home tab, or one a member kept after leaving a private channel, gets a refusal.

Answer opens a modal with a multiline input; its submission is checked inline (an
empty or too long answer gets an error under the field) before the core stores it.
Run on sample opens a modal for a query; Hint answers privately; Review opens a modal
with the answer, the rubric and numbered checkboxes, and a comment.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re

from slack_sdk.errors import SlackApiError

from bot.study import Actor, Reply
from bot.study.answers import answer_problem

from . import modals

log = logging.getLogger(__name__)
BUTTONS = re.compile(r"^study_(answer|hint|run|review)$")


def clicked_in(body: dict) -> tuple[str | None, str | None]:
    """The channel (and thread) of the message whose button was clicked; None from a view."""
    container = body.get("container") or {}
    if container.get("type") != "message":
        return None, None
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    return channel, container.get("thread_ts")


async def open_view(client, trigger_id: str | None, view: dict) -> str | None:
    """views.open now; the view's id, or None when Slack would not open it."""
    try:
        return (await client.views_open(trigger_id=trigger_id, view=view))["view"]["id"]
    except SlackApiError as error:
        log.warning("could not open a modal: %s", error.response.get("error"))
        return None


async def update(client, view_id: str, view: dict) -> None:
    try:
        await client.views_update(view_id=view_id, view=view)
    except SlackApiError as error:  # the member closed the modal meanwhile
        log.info("could not update view %s: %s", view_id, error.response.get("error"))


async def member(bot, client, team: str, channel: str, user: str) -> Actor | Reply:
    """The member as an actor in the channel's group, or the refusal when they may not act in it."""
    actor, refused = await asyncio.gather(bot.people.actor(client, team, channel, user), bot.people.may_act(client, team, channel, user))
    return Reply(text=refused, ok=False) if refused else actor


async def fill_review(bot, client, view_id: str, actor: Actor, round_id: int | None = None) -> None:
    """The opened review modal, filled with an answer to review (or why there is none)."""
    reply = (await bot.study.review(actor, round_id)).reply
    view = modals.review_form(actor.channel_id, reply) if reply.ok and reply.review else modals.result("Review", reply)
    await update(client, view_id, view)


def register(bot) -> None:
    app = bot.app

    @app.action(BUTTONS)
    @bot.tracked
    async def button(ack, body, action, client, context):
        await ack()
        verb = action["action_id"].removeprefix("study_")
        try:
            value = json.loads(action.get("value") or "{}")
        except ValueError:
            value = {}
        channel = value.get("channel") or clicked_in(body)[0]
        if not channel:
            return
        team, user, trigger, round_id = context.team_id or "", body["user"]["id"], body.get("trigger_id"), value.get("round")
        if verb == "hint" and clicked_in(body)[0]:  # under a message: an ephemeral reply, no modal
            actor = await member(bot, client, team, channel, user)
            reply = actor if isinstance(actor, Reply) else (await bot.study.hint(actor, round_id, number=_number(value))).reply
            await bot.ephemeral(client, clicked_in(body)[0], user, reply, thread_ts=clicked_in(body)[1])
            return
        first = {
            "answer": modals.answer_form(channel, round_id),
            "run": modals.run_form(channel, round_id),
            "review": modals.notice("Review", "Finding an answer for you to review…"),
            "hint": modals.notice("Hint", "Getting your hint…"),
        }[verb]
        view_id = await open_view(client, trigger, first)
        if view_id is None:
            return
        actor = await member(bot, client, team, channel, user)
        if isinstance(actor, Reply):
            await update(client, view_id, modals.result(first["title"]["text"], actor))
        elif verb == "review":
            await fill_review(bot, client, view_id, actor, round_id)
        elif verb == "hint":
            await update(client, view_id, modals.result("Hint", (await bot.study.hint(actor, round_id, number=_number(value))).reply))

    async def submitted(ack, body, view, client, context, title: str, working: str):
        """Acknowledge a form with a notice; the member as an actor, or None (told why)."""
        await ack(response_action="update", view=modals.notice(title, working))
        channel = modals.meta(view).get("channel", "")
        actor = await member(bot, client, context.team_id or "", channel, body["user"]["id"])
        if isinstance(actor, Reply):
            await update(client, view["id"], modals.result(title, actor))
            return None
        return actor

    @app.view(modals.ANSWER)
    @bot.tracked
    async def answer_submitted(ack, body, view, client, context):
        text = modals.text_value(view, "answer")
        problem = answer_problem(text)
        if problem:
            await ack(response_action="errors", errors={"answer": problem})
            return
        actor = await submitted(ack, body, view, client, context, "Your answer", "Checking your answer…")
        if actor is None:
            return
        response = await bot.study.answer(actor, text, via="private", round_id=modals.meta(view).get("round"))
        await update(client, view["id"], modals.result("Your answer", response.reply))
        await bot.deliver(response.outbound)

    @app.view(modals.RUN)
    @bot.tracked
    async def run_submitted(ack, body, view, client, context):
        sql = modals.text_value(view, "sql")
        if not sql.strip():
            await ack(response_action="errors", errors={"sql": "Write a query to run, like SELECT * FROM orders."})
            return
        actor = await submitted(ack, body, view, client, context, "Run on the sample", "Running…")
        if actor is None:
            return
        response = await bot.study.run_sql(actor, sql, modals.meta(view).get("round"))
        await update(client, view["id"], modals.result("Run on the sample", response.reply))

    @app.view(modals.REVIEW)
    @bot.tracked
    async def review_submitted(ack, body, view, client, context):
        actor = await submitted(ack, body, view, client, context, "Review", "Saving your review…")
        if actor is None:
            return
        points, comment = modals.review_values(view)
        response = await bot.study.submit_review(actor, modals.meta(view).get("answer"), points, comment)
        await update(client, view["id"], modals.result("Review", response.reply))
        await bot.deliver(response.outbound)


def _number(value: dict) -> int | None:
    number = value.get("number")
    return number if isinstance(number, int) and not isinstance(number, bool) else None
