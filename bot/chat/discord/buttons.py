"""The buttons on a round's posts: Answer, Hint, Run on sample, Review.

Each carries a stable custom_id, `studybot:<action>:<round_id>[:<number>]` (the
number: which hint a Hint button asks for), matched by a
`DynamicItem` registered when the client starts. No view is kept per message, so the
buttons of any post, however old and across restarts, keep working. A button the core
marks disabled (Review, once the round's review window closed) is shown greyed out; a
click that still arrives on an old copy gets the core's refusal.
"""

from __future__ import annotations

import discord

from bot.study import Button

ACTIONS = ("answer", "hint", "run", "review")
STYLES = {
    "answer": discord.ButtonStyle.primary,
    "hint": discord.ButtonStyle.secondary,
    "run": discord.ButtonStyle.secondary,
    "review": discord.ButtonStyle.success,
}


def custom_id(action: str, round_id: int, number: int | None = None) -> str:
    return f"studybot:{action}:{round_id}" + (f":{number}" if number is not None else "")


class RoundButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"studybot:(?P<action>answer|hint|run|review):(?P<round_id>\d{1,18})(?::(?P<number>\d{1,3}))?",
):
    def __init__(self, action: str, round_id: int, label: str | None = None, number: int | None = None, disabled: bool = False):
        button = discord.ui.Button(
            label=(label or action.title())[:80], style=STYLES[action], custom_id=custom_id(action, round_id, number), disabled=disabled,
        )
        super().__init__(button)
        self.action = action
        self.round_id = round_id
        self.number = number

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match) -> RoundButton:
        return cls(match["action"], int(match["round_id"]), item.label, int(match["number"]) if match["number"] else None)

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.client.round_button(interaction, self.action, self.round_id, self.number)


def round_view(buttons: tuple[Button, ...]) -> discord.ui.View:
    """The buttons of a reply (at most 25, five to a row) as a view with no timeout."""
    view = discord.ui.View(timeout=None)
    for button in buttons[:25]:
        if button.action in ACTIONS:
            view.add_item(RoundButton(button.action, button.round_id, button.label, button.number, button.disabled))
    return view
