"""The Bolt app: one `AsyncApp` with the study listeners, for one workspace or many.

`build_app(study, settings, client=None)` gives a `SlackBot`: the Bolt app, the
workspaces it talks to, the `Platform` the scheduler posts through, and an aiohttp
application serving Slack's HTTP requests (and, installed through OAuth, the install
page and its redirect). With SLACK_BOT_TOKEN it serves the one workspace of that
token (self-hosted; Socket Mode or HTTP); with SLACK_CLIENT_ID and SLACK_CLIENT_SECRET
instead, every workspace that installs it, each with its own token from the
installation store, rotated before it expires.

Listeners acknowledge first and work after, each with the client Bolt made for the
request's workspace; each is tracked so a test (or a shutdown) can wait until they
are done, and a database that went away mid-listener is told to the member plainly.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Iterable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.schedule import Deliverer
from bot.settings import Settings
from bot.store import DatabaseUnavailable
from bot.study import Outbound, Reply, Study
from bot.study.core import UNAVAILABLE

from . import actions, commands, events, practice
from .blocks import message, section
from .installs import ROTATE_BEFORE_MINUTES, InstallationStore, Installations, OneWorkspace, StateStore
from .people import PLATFORM, People, RecentIds
from .platform import SlackPlatform

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# The bot scopes the adapter uses, asked for at install (slack-manifest.yml lists the same).
BOT_SCOPES = (
    "chat:write", "commands", "reactions:write", "users:read", "im:write", "files:write",
    "channels:history", "groups:history", "channels:read", "groups:read", "channels:join",
)
NOT_AUTHORIZED = (
    "studybot cannot find its installation in this workspace (or cannot reach its database). "
    "Try again in a minute; if this keeps happening, an admin reinstalls the app."
)


def make_client(settings: Settings, token: str | None = None) -> AsyncWebClient:
    """The Web API client: Slack's (or a proxy's, or a test's) base URL, and 429s retried."""
    return AsyncWebClient(
        token=token or settings.slack_bot_token,
        base_url=settings.slack_api_url.rstrip("/") + "/",  # methods are joined to it: …/api/ + chat.postMessage
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
    )


def installed_through_oauth(settings: Settings) -> bool:
    return bool(settings.slack_client_id and settings.slack_client_secret and not settings.slack_bot_token)


