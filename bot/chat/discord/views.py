"""What a round's buttons open: the Answer and Run forms (modals), and the Review form.

Nothing here is kept in memory. A modal carries what it is for in a stable custom_id
(`studybot:answer-form:<round>`, `studybot:run-form:<round>`,
`studybot:review-note:<answer>:<points>`; round 0: the group's latest) and its
submission is matched by that pattern when it arrives (`submitted`), so a form sent
before a restart, or left open for hours, is still stored and answered. The Review form
is an ephemeral message whose select and buttons are `DynamicItem`s; the points picked
so far travel in the buttons' custom_ids (a bit mask), rewritten at each pick.
"""

from __future__ import annotations

import re

import discord

from .interactions import actor_of, send, tell_failure, think

MAX_ANSWER = 4000  # Discord's limit for a text input, and the core's for an answer
MAX_RUBRIC = 25  # options of a select
FORM = re.compile(r"studybot:(?P<kind>answer-form|run-form|review-note):(?P<target>\d{1,18})(?::(?P<points>[0-9a-f]{1,7}))?")


async def round_button(interaction: discord.Interaction, action: str, round_id: int, number: int | None = None) -> None:
    """A click on Answer, Hint, Run on sample or Review under a round's post."""
    if action == "answer":
        await show(interaction, answer_modal(round_id))
    elif action == "run":
        await show(interaction, run_modal(round_id))
    elif action == "hint":
        await think(interaction)
        await send(interaction, await interaction.client.study.hint(actor_of(interaction), round_id, number=number))
    elif action == "review":
        await open_review(interaction, round_id)


# ---- the forms ---------------------------------------------------------------------------------


def _modal(title: str, custom_id: str, field: discord.ui.TextInput) -> discord.ui.Modal:
    modal = discord.ui.Modal(title=title, custom_id=custom_id)
    modal.add_item(field)
    return modal


def answer_modal(round_id: int | None = None) -> discord.ui.Modal:
    return _modal("Your answer", f"studybot:answer-form:{round_id or 0}", discord.ui.TextInput(
        label="Answer", custom_id="answer", style=discord.TextStyle.paragraph, max_length=MAX_ANSWER,
        placeholder="SQL: the query (a ```postgresql fence picks the dialect). Otherwise: your answer.",
    ))


def run_modal(round_id: int | None = None) -> discord.ui.Modal:
    return _modal("Run SQL on the sample", f"studybot:run-form:{round_id or 0}", discord.ui.TextInput(
        label="Query", custom_id="sql", style=discord.TextStyle.paragraph, max_length=MAX_ANSWER, placeholder="SELECT … (not graded)",
    ))


def note_modal(answer_id: int, mask: int) -> discord.ui.Modal:
    return _modal("Your review", f"studybot:review-note:{answer_id}:{mask:x}", discord.ui.TextInput(
        label="Comment for the author (optional)", custom_id="comment", style=discord.TextStyle.paragraph, required=False, max_length=1000,
    ))


async def show(interaction: discord.Interaction, modal: discord.ui.Modal) -> None:
    """Open a form. It is stopped first so discord.py keeps no copy (with its 15-minute
    timeout): the submission is handled by its custom_id, whenever it comes."""
    modal.stop()
    await interaction.response.send_modal(modal)


def _values(components: list) -> dict[str, str]:
    """A modal submission's inputs by custom_id (in action rows, or in labels)."""
    found = {}
    for component in components or []:
        if "value" in component and "custom_id" in component:
            found[component["custom_id"]] = component["value"]
        found.update(_values(component.get("components") or []))
        if isinstance(component.get("component"), dict):
            found.update(_values([component["component"]]))
    return found


async def submitted(interaction: discord.Interaction) -> bool:
    """A modal submission of ours: acknowledged first, then stored and answered. False for another's."""
    data = interaction.data or {}
    match = FORM.fullmatch(str(data.get("custom_id", "")))
    if match is None:
        return False
    try:
        values, target = _values(data.get("components", [])), int(match["target"])
        await think(interaction)
        study, actor = interaction.client.study, actor_of(interaction)
        if match["kind"] == "answer-form":
            # The button of an older post answers that post's round.
            await send(interaction, await study.answer(actor, values.get("answer", ""), via="private", round_id=target or None))
        elif match["kind"] == "run-form":
            await send(interaction, await study.run_sql(actor, values.get("sql", ""), target or None))
        else:
            points = _points(int(match["points"] or "0", 16))
            await send(interaction, await study.submit_review(actor, target, points, values.get("comment", "")))
    except Exception as error:  # the member hears of it, never a form left thinking
        await tell_failure(interaction, error)
    return True


