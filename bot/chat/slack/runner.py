"""`studybot run slack`: check the tokens, then serve Socket Mode or HTTP beside the scheduler.

Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN (one workspace); HTTP mode
SLACK_SIGNING_SECRET and either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and
SLACK_CLIENT_SECRET (installed through OAuth in many), and listens on --port, $PORT or
3000. A missing or rejected token is one line on stderr and exit code 2. HTTP workers
are stateless: run as many as you like on one PostgreSQL; one of them at a time runs
the schedule (of the token's workspace, or of every installed one).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys

import aiohttp
from aiohttp import web
from slack_sdk.errors import SlackApiError

from bot.runtime import BotRuntime
from bot.settings import Settings

from .app import INSTALL_PATH, build_app, installed_through_oauth, make_client

log = logging.getLogger(__name__)
TOKEN_ERRORS = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type"}


class Refused(Exception):
    """Slack would not take a token: the message says which and why."""


class Unreachable(Exception):
    """Slack (or the configured SLACK_API_URL) did not answer."""


OAUTH_ALTERNATIVE = " (or, instead of SLACK_BOT_TOKEN, SLACK_CLIENT_ID and SLACK_CLIENT_SECRET to be installed in many workspaces)"


def missing(settings: Settings, http: bool) -> list[str]:
    if http and installed_through_oauth(settings):
        needed = {"SLACK_CLIENT_ID": settings.slack_client_id, "SLACK_CLIENT_SECRET": settings.slack_client_secret}
    else:
        needed = {"SLACK_BOT_TOKEN": settings.slack_bot_token}
    if http:
        needed["SLACK_SIGNING_SECRET"] = settings.slack_signing_secret
    else:
        needed["SLACK_APP_TOKEN"] = settings.slack_app_token
    return [name for name, value in needed.items() if not value]


def serve(settings: Settings, http: bool = False, port: int | None = None) -> int:
    if http and settings.slack_bot_token and settings.slack_client_id:
        print("studybot: SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set; unset one: the token serves its one workspace, "
              "the client id and secret serve every workspace that installs the app.", file=sys.stderr)
        return 2
    absent = missing(settings, http)
    if absent:
        mode = "HTTP mode (--http)" if http else "Socket Mode"
        verb, them = ("is", "it") if len(absent) == 1 else ("are", "them")
        alternative = OAUTH_ALTERNATIVE if http and "SLACK_BOT_TOKEN" in absent else ""
        print(f"studybot: {' and '.join(absent)} {verb} not set; {mode} needs {them}{alternative} "
              f"(set {them} in the environment or .env; slack-manifest.yml creates the app).", file=sys.stderr)
        return 2
    port = port or int(os.environ.get("PORT") or 3000)
    try:
        return asyncio.run(_main(settings, http, port))
    except Refused as refused:
        print(f"studybot: {refused}", file=sys.stderr)
        return 2
    except Unreachable as error:
        print(f"studybot: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0


async def _main(settings: Settings, http: bool, port: int) -> int:
    main = asyncio.current_task()
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError):
        loop.add_signal_handler(signal.SIGTERM, main.cancel)
    client = make_client(settings)
    workspace = None  # installed through OAuth: every workspace that installs it
    if not (http and installed_through_oauth(settings)):
        identity = await _check_bot_token(client, settings)
        workspace = identity.get("team_id") or ""
        log.info("connected to Slack as %s in %s (%s)", identity.get("user"), identity.get("team"), workspace)
    async with BotRuntime(settings, "slack", workspace=workspace) as runtime:
        bot = build_app(runtime.study, settings, client, socket_mode=not http)
        schedule = asyncio.create_task(runtime.schedule(bot.platform), name="schedule")
        server = asyncio.create_task(_http(bot, port) if http else _socket_mode(bot, settings.slack_app_token), name="slack")
        try:
            done, _ = await asyncio.wait({schedule, server}, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                task.result()  # raise what stopped it
        except asyncio.CancelledError:
            log.info("stopping")
        finally:
            for task in (schedule, server):
                task.cancel()
            await asyncio.gather(schedule, server, return_exceptions=True)
            await bot.settled()
    return 0


async def _check_bot_token(client, settings: Settings) -> dict:
    try:
        return (await client.auth_test()).data
    except SlackApiError as error:
        code = error.response.get("error") if isinstance(getattr(error.response, "data", None), dict) else None
        if code in TOKEN_ERRORS:
            raise Refused(f"Slack rejected SLACK_BOT_TOKEN ({code}); copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page.") from None
        raise Refused(f"auth.test failed at {settings.slack_api_url}: {code or error}") from None
    except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as error:
        raise Unreachable(f"could not reach Slack at {settings.slack_api_url} to check SLACK_BOT_TOKEN: {error}") from None


async def _http(bot, port: int) -> None:
    runner = web.AppRunner(bot.web_app())
    await runner.setup()
    try:
        await web.TCPSite(runner, host="0.0.0.0", port=port).start()
        log.info("serving Slack requests at http://0.0.0.0:%d/slack/events", port)
        if bot.app.oauth_flow is not None:
            log.info("workspaces install studybot at http://0.0.0.0:%d%s (behind your public URL)", port, INSTALL_PATH)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


async def _socket_mode(bot, app_token: str) -> None:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    handler = AsyncSocketModeHandler(bot.app, app_token, web_client=bot.client)  # Socket Mode: one workspace, one token
    try:
        # connect_async() retries a rejected token forever; ask for the WebSocket URL
        # ourselves so a bad SLACK_APP_TOKEN stops the process, and let it use that URL.
        try:
            handler.client.wss_uri = await handler.client.issue_new_wss_url()
        except SlackApiError as error:
            code = error.response.get("error")
            raise Refused(f"Slack rejected SLACK_APP_TOKEN ({code}); create an app-level token (xapp-…) with connections:write under Basic Information.") from None
        await handler.connect_async()
        log.info("connected to Slack in Socket Mode")
        await asyncio.Event().wait()
    finally:
        await handler.close_async()