class SlackBot:
    def __init__(self, study: Study, settings: Settings, client: AsyncWebClient | None = None, *, socket_mode: bool = False):
        self.study = study
        self.settings = settings
        base = client or make_client(settings)
        if installed_through_oauth(settings) and not socket_mode:
            self.workspaces = self._oauth_app(base)
        else:
            self.workspaces = OneWorkspace(base)
            self.app = AsyncApp(client=base, signing_secret=settings.slack_signing_secret, request_verification_enabled=not socket_mode, name="studybot")
        self.client = base
        self.platform = SlackPlatform(self.workspaces)
        self.deliverer = Deliverer(study, self.platform)
        if study is not None:  # None: built only to list its listeners (the manifest's check)
            study.notify = self.deliverer.deliver  # "taking long" notices, sent mid-answer
        self.people = People()
        self.recent = RecentIds()
        self._busy: set[asyncio.Task] = set()
        commands.register(self)
        events.register(self)
        actions.register(self)
        practice.register(self)

    def _oauth_app(self, base: AsyncWebClient) -> Installations:
        settings = self.settings
        store = InstallationStore(self.study.db, settings.slack_client_id)
        credentials = {"client_id": settings.slack_client_id, "client_secret": settings.slack_client_secret}
        oauth = AsyncOAuthSettings(
            **credentials, scopes=list(BOT_SCOPES), user_scopes=[], redirect_uri=settings.slack_redirect_uri,
            install_path=INSTALL_PATH, redirect_uri_path=REDIRECT_PATH, installation_store=store, installation_store_bot_only=True,
            state_store=StateStore(self.study.db), token_rotation_expiration_minutes=ROTATE_BEFORE_MINUTES,
        )
        # Bolt's default authorize would rotate tokens through slack.com whatever the base URL: give it ours.
        authorize = AsyncInstallationStoreAuthorize(
            logger=log, installation_store=store, **credentials, bot_only=True, client=base,
            token_rotation_expiration_minutes=ROTATE_BEFORE_MINUTES,
        )
        self.app = AsyncApp(
            client=base, signing_secret=settings.slack_signing_secret, name="studybot", oauth_settings=oauth, authorize=authorize,
            installation_store_bot_only=True, user_facing_authorize_error_message=NOT_AUTHORIZED,
        )
        return Installations(store, base, **credentials)

    # ---- listeners ---------------------------------------------------------------------

    def tracked(self, listener):
        """Remember the listener's task until it is done (Bolt runs it after the ack); a
        database that went away under it is told to the member, never swallowed."""

        @functools.wraps(listener)
        async def run(**kwargs):
            task = asyncio.current_task()
            self._busy.add(task)
            try:
                return await listener(**kwargs)
            except DatabaseUnavailable as error:
                log.warning("%s: the database is unavailable: %s", listener.__name__, error)
                await self.tell_unavailable(kwargs)
            finally:
                self._busy.discard(task)

        return run

    async def settled(self) -> None:
        """Wait until every listener started so far has finished."""
        while self._busy:
            await asyncio.gather(*list(self._busy), return_exceptions=True)

    async def tell_unavailable(self, kwargs: dict) -> None:
        """The plain refusal, where the member will see it: the command's response_url, or
        ephemeral where they wrote or clicked."""
        reply = Reply(text=UNAVAILABLE, ok=False)
        respond, body, client = kwargs.get("respond"), kwargs.get("body") or {}, kwargs.get("client")
        if respond is not None and body.get("response_url"):
            await respond(response_type="ephemeral", **message(reply))
            return
        event = kwargs.get("event") or body.get("event") or {}
        if event.get("type") == "app_home_opened" and client is not None:
            await client.views_publish(user_id=event["user"], view={"type": "home", "blocks": [section(UNAVAILABLE)]})
            return
        channel = event.get("channel") or body.get("channel_id") or (body.get("container") or {}).get("channel_id")
        user = event.get("user") or body.get("user_id") or (body.get("user") or {}).get("id")
        if client is not None and channel and user:
            await self.ephemeral(client, channel, user, reply, thread_ts=event.get("thread_ts") or (body.get("container") or {}).get("thread_ts"))

    # ---- what listeners share -------------------------------------------------------------

    async def deliver(self, posts: Iterable[Outbound]) -> None:
        posts = list(posts)
        if posts:
            await self.deliverer.deliver(posts)

    async def ephemeral(self, client: AsyncWebClient, channel: str, user: str, reply: Reply, thread_ts: str | None = None) -> None:
        """A reply only `user` sees, in the channel (or its thread)."""
        try:
            await client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, **message(reply, channel))
        except SlackApiError as error:
            log.warning("could not tell %s privately in %s: %s", user, channel, error.response.get("error"))

    async def react(self, client: AsyncWebClient, channel: str, ts: str, name: str) -> None:
        try:
            await client.reactions_add(channel=channel, timestamp=ts, name=name)
        except SlackApiError as error:
            if error.response.get("error") != "already_reacted":
                log.warning("could not react to %s in %s: %s", ts, channel, error.response.get("error"))

    async def workspace_gone(self, team_id: str) -> None:
        """Uninstalled, or its bot token revoked: pause the workspace's groups, delete its tokens."""
        paused = await self.study.workspace_lost(PLATFORM, team_id)
        await self.workspaces.forget(team_id)
        log.warning("studybot was removed from workspace %s: %d groups paused", team_id, paused)

    # ---- HTTP ------------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.Response:
        response = await self.app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    async def oauth(self, request: web.Request) -> web.Response:
        flow = self.app.oauth_flow
        bolt_request = await to_bolt_request(request)
        if request.path == flow.install_path:
            return await to_aiohttp_response(await flow.handle_installation(bolt_request))
        return await to_aiohttp_response(await flow.handle_callback(bolt_request))

    async def healthz(self, _request: web.Request) -> web.Response:
        """For the load balancer: 503 while the database does not answer (nothing could be saved)."""
        if await self.study.reachable():
            return web.Response(text="ok")
        return web.Response(status=503, text="database unavailable")

    def web_app(self) -> web.Application:
        """Slack's requests at /slack/events; the install page and its redirect; /healthz."""
        application = web.Application()
        application.router.add_post(EVENTS_PATH, self.handle)
        if self.app.oauth_flow is not None:
            application.router.add_get(self.app.oauth_flow.install_path, self.oauth)
            application.router.add_get(self.app.oauth_flow.redirect_uri_path, self.oauth)
        application.router.add_get("/healthz", self.healthz)
        return application


def build_app(study: Study, settings: Settings, client: AsyncWebClient | None = None, *, socket_mode: bool = False) -> SlackBot:
    return SlackBot(study, settings, client, socket_mode=socket_mode)
