"""The Discord client: shards, the /study and /study-admin command tree, the round buttons, thread answers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

import discord
from discord import app_commands

from bot.schedule import Deliverer
from bot.study import Outbound, Study

from . import threads, views
from .buttons import RoundButton
from .admin import StudyAdminCommands
from .commands import StudyCommands
from .interactions import tell_failure
from .platform import DiscordPlatform
from .practice import DYNAMIC_ITEMS as PRACTICE_ITEMS
from .views import DYNAMIC_ITEMS as REVIEW_ITEMS

log = logging.getLogger(__name__)

DRAIN_SECONDS = 30.0  # how long a shutdown waits for members' answers being checked
# The tasks discord.py runs a member's event in: events, commands, components.
EVENT_TASKS = ("discord.py: on_", "CommandTree-invoker", "discord-ui-view-dispatch-")

# What the bot needs in a study channel; the invite link asks for exactly these.
PERMISSIONS = discord.Permissions(
    send_messages=True, create_public_threads=True, send_messages_in_threads=True, embed_links=True,
    attach_files=True, add_reactions=True, read_message_history=True,
)


def invite_url(application_id: int) -> str:
    return discord.utils.oauth_url(application_id, permissions=PERMISSIONS, scopes=("bot", "applications.commands"))


def intents(message_content: bool) -> discord.Intents:
    """Guilds (channels and threads), guild messages (thread answers), and their content if granted."""
    chosen = discord.Intents.none()
    chosen.guilds = True
    chosen.guild_messages = True
    chosen.message_content = message_content
    return chosen


class StudyClient(discord.AutoShardedClient):
    def __init__(self, study: Study, *, message_content: bool = True, sync_commands: bool = True, **options):
        super().__init__(intents=intents(message_content), allowed_mentions=discord.AllowedMentions.none(), **options)
        self.study = study
        self.sync_commands = sync_commands
        self.tree = app_commands.CommandTree(self)
        self.tree.on_error = tell_failure  # a private "something went wrong", never a form left thinking
        self.platform = DiscordPlatform(self)
        self.deliverer = Deliverer(study, self.platform)
        study.notify = self.deliverer.deliver  # "taking long" notices, sent mid-answer

    async def setup_hook(self) -> None:
        # Buttons are matched by custom_id, so every post's buttons work from the first event on.
        self.add_dynamic_items(RoundButton, *PRACTICE_ITEMS, *REVIEW_ITEMS)
        self.tree.add_command(StudyCommands())
        self.tree.add_command(StudyAdminCommands())
        if self.sync_commands:
            await self.tree.sync()  # a bulk overwrite: unchanged commands cost nothing

    async def round_button(self, interaction: discord.Interaction, action: str, round_id: int, number: int | None = None) -> None:
        try:
            await views.round_button(interaction, action, round_id, number)
        except Exception as error:  # discord.py would only log it: the member hears of it
            await tell_failure(interaction, error)

    async def deliver(self, posts: Iterable[Outbound]) -> None:
        failed = await self.deliverer.deliver(posts)
        for post in failed:
            if post.kind == "edit":  # owed until confirmed (a deleted message is not): a later sweep tries again
                log.warning("could not edit the buttons of message %s in channel %s", post.edit_ref, post.channel_id)
            else:
                log.warning("could not deliver a %s to channel %s; the schedule retries what is owed", post.kind, post.channel_id)

    async def shut_down(self, timeout: float = DRAIN_SECONDS) -> None:
        """Close, after what members asked for has finished: an answer being checked gets
        its verdict stored and sent (told over this client's connection) before it goes."""
        current = asyncio.current_task()
        busy = [t for t in asyncio.all_tasks() if t is not current and not t.done() and t.get_name().startswith(EVENT_TASKS)]
        if busy:
            log.info("shutting down: finishing %d interactions and messages first", len(busy))
            _, late = await asyncio.wait(busy, timeout=timeout)
            if late:
                log.warning("shutting down with %d unfinished; their answers are stored and checked again at start", len(late))
        await self.close()

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        # Forms are matched by custom_id, like buttons: one sent before a restart still lands.
        if interaction.type is discord.InteractionType.modal_submit:
            await views.submitted(interaction)

    async def on_message(self, message: discord.Message) -> None:
        await threads.take_answer(self, message)

    async def on_ready(self) -> None:
        log.info("connected to Discord as %s in %d servers (%d shards)", self.user, len(self.guilds), self.shard_count or 1)
        if self.application_id:
            log.info("invite it to a server: %s", invite_url(self.application_id))
