"""The Bolt app: one `AsyncApp` with the study listeners, for Socket Mode or HTTP.

`build_app(study, settings, client=None)` gives a `SlackBot`: the Bolt app, its Web API
client (base URL from settings, 429s retried after `Retry-After`), the `Platform` the
scheduler posts through, and an aiohttp application serving Slack's HTTP requests.
Listeners acknowledge first and work after; each is tracked so a test (or a shutdown)
can wait until they are done.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Iterable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.schedule import Deliverer
from bot.settings import Settings
from bot.study import Outbound, Reply, Study

from . import actions, commands, events, practice
from .blocks import message
from .people import People, RecentIds
from .platform import SlackPlatform

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"


def make_client(settings: Settings, token: str | None = None) -> AsyncWebClient:
    """The Web API client: Slack's (or a proxy's, or a test's) base URL, and 429s retried."""
    return AsyncWebClient(
        token=token or settings.slack_bot_token,
        base_url=settings.slack_api_url.rstrip("/") + "/",  # methods are joined to it: …/api/ + chat.postMessage
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
    )


class SlackBot:
    def __init__(self, study: Study, settings: Settings, client: AsyncWebClient | None = None, *, socket_mode: bool = False):
        self.study = study
        self.settings = settings
        self.client = client or make_client(settings)
        self.app = AsyncApp(
            client=self.client,
            signing_secret=settings.slack_signing_secret,
            request_verification_enabled=not socket_mode,
            name="studybot",
        )
        self.platform = SlackPlatform(self.client)
        self.deliverer = Deliverer(study, self.platform)
        self.people = People(self.client)
        self.recent = RecentIds()
        self._busy: set[asyncio.Task] = set()
        commands.register(self)
        events.register(self)
        actions.register(self)
        practice.register(self)

    # ---- listeners ---------------------------------------------------------------------

    def tracked(self, listener):
        """Remember the listener's task until it is done (Bolt runs it after the ack)."""

        @functools.wraps(listener)
        async def run(**kwargs):
            task = asyncio.current_task()
            self._busy.add(task)
            try:
                return await listener(**kwargs)
            finally:
                self._busy.discard(task)

        return run

    async def settled(self) -> None:
        """Wait until every listener started so far has finished."""
        while self._busy:
            await asyncio.gather(*list(self._busy), return_exceptions=True)

    # ---- what listeners share -------------------------------------------------------------

    async def deliver(self, posts: Iterable[Outbound]) -> None:
        posts = list(posts)
        if posts:
            await self.deliverer.deliver(posts)

    async def ephemeral(self, channel: str, user: str, reply: Reply, thread_ts: str | None = None) -> None:
        """A reply only `user` sees, in the channel (or its thread)."""
        try:
            await self.client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, **message(reply, channel))
        except SlackApiError as error:
            log.warning("could not tell %s privately in %s: %s", user, channel, error.response.get("error"))

    async def react(self, channel: str, ts: str, name: str) -> None:
        try:
            await self.client.reactions_add(channel=channel, timestamp=ts, name=name)
        except SlackApiError as error:
            if error.response.get("error") != "already_reacted":
                log.warning("could not react to %s in %s: %s", ts, channel, error.response.get("error"))

    # ---- HTTP ------------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.Response:
        response = await self.app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    def web_app(self) -> web.Application:
        """Slack's requests at /slack/events; /healthz for the load balancer."""
        application = web.Application()
        application.router.add_post(EVENTS_PATH, self.handle)
        application.router.add_get("/healthz", healthz)
        return application


async def healthz(_request: web.Request) -> web.Response:
    return web.Response(text="ok")


def build_app(study: Study, settings: Settings, client: AsyncWebClient | None = None, *, socket_mode: bool = False) -> SlackBot:
    return SlackBot(study, settings, client, socket_mode=socket_mode)
