"""The buttons on a round's posts: Answer, Hint, Run on sample, Review.

Each carries a stable custom_id, `studybot:<action>:<round_id>`, matched by a
`DynamicItem` registered when the client starts. No view is kept per message, so the
buttons of any post, however old and across restarts, keep working.
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


def custom_id(action: str, round_id: int) -> str:
    return f"studybot:{action}:{round_id}"


class RoundButton(discord.ui.DynamicItem[discord.ui.Button], template=r"studybot:(?P<action>answer|hint|run|review):(?P<round_id>\d+)"):
    def __init__(self, action: str, round_id: int, label: str | None = None):
        super().__init__(discord.ui.Button(label=(label or action.title())[:80], style=STYLES[action], custom_id=custom_id(action, round_id)))
        self.action = action
        self.round_id = round_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match) -> RoundButton:
        return cls(match["action"], int(match["round_id"]), item.label)

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.client.round_button(interaction, self.action, self.round_id)


def round_view(buttons: tuple[Button, ...]) -> discord.ui.View:
    """The buttons of a reply (at most 25, five to a row) as a view with no timeout."""
    view = discord.ui.View(timeout=None)
    for button in buttons[:25]:
        if button.action in ACTIONS:
            view.add_item(RoundButton(button.action, button.round_id, button.label))
    return view
