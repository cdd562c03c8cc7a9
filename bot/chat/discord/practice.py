"""A member's own loop on Discord: the components of practice replies.

Practice replies are ephemeral like every private reply. Their buttons (a practice
question's next hint, another question) and the self-review select of a written
answer carry their sitting's or question's id in a stable custom_id,
`studybot:practice-<action>:<id>[:<number>]` and `studybot:mark:<item>`, matched by
`DynamicItem`s registered at start-up, as the round buttons are. Reminders and mock
reports are the core's DMs, sent by the platform like every other.
"""

from __future__ import annotations

import discord

from discord.app_commands import Choice

from bot.study import Reply
from bot.study.drill import vocabulary

from . import interactions  # (a module: it imports this one for practice_view)

PRACTICE_ACTIONS = ("practice-hint", "practice-next")
MAX_RUBRIC = 25  # options of a select


def _id(action: str, target: int, number: int | None = None) -> str:
    return f"studybot:{action}:{target}" + (f":{number}" if number is not None else "")


class PracticeButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"studybot:(?P<action>practice-hint|practice-next):(?P<target>\d{1,18})(?::(?P<number>\d{1,3}))?",
):
    def __init__(self, action: str, target: int, label: str | None = None, number: int | None = None):
        style = discord.ButtonStyle.secondary if action == "practice-hint" else discord.ButtonStyle.primary
        super().__init__(discord.ui.Button(label=(label or action)[:80], style=style, custom_id=_id(action, target, number)))
        self.action, self.target, self.number = action, target, number

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match) -> PracticeButton:
        return cls(match["action"], int(match["target"]), item.label, int(match["number"]) if match["number"] else None)

    async def callback(self, interaction: discord.Interaction) -> None:
        study, actor = interaction.client.study, interactions.actor_of(interaction)
        await interactions.think(interaction)  # the database, and a SQL question's sample rendered by DuckDB
        if self.action == "practice-hint":
            await interactions.send(interaction, await study.sitting_hint(actor, self.target, self.number))
        else:
            await interactions.send(interaction, await study.practice_next(actor, after=self.target))


class MarkSelect(discord.ui.DynamicItem[discord.ui.Select], template=r"studybot:mark:(?P<item>\d{1,18})"):
    """Self-review: pick the rubric points your written answer met; each pick saves them."""

    def __init__(self, item_id: int, rubric: tuple[str, ...] = ()):
        options = [discord.SelectOption(label=f"{i}. {point}"[:100], value=str(i)) for i, point in enumerate(rubric[:MAX_RUBRIC], 1)]
        select = discord.ui.Select(
            custom_id=f"studybot:mark:{item_id}", placeholder="Rubric points your answer met",
            min_values=0, max_values=max(1, len(options)), options=options or [discord.SelectOption(label="1", value="1")],
        )
        super().__init__(select)
        self.item_id = item_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Select, match) -> MarkSelect:
        return cls(int(match["item"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        points = (interaction.data or {}).get("values", [])
        await interactions.think(interaction)
        await interactions.send(interaction, await interaction.client.study.practice_mark(interactions.actor_of(interaction), list(points), self.item_id))


DYNAMIC_ITEMS = (PracticeButton, MarkSelect)


async def practice_topics(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
    """`/study practice topic:` completed word by word from the bank's categories, tags, tracks and difficulties."""
    done, _, last = current.lower().rpartition(" ")
    words = sorted(vocabulary(await interaction.client.study.bank())) + ["next", "stop", "mark"]
    prefix = f"{done} " if done else ""
    return [Choice(name=prefix + w, value=prefix + w) for w in words if w.startswith(last.strip())][:25]


def practice_view(reply: Reply) -> discord.ui.View | None:
    """The components of a practice reply, or None when it has none."""
    buttons = [b for b in reply.buttons if b.action in PRACTICE_ACTIONS]
    if not buttons and reply.self_review is None:
        return None
    view = discord.ui.View(timeout=None)
    if reply.self_review is not None:
        view.add_item(MarkSelect(reply.self_review.item_id, reply.self_review.rubric))
    for button in buttons[:20]:
        view.add_item(PracticeButton(button.action, button.round_id, button.label, button.number))
    return view
