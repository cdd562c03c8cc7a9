"""Whose token talks to which workspace.

A self-hosted app has one bot token for its one workspace (`OneWorkspace`). An app
installed through OAuth in many workspaces keeps each one's bot token in slack_sdk's
SQLAlchemy installation store, and the OAuth flow's state in its state store, on our
database, so that every HTTP worker behind a load balancer shares them (their tables
come from Alembic, migration 0006). `Installations` gives the scheduler a client for
any workspace, rotating its token first when it is about to expire.

slack_sdk's stores are blocking: their calls run in threads, through `Database.call`,
so a database that went away is `DatabaseUnavailable` like everywhere else. The last
bot seen per workspace is kept in memory, so requests are still authorized (and told
plainly that nothing can be saved) while the database is away.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import MetaData, desc, select

from bot.store import Database, DatabaseUnavailable

log = logging.getLogger(__name__)
ROTATE_BEFORE_MINUTES = 120  # a token expiring sooner than this is rotated before use (Bolt's default)


def store_tables() -> MetaData:
    """The tables slack_sdk's SQLAlchemy stores use, by their default names (migration 0006 creates them)."""
    metadata = MetaData()
    SQLAlchemyInstallationStore.build_bots_table(metadata, SQLAlchemyInstallationStore.default_bots_table_name)
    SQLAlchemyInstallationStore.build_installations_table(metadata, SQLAlchemyInstallationStore.default_installations_table_name)
    SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, SQLAlchemyOAuthStateStore.default_table_name)
    return metadata


class NotInstalled(Exception):
    """No bot token for the workspace: the app was uninstalled there (or never installed)."""


class InstallationStore(AsyncInstallationStore):
    """slack_sdk's SQLAlchemy installation store on our database, off the event loop."""

    def __init__(self, db: Database, client_id: str):
        self.db = db
        self.store = SQLAlchemyInstallationStore(client_id=client_id, engine=db.engine)
        self._last: dict[str | None, Bot] = {}  # by team: the outage fallback

    @property
    def logger(self) -> logging.Logger:
        return log

    async def _run(self, call: Callable, **kwargs):
        return await self.db.run(lambda _session: call(**kwargs))  # the session only translates errors

    async def async_save(self, installation: Installation) -> None:
        await self._run(self.store.save, installation=installation)
        self._last.pop(installation.team_id, None)

    async def async_save_bot(self, bot: Bot) -> None:
        await self._run(self.store.save_bot, bot=bot)
        self._last[bot.team_id] = bot

    async def async_find_bot(self, *, enterprise_id, team_id, is_enterprise_install=False) -> Bot | None:
        try:
            bot = await self._run(self.store.find_bot, enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install)
        except DatabaseUnavailable:
            return self._fallback(team_id)
        return self._remember(team_id, bot)

    def _remember(self, team_id: str | None, bot: Bot | None) -> Bot | None:
        if bot is None:
            self._last.pop(team_id, None)
        else:
            self._last[team_id] = bot
        return bot

    def _fallback(self, team_id: str | None) -> Bot:
        """While the database is away: the bot last seen, or DatabaseUnavailable again."""
        if team_id in self._last:
            return self._last[team_id]
        raise DatabaseUnavailable(f"no installation of {team_id} known while the database is unavailable")

    async def async_find_installation(self, *, enterprise_id, team_id, user_id=None, is_enterprise_install=False) -> Installation | None:
        return await self._run(
            self.store.find_installation, enterprise_id=enterprise_id, team_id=team_id, user_id=user_id, is_enterprise_install=is_enterprise_install,
        )

    async def async_delete_bot(self, *, enterprise_id, team_id) -> None:
        self._last.pop(team_id, None)
        await self._run(self.store.delete_bot, enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(self, *, enterprise_id, team_id, user_id=None) -> None:
        await self._run(self.store.delete_installation, enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)

    async def bot_of_team(self, team_id: str) -> Bot | None:
        """The newest bot token of a workspace, whatever its enterprise (the scheduler knows only the team)."""
        bots = self.store.bots

        def find() -> Bot | None:
            with self.store.engine.connect() as connection:
                row = connection.execute(
                    select(bots).where(bots.c.client_id == self.store.client_id, bots.c.team_id == team_id, bots.c.bot_token.is_not(None))
                    .order_by(desc(bots.c.installed_at), desc(bots.c.id)).limit(1)
                ).mappings().first()
            return SQLAlchemyInstallationStore.build_bot_entity(row) if row else None

        try:
            return self._remember(team_id, await self._run(find))
        except DatabaseUnavailable:
            return self._fallback(team_id)


class StateStore(AsyncOAuthStateStore):
    """slack_sdk's SQLAlchemy OAuth state store on our database: any worker may take the callback."""

    def __init__(self, db: Database, expiration_seconds: int = 600):
        self.db = db
        self.store = SQLAlchemyOAuthStateStore(expiration_seconds=expiration_seconds, engine=db.engine)

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args, **kwargs) -> str:
        return await self.db.run(lambda _session: self.store.issue())

    async def async_consume(self, state: str) -> bool:
        return await self.db.run(lambda _session: self.store.consume(state))


class OneWorkspace:
    """A self-hosted app: one bot token, one workspace."""

    def __init__(self, client: AsyncWebClient):
        self.base = client

    async def client(self, team_id: str) -> AsyncWebClient:
        return self.base

    async def forget(self, team_id: str) -> None:
        """Nothing to delete: the token is the operator's (SLACK_BOT_TOKEN)."""


class Installations:
    """An app installed through OAuth: each workspace's token from the installation store."""

    def __init__(self, store: InstallationStore, base: AsyncWebClient, client_id: str, client_secret: str):
        self.store = store
        self.base = base
        self.rotator = AsyncTokenRotator(client_id=client_id, client_secret=client_secret, client=base)

    async def client(self, team_id: str) -> AsyncWebClient:
        """A client with the workspace's bot token; NotInstalled when it has none."""
        bot = await self.store.bot_of_team(team_id)
        if bot is None:
            raise NotInstalled(team_id)
        if bot.bot_refresh_token:
            try:
                rotated = await self.rotator.perform_bot_token_rotation(bot=bot, minutes_before_expiration=ROTATE_BEFORE_MINUTES)
            except SlackTokenRotationError as error:  # Slack's answer is what tells permanent from transient
                raise error.api_error from error
            if rotated is not None:
                await self.store.async_save_bot(rotated)
                bot = rotated
        return with_token(self.base, bot.bot_token)

    async def forget(self, team_id: str) -> None:
        """The app was uninstalled from the workspace: delete its tokens."""
        await self.store.async_delete_all(enterprise_id=None, team_id=team_id)
        bot = await self.store.bot_of_team(team_id)  # installed under an enterprise: delete that one too
        if bot is not None:
            await self.store.async_delete_all(enterprise_id=bot.enterprise_id, team_id=team_id)


def with_token(base: AsyncWebClient, token: str) -> AsyncWebClient:
    """A client like `base` (its URL, retries, session) with another token."""
    return AsyncWebClient(
        token=token, base_url=base.base_url, timeout=base.timeout, ssl=base.ssl, proxy=base.proxy, session=base.session,
        headers=base.headers, logger=base.logger, retry_handlers=list(base.retry_handlers or []),
    )
