"""slack-manifest.yml cannot drift from the code.

The bot scopes are exactly what the adapter's Web API calls, its subscribed events and
its slash command need, and what it asks for at install; every subscription reaches a
listener of the built app and every listener is reached by something the manifest
makes Slack send, in the manifest as it is (OAuth, HTTP) and in the self-hosted Socket
Mode variant its comments describe.
"""

import ast
from pathlib import Path
from urllib.parse import urlparse

import yaml
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_scopes import EVENT_SCOPES, METHOD_SCOPES, api_methods
from slack_sdk.web.async_client import AsyncWebClient
from slack_steps import SECRET, TOKEN

import bot.chat.slack as adapter
from bot.chat.slack import build_app, modals, practice
from bot.chat.slack.app import BOT_SCOPES, EVENTS_PATH, REDIRECT_PATH
from bot.chat.slack.blocks import ACTION_PREFIX
from bot.settings import Settings

MANIFEST = Path(__file__).parents[2] / "slack-manifest.yml"
ADAPTER = Path(adapter.__file__).parent

CHANNEL_TYPES = {"channels": "channel", "groups": "group", "im": "im", "mpim": "mpim"}
# What the adapter renders for interactivity: its buttons' action ids and its modals' callback ids.
BUTTONS = [f"{ACTION_PREFIX}{verb}" for verb in ("answer", "hint", "run", "review", *practice.ACTIONS)]
MODALS = [modals.ANSWER, modals.RUN, modals.REVIEW]


def manifest(text: str | None = None) -> dict:
    return yaml.safe_load(MANIFEST.read_text() if text is None else text)


def web_api_calls() -> set[str]:
    """Every `….client.<method>(…)` / `client.<method>(…)` call in the adapter's source."""
    calls = set()
    for path in ADAPTER.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and hasattr(AsyncWebClient, node.func.attr):
                owner = node.func.value
                if (isinstance(owner, ast.Name) and owner.id == "client") or (isinstance(owner, ast.Attribute) and owner.attr == "client"):
                    calls.add(node.func.attr)
    return calls


def probes(app_manifest: dict) -> dict[str, dict]:
    """What Slack may send the app, given the manifest: a body per command, event and interaction."""
    features, settings = app_manifest.get("features", {}), app_manifest.get("settings", {})
    sent = {}
    for command in features.get("slash_commands", []):
        sent[command["command"]] = {"command": command["command"], "text": "", "user_id": "U1", "channel_id": "C1"}
    for name in settings.get("event_subscriptions", {}).get("bot_events", []):
        kind, _, where = name.partition(".")
        event = {"type": kind, **({"channel_type": CHANNEL_TYPES[where]} if where else {})}
        sent[name] = {"type": "event_callback", "team_id": "T1", "event": event}
    if settings.get("interactivity", {}).get("is_enabled"):
        for action_id in BUTTONS:
            sent[action_id] = {"type": "block_actions", "user": {"id": "U1"}, "actions": [{"type": "button", "action_id": action_id}]}
        for callback_id in MODALS:
            sent[callback_id] = {"type": "view_submission", "user": {"id": "U1"}, "view": {"type": "modal", "callback_id": callback_id}}
    return sent


async def reach(app_manifest: dict) -> dict[str, set[str]]:
    """For each listener of the built app (by function name), the probes it would take."""
    bot = build_app(None, Settings(slack_bot_token=TOKEN, slack_signing_secret=SECRET))  # registering touches no core
    reached = {}
    for listener in bot.app._async_listeners:  # Bolt keeps no public list
        name = listener.ack_function.__name__
        reached[name] = set()
        for probe, body in probes(app_manifest).items():
            if await listener.async_matches(req=AsyncBoltRequest(body=body, mode="socket_mode"), resp=BoltResponse(status=200)):
                reached[name].add(probe)
    return reached


