"""What a round's buttons open: the Answer and Run modals, and the Review form.

The Review form is an ephemeral view: the answer to review, a multi-select of the
rubric points it meets, and Submit (or a modal to add a comment first).
"""

from __future__ import annotations

import discord

from .interactions import actor_of, send, tell_failure, think

MODAL_TIMEOUT = 15 * 60  # a modal or form left open is forgotten after this
MAX_ANSWER = 4000  # Discord's limit for a text input, and the core's for an answer


async def round_button(interaction: discord.Interaction, action: str, round_id: int, number: int | None = None) -> None:
    """A click on Answer, Hint, Run on sample or Review under a round's post."""
    if action == "answer":
        await interaction.response.send_modal(AnswerModal(round_id))
    elif action == "run":
        await interaction.response.send_modal(RunModal(round_id))
    elif action == "hint":
        await send(interaction, await interaction.client.study.hint(actor_of(interaction), round_id, number=number))
    elif action == "review":
        await open_review(interaction, round_id)


class Form(discord.ui.Modal):
    """A modal whose errors reach the member (discord.py would only log them)."""

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await tell_failure(interaction, error)


class AnswerModal(Form, title="Your answer"):
    text = discord.ui.TextInput(
        label="Answer",
        style=discord.TextStyle.paragraph,
        max_length=MAX_ANSWER,
        placeholder="SQL: the query (a ```postgresql fence picks the dialect). Otherwise: your answer.",
    )

    def __init__(self, round_id: int | None = None):
        super().__init__(timeout=MODAL_TIMEOUT)
        self.round_id = round_id

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await think(interaction)
        # The button of an older post answers that post's round.
        await send(interaction, await interaction.client.study.answer(actor_of(interaction), self.text.value, via="private", round_id=self.round_id))


class RunModal(Form, title="Run SQL on the sample"):
    sql = discord.ui.TextInput(label="Query", style=discord.TextStyle.paragraph, max_length=MAX_ANSWER, placeholder="SELECT … (not graded)")

    def __init__(self, round_id: int | None = None):
        super().__init__(timeout=MODAL_TIMEOUT)
        self.round_id = round_id

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await think(interaction)
        await send(interaction, await interaction.client.study.run_sql(actor_of(interaction), self.sql.value, self.round_id))


# ---- review -----------------------------------------------------------------------------------

async def open_review(interaction: discord.Interaction, round_id: int | None = None) -> None:
    """`/study review` or the Review button: someone else's answer, with the form to mark it."""
    response = await interaction.client.study.review(actor_of(interaction), round_id)
    form = response.reply.review
    await send(interaction, response, view=ReviewForm(form.answer_id, list(form.rubric)) if form and form.rubric else None)


class ReviewForm(discord.ui.View):
    def __init__(self, answer_id: int, rubric: list[str]):
        super().__init__(timeout=MODAL_TIMEOUT)
        self.answer_id = answer_id
        rubric = rubric[:25]  # a select offers at most 25 options
        self.points = discord.ui.Select(
            placeholder="Rubric points this answer meets (none: leave empty)",
            min_values=0,
            max_values=len(rubric),
            options=[discord.SelectOption(label=f"{i}. {point}"[:100], value=str(i)) for i, point in enumerate(rubric, 1)],
        )
        self.points.callback = self._picked
        submit = discord.ui.Button(label="Submit review", style=discord.ButtonStyle.success)
        submit.callback = self._submit
        comment = discord.ui.Button(label="Add a comment and submit", style=discord.ButtonStyle.secondary)
        comment.callback = self._comment
        for item in (self.points, submit, comment):
            self.add_item(item)

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item) -> None:
        await tell_failure(interaction, error)

    async def _picked(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer()  # the choice is kept until Submit

    async def _submit(self, interaction: discord.Interaction) -> None:
        await self.submit(interaction, "")

    async def _comment(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(CommentModal(self))

    async def submit(self, interaction: discord.Interaction, comment: str) -> None:
        points = sorted(int(value) for value in self.points.values)
        response = await interaction.client.study.submit_review(actor_of(interaction), self.answer_id, points, comment)
        if response.reply.ok:
            self.stop()
        await send(interaction, response)


class CommentModal(Form, title="Your review"):
    comment = discord.ui.TextInput(
        label="Comment for the author (optional)", style=discord.TextStyle.paragraph, required=False, max_length=1000,
    )

    def __init__(self, form: ReviewForm):
        super().__init__(timeout=MODAL_TIMEOUT)
        self.form = form

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self.form.submit(interaction, self.comment.value or "")
