"""`/study-admin …`: the admin verbs as their own top-level command, hidden from members.

Discord applies `default_member_permissions` to a top-level command only, so the admin
verbs live here, gated by Manage Channels, and `/study` keeps the members' verbs. Discord
enforces the gate server-side, and a server can hand it to a study-lead role (Server
Settings → Integrations → studybot → `/study-admin`): whoever Discord lets in is an admin
to the core (`actor_of(…, admin=True)`).
"""

from __future__ import annotations

from zoneinfo import available_timezones

import discord
from discord import app_commands
from discord.app_commands import Choice

from bot.bank import CATEGORIES, TRACKS
from bot.grading import DIALECTS
from bot.study import Response
from bot.study.commands import ADMIN_VERBS, VERBS
from bot.study.replies import refuse

from .interactions import actor_of, send, think

ADMIN_COMMAND = "study-admin"
TIMEZONES = tuple(sorted(available_timezones()))  # read once, at import, off the event loop
DAY_SETS = ("mon-fri", "daily", "weekends", "mon,wed,fri", "tue,thu")
ABOUT = {verb.name: verb.summary[:100] for verb in VERBS if verb.name in ADMIN_VERBS}

# What the bot needs in a study channel, as Discord names it in channel settings → Permissions.
NEEDED = (("view_channel", "View Channel"), ("send_messages", "Send Messages"), ("create_public_threads", "Create Public Threads"),
          ("send_messages_in_threads", "Send Messages in Threads"), ("embed_links", "Embed Links"))


def channel_unfit(interaction: discord.Interaction, spoiler_safe: bool = False) -> str | None:
    """Why the daily post could not work in this channel, or None: checked at setup, so a
    group never starts where every post would fail."""
    channel = interaction.channel
    if isinstance(channel, discord.Thread) or not isinstance(channel, discord.TextChannel):
        where = "a forum post" if isinstance(getattr(channel, "parent", None), discord.ForumChannel) else "a thread" if isinstance(channel, discord.Thread) else "this kind of channel"
        return f"A study group can't live in {where}: the daily question needs a text channel to post in and open threads on. Run `/study-admin setup` in a text channel."
    granted = interaction.app_permissions
    needed = NEEDED + ((("manage_messages", "Manage Messages"),) if spoiler_safe else ())
    missing = [name for flag, name in needed if not getattr(granted, flag)]
    if missing:
        return (f"I can't run a study group here: I'm missing **{', '.join(missing)}** in this channel. "
                "Give the bot that in the channel's settings → Permissions, then run `/study-admin setup` again.")
    return None


def champion_unfit(interaction: discord.Interaction, role: discord.Role) -> str | None:
    """Why the bot could not hand `role` to the week's winner (Discord would answer 403
    50013), or None."""
    if not interaction.app_permissions.manage_roles:
        return ("I can't hand out a champion role: I'm missing **Manage Roles**. Give the bot that "
                "(Server Settings → Roles), then run `/study-admin setup` again.")
    if not role.is_assignable():
        return (f"I can't hand out **{role.name}**: it is above my highest role (or managed by an integration). "
                "Drag the bot's role above it in Server Settings → Roles, then run `/study-admin setup` again.")
    return None


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


def _role_option(role: discord.Role) -> str | None:
    return None if role.is_default() else str(role.id)  # @everyone: none


class StudyAdminCommands(app_commands.Group):
    def __init__(self):
        super().__init__(
            name=ADMIN_COMMAND, description="Run this channel's study group: setup, pause, resume, post, skip",
            default_permissions=discord.Permissions(manage_channels=True),
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
        champion="a role the week's winner holds until the next winner (@everyone: none; needs Manage Roles)",
    )
    @app_commands.autocomplete(timezone=timezones, days=day_sets, categories=categories, tracks=tracks)
    @app_commands.choices(dialect=[Choice(name=d, value=d) for d in DIALECTS])
    async def setup(
        self, interaction: discord.Interaction, time: str | None = None, timezone: str | None = None, days: str | None = None,
        reveal: app_commands.Range[int, 1, 48] | None = None, categories: str | None = None, tracks: str | None = None,
        mix: str | None = None, dialect: str | None = None, ping: discord.Role | None = None, spoiler_safe: bool | None = None,
        champion: discord.Role | None = None,
    ) -> None:
        unfit = channel_unfit(interaction, spoiler_safe=bool(spoiler_safe))
        if unfit is None and champion is not None and not champion.is_default():
            unfit = champion_unfit(interaction, champion)
        if unfit is not None:
            await send(interaction, Response(refuse(unfit)))
            return
        await think(interaction)
        given = {"time": time, "tz": timezone, "days": days, "reveal": f"{reveal}h" if reveal else None,
                 "categories": categories, "tracks": tracks, "mix": mix, "dialect": dialect}
        settings = {key: value for key, value in given.items() if value is not None}
        study, actor = interaction.client.study, actor_of(interaction, admin=True)
        response = await study.setup(actor, settings)
        options = {}
        if ping is not None:
            options["ping_role"] = _role_option(ping)
        if spoiler_safe is not None:
            options["spoiler_safe"] = spoiler_safe
        if champion is not None:  # a new role: the owners may be told of a refusal again
            options.update(champion_role=_role_option(champion), champion_refused=False)
        if response.reply.ok and options:
            await study.set_adapter_options(actor, options)  # stored before the member is told
        await send(interaction, response)

    @app_commands.command(description=ABOUT["pause"])
    @app_commands.describe(until="last day of the pause, YYYY-MM-DD (empty: until /study-admin resume)")
    async def pause(self, interaction: discord.Interaction, until: str | None = None) -> None:
        await think(interaction, private=False)  # a public reply
        await send(interaction, await interaction.client.study.pause(actor_of(interaction, admin=True), until))

    @app_commands.command(description=ABOUT["resume"])
    async def resume(self, interaction: discord.Interaction) -> None:
        await think(interaction, private=False)  # a public reply
        await send(interaction, await interaction.client.study.resume(actor_of(interaction, admin=True)))

    @app_commands.command(description=ABOUT["post"])
    async def post(self, interaction: discord.Interaction) -> None:
        await think(interaction)
        await send(interaction, await interaction.client.study.post_now(actor_of(interaction, admin=True)))

    @app_commands.command(description=ABOUT["skip"])
    async def skip(self, interaction: discord.Interaction) -> None:
        await think(interaction)
        await send(interaction, await interaction.client.study.skip(actor_of(interaction, admin=True)))
