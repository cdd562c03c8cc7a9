"""Buttons and modal submissions.

Answer opens a modal with a multiline input; its submission is checked inline (an
empty or too long answer gets an error under the field) before the core stores it.
Run on sample opens a modal for a query; Hint answers privately; Review opens a modal
with the answer, checkboxes for the rubric points and a comment.
"""

from __future__ import annotations

import json
import logging
import re

from slack_sdk.errors import SlackApiError

from bot.study import Reply
from bot.study.answers import answer_problem

from . import modals

log = logging.getLogger(__name__)
BUTTONS = re.compile(r"^study_(answer|hint|run|review)$")


def team_of(body: dict) -> str:
    return (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id") or ""


def clicked_in(body: dict) -> tuple[str | None, str | None]:
    """The channel (and thread) of the message whose button was clicked; None from a view."""
    container = body.get("container") or {}
    if container.get("type") != "message":
        return None, None
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    return channel, container.get("thread_ts")


async def open_review(bot, trigger_id: str, actor, round_id: int | None = None) -> None:
    """Open a modal at once (a trigger lasts 3 s), then fill it with an answer to review."""
    try:
        opened = await bot.client.views_open(trigger_id=trigger_id, view=modals.notice("Review", "Finding an answer for you to review…"))
    except SlackApiError as error:
        log.warning("could not open the review modal: %s", error.response.get("error"))
        return
    reply = (await bot.study.review(actor, round_id)).reply
    view = modals.review_form(actor.channel_id, reply) if reply.ok and reply.review else modals.result("Review", reply)
    await update(bot, opened["view"]["id"], view)


async def update(bot, view_id: str, view: dict) -> None:
    try:
        await bot.client.views_update(view_id=view_id, view=view)
    except SlackApiError as error:  # the member closed the modal meanwhile
        log.info("could not update view %s: %s", view_id, error.response.get("error"))


async def show(bot, body: dict, reply: Reply, title: str) -> None:
    """A private reply where the member clicked: ephemeral under a message, a modal from the Home tab."""
    channel, thread = clicked_in(body)
    if channel:
        await bot.ephemeral(channel, body["user"]["id"], reply, thread_ts=thread)
        return
    try:
        await bot.client.views_open(trigger_id=body["trigger_id"], view=modals.result(title, reply))
    except SlackApiError as error:
        log.warning("could not show %s: %s", title, error.response.get("error"))


def register(bot) -> None:
    app = bot.app

    @app.action(BUTTONS)
    @bot.tracked
    async def button(ack, body, action):
        await ack()
        verb = action["action_id"].removeprefix("study_")
        try:
            value = json.loads(action.get("value") or "{}")
        except ValueError:
            value = {}
        channel = value.get("channel") or clicked_in(body)[0]
        if not channel:
            return
        trigger = body.get("trigger_id")
        if verb == "answer":
            await bot.client.views_open(trigger_id=trigger, view=modals.answer_form(channel, value.get("round")))
        elif verb == "run":
            await bot.client.views_open(trigger_id=trigger, view=modals.run_form(channel, value.get("round")))
        else:
            actor = await bot.people.actor(team_of(body), channel, body["user"]["id"])
            if verb == "review":
                await open_review(bot, trigger, actor, value.get("round"))
            else:
                number = value.get("number")
                await show(bot, body, (await bot.study.hint(actor, value.get("round"), number=number if isinstance(number, int) else None)).reply, "Hint")

    @app.view(modals.ANSWER)
    @bot.tracked
    async def answer_submitted(ack, body, view):
        text = modals.text_value(view, "answer")
        problem = answer_problem(text)
        if problem:
            await ack(response_action="errors", errors={"answer": problem})
            return
        await ack(response_action="update", view=modals.notice("Your answer", "Checking your answer…"))
        info = modals.meta(view)
        actor = await bot.people.actor(team_of(body), info.get("channel", ""), body["user"]["id"])
        response = await bot.study.answer(actor, text, via="private", round_id=info.get("round"))
        await update(bot, view["id"], modals.result("Your answer", response.reply))
        await bot.deliver(response.outbound)

    @app.view(modals.RUN)
    @bot.tracked
    async def run_submitted(ack, body, view):
        sql = modals.text_value(view, "sql")
        if not sql.strip():
            await ack(response_action="errors", errors={"sql": "Write a query to run, like SELECT * FROM orders."})
            return
        await ack(response_action="update", view=modals.notice("Run on the sample", "Running…"))
        info = modals.meta(view)
        actor = await bot.people.actor(team_of(body), info.get("channel", ""), body["user"]["id"])
        response = await bot.study.run_sql(actor, sql, info.get("round"))
        await update(bot, view["id"], modals.result("Run on the sample", response.reply))

    @app.view(modals.REVIEW)
    @bot.tracked
    async def review_submitted(ack, body, view):
        await ack(response_action="update", view=modals.notice("Review", "Saving your review…"))
        info = modals.meta(view)
        points, comment = modals.review_values(view)
        actor = await bot.people.actor(team_of(body), info.get("channel", ""), body["user"]["id"])
        response = await bot.study.submit_review(actor, info.get("answer"), points, comment)
        await update(bot, view["id"], modals.result("Review", response.reply))
        await bot.deliver(response.outbound)