def socket_mode_variant() -> dict:
    """The manifest edited as its comments say for one self-hosted workspace in Socket Mode."""
    app = manifest()
    settings = app["settings"]
    settings["socket_mode_enabled"], settings["token_rotation_enabled"] = True, False
    del settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"]
    del app["oauth_config"]["redirect_urls"]
    for command in app["features"]["slash_commands"]:
        del command["url"]
    return app


def test_the_manifest_creates_studybot_with_the_study_command_installed_through_oauth():
    app = manifest()
    assert app["_metadata"]["major_version"] == 1
    assert app["display_information"]["name"] == app["features"]["bot_user"]["display_name"] == "studybot"
    [command] = app["features"]["slash_commands"]
    assert command["command"] == "/study" and command["usage_hint"] and command["should_escape"] is False
    settings = app["settings"]
    assert settings["socket_mode_enabled"] is False and settings["token_rotation_enabled"] is True
    assert {"app_uninstalled", "tokens_revoked"} <= set(settings["event_subscriptions"]["bot_events"])
    home = app["features"]["app_home"]
    assert home["home_tab_enabled"] and home["messages_tab_enabled"] and home["messages_tab_read_only_enabled"]


def test_every_url_is_one_the_app_serves():
    app = manifest()
    settings = app["settings"]
    urls = [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"]]
    urls += [command["url"] for command in app["features"]["slash_commands"]]
    assert len(urls) == 3 and {urlparse(url).path for url in urls} == {EVENTS_PATH}
    [redirect] = app["oauth_config"]["redirect_urls"]
    assert urlparse(redirect).path == REDIRECT_PATH
    assert all(url.startswith("https://") for url in [*urls, redirect])


def test_the_bot_scopes_are_exactly_what_the_code_needs_and_asks_for():
    calls = web_api_calls()
    assert {"chat_postMessage", "reactions_add", "users_info", "views_publish", "files_upload_v2", "users_conversations"} <= calls  # the scan finds them
    unknown = sorted(m for m in calls if any(api not in METHOD_SCOPES for api in api_methods(m)))
    assert not unknown, f"the adapter calls {unknown}: add their scopes to tests/slack/slack_scopes.py and slack-manifest.yml"
    app = manifest()
    events = app["settings"]["event_subscriptions"]["bot_events"]
    needed = set().union(*(METHOD_SCOPES[api] for m in calls for api in api_methods(m)), *(EVENT_SCOPES[e] for e in events))
    if app["features"].get("slash_commands"):
        needed.add("commands")
    granted = app["oauth_config"]["scopes"]["bot"]
    assert len(granted) == len(set(granted))
    assert set(granted) == needed, f"missing {sorted(needed - set(granted))}, unused {sorted(set(granted) - needed)}"
    assert sorted(BOT_SCOPES) == sorted(granted)  # what the install page asks a workspace for


async def test_every_subscription_reaches_a_listener_and_every_listener_is_subscribed():
    for app in (manifest(), socket_mode_variant()):
        reached = await reach(app)
        assert {"study_command", "thread_reply", "home_opened", "button", "answer_submitted", "uninstalled"} <= reached.keys()
        unreachable = [name for name, taken in reached.items() if not taken]
        assert not unreachable, f"listeners nothing in slack-manifest.yml makes Slack send: {unreachable}"
        taken = set().union(*reached.values())
        assert taken == set(probes(app)), f"sent but never handled: {sorted(set(probes(app)) - taken)}"
        assert reached["thread_reply"] == {"message.channels", "message.groups"}
        assert reached["study_command"] == {"/study"} and reached["home_opened"] == {"app_home_opened"}
        assert reached["uninstalled"] == {"app_uninstalled"} and reached["tokens_revoked"] == {"tokens_revoked"}

    # Without interactivity the buttons and modals would be dead; the check notices.
    app["settings"]["interactivity"]["is_enabled"] = False
    assert not (await reach(app))["button"]
