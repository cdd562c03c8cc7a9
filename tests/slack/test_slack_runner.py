"""`studybot run slack`: a missing or rejected token is one clear line on stderr and exit
code 2; in Socket Mode the app takes Slack's requests over the stand-in's WebSocket.

`serve` calls `asyncio.run` and installs a SIGTERM handler, so it runs here in the
main thread as it does in production; the Web API stand-in serves from a thread of its
own. An alarm turns a hang into a failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import threading
from urllib.parse import parse_qsl

import pytest
from slack_driver import SlackSender
from slack_standin import SlackStandIn
from slack_steps import SECRET, SETUP, TOKEN, USERS
from sqlalchemy import select
from support import FIXTURE_BANK, fixture_bank

from bot.__main__ import build_parser
from bot.chat.slack import build_app, serve
from bot.chat.slack.runner import _socket_mode
from bot.settings import Settings
from bot.store import Group
from bot.study import Study

LIMIT = 120  # seconds; each case takes well under one


class Hung(Exception):
    pass


def within(seconds: int, run, *args, **kwargs):
    """run(*args) in this (the main) thread; a SIGALRM after `seconds` raises Hung inside it."""

    def alarm(_signum, _frame):
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        return run(*args, **kwargs)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def standin_thread():
    """The Web API stand-in on loopback, served by an event loop in another thread."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="slack-standin", daemon=True)
    thread.start()
    standin = SlackStandIn(token=TOKEN, users=USERS)
    try:
        asyncio.run_coroutine_threadsafe(standin.__aenter__(), loop).result(timeout=30)
        yield standin
    finally:
        if standin.server is not None:
            asyncio.run_coroutine_threadsafe(standin.__aexit__(None, None, None), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
        loop.close()


@pytest.fixture
def bare_env(monkeypatch, tmp_path):
    """No Slack settings from the environment or a .env file; a database path that must stay unused."""
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL", "PORT", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "studybot.db"


def cli(*argv: str) -> int:
    """`studybot …` as the console script runs it, minus its process-wide SIGPIPE setting."""
    args = build_parser().parse_args(list(argv))
    return within(LIMIT, args.handler, args)


@pytest.mark.parametrize(
    ("flags", "env", "expected"),
    [
        ((), {}, "SLACK_BOT_TOKEN and SLACK_APP_TOKEN are not set; Socket Mode needs them"),
        ((), {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET}, "SLACK_APP_TOKEN is not set; Socket Mode needs it"),
        (("--http",), {"SLACK_BOT_TOKEN": TOKEN, "SLACK_APP_TOKEN": "xapp-1"}, "SLACK_SIGNING_SECRET is not set; HTTP mode (--http) needs it"),
        (("--http", "--port", "3999"), {"SLACK_SIGNING_SECRET": SECRET}, "SLACK_BOT_TOKEN is not set; HTTP mode (--http) needs it (or, instead of SLACK_BOT_TOKEN, SLACK_CLIENT_ID and SLACK_CLIENT_SECRET"),
        (("--http",), {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s"}, "SLACK_SIGNING_SECRET is not set; HTTP mode (--http) needs it"),
        (("--http",), {"SLACK_BOT_TOKEN": TOKEN, "SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s", "SLACK_SIGNING_SECRET": SECRET},
         "SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set; unset one"),
    ],
)
def test_a_missing_token_is_named_and_exits_2(bare_env, monkeypatch, capsys, flags, env, expected):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert cli("run", "slack", *flags, "--db", str(bare_env)) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("studybot: ") and expected in err and "\n" not in err
    assert not bare_env.exists()  # it stopped before opening the database


@pytest.mark.parametrize("flags", [(), ("--http",)], ids=["socket-mode", "http"])
def test_a_bot_token_slack_rejects_exits_2(bare_env, monkeypatch, capsys, flags):
    with standin_thread() as standin:
        monkeypatch.setenv("SLACK_API_URL", standin.api_url.rstrip("/"))  # the setting tests and proxies use; slash optional
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-revoked")  # not the token the stand-in accepts
        monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
        monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
        assert cli("run", "slack", *flags, "--db", str(bare_env)) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("studybot: Slack rejected SLACK_BOT_TOKEN (invalid_auth)") and "xoxb-" in err and "\n" not in err
    assert [(c.method, c.answer["ok"]) for c in standin.calls] == [("auth.test", False)]
    assert not bare_env.exists()


def test_an_app_token_slack_rejects_exits_2_instead_of_retrying_forever(tmp_path, capsys):
    settings = Settings(
        slack_bot_token=TOKEN, slack_app_token="xapp-revoked", database_url=f"sqlite:///{tmp_path / 'studybot.db'}",
        content_dir=FIXTURE_BANK, checker_workers=1,
    )
    with standin_thread() as standin:
        standin.fail("apps.connections.open", "invalid_auth", times=None)
        settings.slack_api_url = standin.api_url
        assert within(LIMIT, serve, settings, http=False) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("studybot: Slack rejected SLACK_APP_TOKEN (invalid_auth)") and "connections:write" in err
    assert [c.method for c in standin.calls] == ["auth.test", "apps.connections.open"]
    assert standin.calls[0].answer["ok"] is True


def test_an_unreachable_api_url_is_exit_1_with_the_url(capsys):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/api/"
    settings = Settings(slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=url)
    assert within(LIMIT, serve, settings, http=True) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"studybot: could not reach Slack at {url}")


async def test_socket_mode_takes_a_command_and_an_event_over_the_websocket(database, checker, clock, standin):
    settings = Settings(slack_bot_token=TOKEN, slack_app_token="xapp-1", slack_api_url=standin.api_url)
    bot = build_app(Study(database, fixture_bank, checker, clock, platforms={"slack"}), settings, socket_mode=True)
    connection = asyncio.create_task(_socket_mode(bot, settings.slack_app_token))
    try:
        await asyncio.wait_for(standin.connected.wait(), LIMIT)
        command = dict(parse_qsl(SlackSender("", SECRET, standin).command_body("UOLGA", SETUP)))  # no signature: the socket is the proof
        ack = await asyncio.wait_for(standin.send_envelope("slash_commands", command, "E1"), LIMIT)
        assert ack == {"envelope_id": "E1"}  # acknowledged, the work after
        await asyncio.wait_for(bot.settled(), LIMIT)
        home = {"type": "event_callback", "team_id": "T1", "event_id": "Ev1", "event": {"type": "app_home_opened", "user": "UOLGA", "tab": "home"}}
        assert await asyncio.wait_for(standin.send_envelope("events_api", home, "E2"), LIMIT) == {"envelope_id": "E2"}
        await asyncio.wait_for(bot.settled(), LIMIT)
    finally:
        connection.cancel()
        await asyncio.gather(connection, return_exceptions=True)
    assert [c.method for c in standin.calls[:2]] == ["apps.connections.open", "auth.test"]
    assert len(standin.to("apps.connections.open")) == 1  # the URL the runner asked for is the one it used
    group = await bot.study.db.run(lambda s: s.scalar(select(Group)))
    assert (group.channel_id, group.owners) == ("CSTUDY", ["UOLGA"])
    [reply] = standin.to("respond")
    assert reply.params["response_type"] == "ephemeral" and "Study group created" in reply.params["text"]
    [home_view] = standin.to("views.publish")
    assert home_view.params["user_id"] == "UOLGA" and "<#CSTUDY>" in str(home_view.json("view")["blocks"])