# ---- review -----------------------------------------------------------------------------------


def _points(mask: int) -> list[int]:
    return [i for i in range(1, MAX_RUBRIC + 1) if mask >> (i - 1) & 1]


def _mask(points) -> int:
    return sum(1 << (int(p) - 1) for p in points if 1 <= int(p) <= MAX_RUBRIC)


async def open_review(interaction: discord.Interaction, round_id: int | None = None) -> None:
    """`/study review` or the Review button: someone else's answer, with the form to mark it."""
    await think(interaction)
    response = await interaction.client.study.review(actor_of(interaction), round_id)
    form = response.reply.review
    await send(interaction, response, view=review_view(form.answer_id, list(form.rubric)) if form and form.rubric else None)


def review_view(answer_id: int, rubric: list[str], mask: int = 0) -> discord.ui.View:
    """The form's components: the rubric select (the picks shown as defaults), Submit, and a comment."""
    view = discord.ui.View(timeout=None)
    view.add_item(PointsSelect(answer_id, rubric, mask))
    view.add_item(ReviewButton("submit", answer_id, mask))
    view.add_item(ReviewButton("note", answer_id, mask))
    return view


class PointsSelect(discord.ui.DynamicItem[discord.ui.Select], template=r"studybot:review-points:(?P<answer>\d{1,18})"):
    def __init__(self, answer_id: int, rubric: list[str] | None = None, mask: int = 0):
        rubric = (rubric or ["1"])[:MAX_RUBRIC]
        options = [discord.SelectOption(label=f"{i}. {point}"[:100], value=str(i), default=bool(mask >> (i - 1) & 1))
                   for i, point in enumerate(rubric, 1)]
        super().__init__(discord.ui.Select(
            custom_id=f"studybot:review-points:{answer_id}", placeholder="Rubric points this answer meets (none: leave empty)",
            min_values=0, max_values=len(options), options=options,
        ))
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Select, match) -> PointsSelect:
        return cls(int(match["answer"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        # The picks go into the form itself (its buttons' ids): nothing to remember here.
        mask = _mask((interaction.data or {}).get("values", []))
        rubric = _rubric(interaction.message, self.item.custom_id)
        await interaction.response.edit_message(view=review_view(self.answer_id, rubric, mask))


def _rubric(message: discord.Message | None, custom_id: str) -> list[str]:
    """The rubric as the form's select shows it: a pick needs no database call."""
    for row in message.components if message else []:
        for child in getattr(row, "children", []):
            if getattr(child, "custom_id", None) == custom_id:
                return [option.label.split(". ", 1)[-1] for option in child.options]
    return []


class ReviewButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"studybot:review-(?P<kind>submit|note):(?P<answer>\d{1,18}):(?P<mask>[0-9a-f]{1,7})",
):
    LABELS = {"submit": ("Submit review", discord.ButtonStyle.success), "note": ("Add a comment and submit", discord.ButtonStyle.secondary)}

    def __init__(self, kind: str, answer_id: int, mask: int):
        label, style = self.LABELS[kind]
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=f"studybot:review-{kind}:{answer_id}:{mask:x}"))
        self.kind, self.answer_id, self.mask = kind, answer_id, mask

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match) -> ReviewButton:
        return cls(match["kind"], int(match["answer"]), int(match["mask"], 16))

    async def callback(self, interaction: discord.Interaction) -> None:
        if self.kind == "note":
            await show(interaction, note_modal(self.answer_id, self.mask))
            return
        await think(interaction)
        await send(interaction, await interaction.client.study.submit_review(actor_of(interaction), self.answer_id, _points(self.mask), ""))


DYNAMIC_ITEMS = (PointsSelect, ReviewButton)
