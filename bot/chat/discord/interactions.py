"""An interaction's member as an `Actor`, and a core `Response` as the interaction's reply.

Private replies are ephemeral; posts the core asks for (a question posted with
`/study post`, a review told to its author) are delivered after the reply, through the
same delivery as the scheduler's.
"""

from __future__ import annotations

import logging

import discord

from bot.study import Actor, Response
from bot.study.replies import refuse

from .practice import practice_view
from .render import render

log = logging.getLogger(__name__)

PLATFORM = "discord"
FAILED = "Something went wrong on my side. Please try again in a moment."
ALREADY_ACKNOWLEDGED = 40060  # Discord: "Interaction has already been acknowledged."


def group_channel_id(channel) -> str:
    """A study group is a channel; a command or message in one of its threads belongs to it."""
    if isinstance(channel, discord.Thread):
        return str(channel.parent_id)
    return str(channel.id)


def actor_of(interaction: discord.Interaction, admin: bool = False) -> Actor:
    """`admin`: Discord let the member invoke `/study-admin` (Manage Channels, or an override
    the server gave a role in Integrations); Discord enforces that, so the core believes it."""
    user = interaction.user
    channel = interaction.channel if interaction.channel is not None else discord.Object(interaction.channel_id)
    return Actor(
        platform=PLATFORM,
        channel_id=group_channel_id(channel),
        user_id=str(user.id),
        name=user.display_name,
        is_admin=admin or interaction.permissions.manage_channels,
        workspace_id=str(interaction.guild_id or ""),
    )


def acknowledged(interaction: discord.Interaction) -> bool:
    """By discord.py's record, or by ours when its record missed one (see `_once`)."""
    return interaction.response.is_done() or interaction.extras.get("acknowledged", False)


async def _once(acknowledgement) -> None:
    """Discord sometimes makes an acknowledgement and still answers 5xx; discord.py then asks
    again and is refused (40060). The acknowledgement stands: the reply follows it, or is it."""
    try:
        await acknowledgement
    except discord.HTTPException as error:
        if error.code != ALREADY_ACKNOWLEDGED:
            raise


async def think(interaction: discord.Interaction, private: bool = True) -> None:
    """Acknowledge now ("thinking…"): Discord allows 3 seconds, and the database or a SQL
    check may take longer. `private`: how the reply is expected to be shown."""
    if not acknowledged(interaction):
        await _once(interaction.response.defer(ephemeral=private, thinking=True))
        interaction.extras["acknowledged"] = True
        interaction.extras["deferred_private"] = private


async def send(interaction: discord.Interaction, response: Response, view: discord.ui.View | None = None) -> None:
    """Reply to the member (ephemeral when private), then deliver what the core wants posted."""
    message = render(response.reply).kwargs()
    view = view or practice_view(response.reply)  # a practice reply's buttons and self-review
    if view is not None:
        message["view"] = view
    private = response.reply.private
    if not acknowledged(interaction):
        await _once(interaction.response.send_message(**message, ephemeral=private))
    else:
        if private and interaction.extras.get("deferred_private") is False:
            # "Thinking…" was public, the reply is not (a refusal): it must not show there.
            await interaction.delete_original_response()
        await interaction.followup.send(**message, ephemeral=private)
    if response.outbound:
        await interaction.client.deliver(response.outbound)


async def tell_failure(interaction: discord.Interaction, error: Exception) -> None:
    """An unexpected error in a command, button or form: logged, and the member told privately
    (a deferred reply would otherwise say "thinking…" until Discord gives up)."""
    log.error("a Discord interaction failed", exc_info=error)
    try:
        await send(interaction, Response(refuse(FAILED)))
    except discord.HTTPException:
        log.warning("could not tell the member about the error", exc_info=True)
