"""`/study …` as a Discord application command group: every verb, with typed options.

Options become the same `Study` calls the text dispatcher makes. Every verb that asks
the database acknowledges first (`think`): Discord gives 3 seconds, a busy database may not. Admin verbs need
Manage Channels: a check here (Discord applies default permissions to a whole
command, not to one subcommand, so the group itself stays open to every member).
"""

from __future__ import annotations

import logging
from zoneinfo import available_timezones

import discord
from discord import app_commands
from discord.app_commands import Choice

from bot.bank import CATEGORIES, TRACKS
from bot.grading import DIALECTS
from bot.study import Response
from bot.study.commands import VERBS, dispatch, help_reply
from bot.study.inputs import InputError, read_points
from bot.study.replies import refuse

from .interactions import actor_of, send, tell_failure, think
from .practice import practice_topics
from .views import answer_modal, open_review, run_modal, show

log = logging.getLogger(__name__)

TIMEZONES = tuple(sorted(available_timezones()))  # read once, at import, off the event loop
DAY_SETS = ("mon-fri", "daily", "weekends", "mon,wed,fri", "tue,thu")
ABOUT = {verb.name: verb.summary[:100] for verb in VERBS}
admin_only = app_commands.checks.has_permissions(manage_channels=True)


def _study(interaction: discord.Interaction):
    return interaction.client.study


# What the bot needs in a study channel, as Discord names it in channel settings → Permissions.
NEEDED = (("view_channel", "View Channel"), ("send_messages", "Send Messages"), ("create_public_threads", "Create Public Threads"),
          ("send_messages_in_threads", "Send Messages in Threads"), ("embed_links", "Embed Links"))


def channel_unfit(interaction: discord.Interaction, spoiler_safe: bool = False) -> str | None:
    """Why the daily post could not work in this channel, or None: checked at setup, so a
    group never starts where every post would fail."""
    channel = interaction.channel
    if isinstance(channel, discord.Thread) or not isinstance(channel, discord.TextChannel):
        where = "a forum post" if isinstance(getattr(channel, "parent", None), discord.ForumChannel) else "a thread" if isinstance(channel, discord.Thread) else "this kind of channel"
        return f"A study group can't live in {where}: the daily question needs a text channel to post in and open threads on. Run `/study setup` in a text channel."
    granted = interaction.app_permissions
    needed = NEEDED + ((("manage_messages", "Manage Messages"),) if spoiler_safe else ())
    missing = [name for flag, name in needed if not getattr(granted, flag)]
    if missing:
        return (f"I can't run a study group here: I'm missing **{', '.join(missing)}** in this channel. "
                "Give the bot that in the channel's settings → Permissions, then run `/study setup` again.")
    return None


# ---- autocomplete -----------------------------------------------------------------------------


