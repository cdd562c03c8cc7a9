"""`/study …` as a Discord application command group: the members' verbs, with typed options.

Options become the same `Study` calls the text dispatcher makes. Every verb that asks
the database acknowledges first (`think`): Discord gives 3 seconds, a busy database may not.
The admin verbs are a command of their own, `/study-admin` (admin.py), which Discord hides
from members: default permissions apply to a whole top-level command only.
"""

from __future__ import annotations


import discord
from discord import app_commands
from discord.app_commands import Choice

from bot.bank import TRACKS
from bot.study import Response
from bot.study.commands import VERBS, dispatch, help_reply
from bot.study.inputs import InputError, read_points
from bot.study.replies import refuse

from .interactions import actor_of, send, think
from .practice import practice_topics
from .views import answer_modal, open_review, run_modal, show

ABOUT = {verb.name: verb.summary[:100] for verb in VERBS}


def _study(interaction: discord.Interaction):
    return interaction.client.study


# ---- the group ----------------------------------------------------------------------------------


class StudyCommands(app_commands.Group):
    """The members' verbs; the admin verbs are `/study-admin` (admin.py)."""

    def __init__(self):
        super().__init__(
            name="study", description="One interview question a day, answered and reviewed together",
            guild_only=True, allowed_contexts=app_commands.AppCommandContext(guild=True),
            allowed_installs=app_commands.AppInstallationType(guild=True),
        )

    @app_commands.command(description=ABOUT["settings"])
    async def settings(self, interaction: discord.Interaction) -> None:
        await think(interaction)
        await send(interaction, await _study(interaction).settings(actor_of(interaction)))

    @app_commands.command(description=ABOUT["today"])
    async def today(self, interaction: discord.Interaction) -> None:
        await think(interaction)
        await send(interaction, await _study(interaction).today(actor_of(interaction)))

    @app_commands.command(description="answer privately: a form, or the answer right here")
    @app_commands.describe(text="your answer; leave it out to write it in a form (SQL: a ```postgresql fence picks the dialect)")
    async def answer(self, interaction: discord.Interaction, text: str | None = None) -> None:
        if not text:
            await show(interaction, answer_modal())
            return
        await think(interaction)
        await send(interaction, await _study(interaction).answer(actor_of(interaction), text, via="private"))

    @app_commands.command(description=ABOUT["hint"])
    async def hint(self, interaction: discord.Interaction) -> None:
        await think(interaction)
        await send(interaction, await _study(interaction).hint(actor_of(interaction)))

    @app_commands.command(description=ABOUT["run"])
    @app_commands.describe(sql="the query; leave it out to write it in a form")
    async def run(self, interaction: discord.Interaction, sql: str | None = None) -> None:
        if not sql:
            await show(interaction, run_modal())
            return
        await think(interaction)
        await send(interaction, await _study(interaction).run_sql(actor_of(interaction), sql))

    @app_commands.command(description=ABOUT["review"])
    @app_commands.describe(answer="the answer number to review (leave out to get one)", points="rubric points met: 1,3 or none",
                           comment="a comment for the author")
    async def review(self, interaction: discord.Interaction, answer: int | None = None, points: str | None = None,
                     comment: str | None = None) -> None:
        if answer is None:
            await open_review(interaction)
            return
        try:
            met = read_points(points or "")
        except InputError:
            example = f"`/study review answer:{answer} points:1,3` (or `points:none`)"
            await send(interaction, Response(refuse(f"Give the rubric points the answer meets, like {example}.")))
            return
        await think(interaction)
        await send(interaction, await _study(interaction).submit_review(actor_of(interaction), answer, met, comment or ""))

    @app_commands.command(description=ABOUT["leaderboard"])
    @app_commands.choices(window=[Choice(name=w, value=w) for w in ("week", "month", "all")])
    async def leaderboard(self, interaction: discord.Interaction, window: str = "week") -> None:
        await think(interaction, private=False)  # a public reply
        await send(interaction, await _study(interaction).leaderboard(actor_of(interaction), window))

    @app_commands.command(description=ABOUT["stats"])
    @app_commands.describe(member="whose stats (default: yours)")
    async def stats(self, interaction: discord.Interaction, member: discord.Member | None = None) -> None:
        await think(interaction)
        name = member.display_name if member is not None else None
        await send(interaction, await _study(interaction).stats(actor_of(interaction), name))

    @app_commands.command(description=ABOUT["history"])
    async def history(self, interaction: discord.Interaction) -> None:
        await think(interaction)
        await send(interaction, await _study(interaction).history(actor_of(interaction)))

    @app_commands.command(description=ABOUT["help"])
    @app_commands.choices(topic=[Choice(name=t, value=t) for t in ("scoring", "sql", "practice")])
    async def help(self, interaction: discord.Interaction, topic: str | None = None) -> None:
        await send(interaction, Response(help_reply(topic)))

    # ---- each member's own loop: private practice, the repetition schedule, reminders, mocks ----

    @app_commands.command(description=ABOUT["practice"])
    @app_commands.describe(topic="a category, tag, track or difficulty (or weak, due); or next, stop, mark [#] POINTS")
    @app_commands.autocomplete(topic=practice_topics)
    async def practice(self, interaction: discord.Interaction, topic: str | None = None) -> None:
        await think(interaction)  # a SQL question's sample is rendered by DuckDB
        await send(interaction, await dispatch(_study(interaction), actor_of(interaction), f"practice {topic or ''}"))

    @app_commands.command(description=ABOUT["due"])
    async def due(self, interaction: discord.Interaction) -> None:
        await think(interaction)
        await send(interaction, await _study(interaction).due(actor_of(interaction)))

    @app_commands.command(description=ABOUT["remind"])
    @app_commands.describe(setting="on [HH:MM], off, or tz ZONE (leave out to see your settings)")
    async def remind(self, interaction: discord.Interaction, setting: str | None = None) -> None:
        await think(interaction)
        await send(interaction, await _study(interaction).remind(actor_of(interaction), setting or ""))

    @app_commands.command(description=ABOUT["mock"])
    @app_commands.describe(track="the interview loop (default: the group's first track)", minutes="the time limit",
                           step="next: skip the current question; stop: end it and get the report")
    @app_commands.choices(track=[Choice(name=t, value=t) for t in TRACKS], step=[Choice(name=s, value=s) for s in ("next", "stop")])
    async def mock(self, interaction: discord.Interaction, track: str | None = None,
                   minutes: app_commands.Range[int, 5, 180] | None = None, step: str | None = None) -> None:
        await think(interaction)
        study, actor = _study(interaction), actor_of(interaction)
        if step is not None:
            await send(interaction, await (study.mock_next if step == "next" else study.mock_stop)(actor))
        else:
            await send(interaction, await study.mock(actor, track, minutes))