async def timezones(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
    text = current.strip().lower()
    found = [z for z in TIMEZONES if text in z.lower()] if text else ["UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Kolkata", "Asia/Tokyo"]
    return [Choice(name=z, value=z) for z in found[:25]]


async def day_sets(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
    return [Choice(name=d, value=d) for d in DAY_SETS if d.startswith(current.strip().lower())] or [Choice(name=current, value=current)]


def _comma_list(current: str, allowed: tuple[str, ...]) -> list[Choice[str]]:
    """Complete the last item of a comma list (`sql,stat` → `sql,statistics`)."""
    done, _, last = current.lower().rpartition(",")
    chosen = {c.strip() for c in done.split(",") if c.strip()}
    prefix = ",".join(sorted(chosen, key=allowed.index)) + "," if chosen and chosen <= set(allowed) else ""
    out = [] if chosen else [Choice(name="all", value="all")]
    out += [Choice(name=prefix + c, value=prefix + c) for c in allowed if c.startswith(last.strip()) and c not in chosen]
    return out[:25]


async def categories(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
    return _comma_list(current, CATEGORIES)


async def tracks(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
    return _comma_list(current, TRACKS)


# ---- the group ----------------------------------------------------------------------------------


class StudyCommands(app_commands.Group):
    def __init__(self):
        super().__init__(
            name="study", description="One interview question a day, answered and reviewed together",
            guild_only=True, allowed_contexts=app_commands.AppCommandContext(guild=True),
            allowed_installs=app_commands.AppInstallationType(guild=True),
        )

    @app_commands.command(description=ABOUT["setup"])
    @app_commands.describe(
        time="post time, HH:MM in the group's timezone (09:00)", timezone="IANA timezone (Europe/Berlin)",
        days="study days (mon-fri, daily, mon,wed,fri)", reveal="hours from the post to the reveal",
        categories="comma list of categories, or all", tracks="comma list of interview tracks, or all",
        mix="difficulty weights (easy:1,medium:2,hard:1)", dialect="default SQL dialect",
        ping="a role to mention on each daily post (@everyone: none)",
        spoiler_safe="take answers out of the thread once stored, until the reveal (needs Manage Messages)",
    )
    @app_commands.autocomplete(timezone=timezones, days=day_sets, categories=categories, tracks=tracks)
    @app_commands.choices(dialect=[Choice(name=d, value=d) for d in DIALECTS])
    @admin_only
    async def setup(
        self, interaction: discord.Interaction, time: str | None = None, timezone: str | None = None, days: str | None = None,
        reveal: app_commands.Range[int, 1, 48] | None = None, categories: str | None = None, tracks: str | None = None,
        mix: str | None = None, dialect: str | None = None, ping: discord.Role | None = None, spoiler_safe: bool | None = None,
    ) -> None:
        if (unfit := channel_unfit(interaction, spoiler_safe=bool(spoiler_safe))) is not None:
            await send(interaction, Response(refuse(unfit)))
            return
        await think(interaction)
        given = {"time": time, "tz": timezone, "days": days, "reveal": f"{reveal}h" if reveal else None,
                 "categories": categories, "tracks": tracks, "mix": mix, "dialect": dialect}
        settings = {key: value for key, value in given.items() if value is not None}
        study, actor = _study(interaction), actor_of(interaction)
        response = await study.setup(actor, settings)
        options = {}
        if ping is not None:
            options["ping_role"] = None if ping.is_default() else str(ping.id)
        if spoiler_safe is not None:
            options["spoiler_safe"] = spoiler_safe
        if response.reply.ok and options:
            await study.set_adapter_options(actor, options)  # stored before the member is told
        await send(interaction, response)

    @app_commands.command(description=ABOUT["settings"])
    async def settings(self, interaction: discord.Interaction) -> None:
        await think(interaction)
        await send(interaction, await _study(interaction).settings(actor_of(interaction)))

    @app_commands.command(description=ABOUT["pause"])
    @app_commands.describe(until="last day of the pause, YYYY-MM-DD (empty: until /study resume)")
    @admin_only
    async def pause(self, interaction: discord.Interaction, until: str | None = None) -> None:
        await think(interaction, private=False)  # a public reply
        await send(interaction, await _study(interaction).pause(actor_of(interaction), until))

    @app_commands.command(description=ABOUT["resume"])
    @admin_only
    async def resume(self, interaction: discord.Interaction) -> None:
        await think(interaction, private=False)  # a public reply
        await send(interaction, await _study(interaction).resume(actor_of(interaction)))

    @app_commands.command(description=ABOUT["post"])
    @admin_only
    async def post(self, interaction: discord.Interaction) -> None:
        await think(interaction)
        await send(interaction, await _study(interaction).post_now(actor_of(interaction)))

    @app_commands.command(description=ABOUT["skip"])
    @admin_only
    async def skip(self, interaction: discord.Interaction) -> None:
        await think(interaction)
        await send(interaction, await _study(interaction).skip(actor_of(interaction)))

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


async def on_command_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
    """Every refusal or error is a short private message that says what to do instead."""
    if not isinstance(error, app_commands.CheckFailure):
        await tell_failure(interaction, error)
        return
    verb = interaction.command.name if interaction.command else "this"
    text = f"Only members who can manage this channel can use `/study {verb}`. Ask one of them; `/study settings` shows the group's settings."
    try:
        await send(interaction, Response(refuse(text)))
    except discord.HTTPException:
        log.warning("could not tell the member about the refusal", exc_info=True)
