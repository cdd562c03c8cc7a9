"""Slack's side towards the app: signed HTTP requests shaped as Slack sends them.

Slash commands are form bodies, events `event_callback` JSON, interactivity a form
with a JSON `payload`; each is signed with the signing secret (v0 HMAC-SHA256 of
`v0:{timestamp}:{body}`), as `slack_sdk.signature.SignatureVerifier` computes it.
"""

from __future__ import annotations

import itertools
import json
import time
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier
from slack_standin import TEAM

CHANNEL = "CSTUDY"
_ids = itertools.count(1)


class SlackSender:
    def __init__(self, url: str, secret: str, standin, team: str = TEAM):
        self.url = url
        self.secret = secret
        self.standin = standin
        self.team = team

    def to_team(self, team: str) -> SlackSender:
        """The same app, sent to as Slack does from another workspace."""
        return SlackSender(self.url, self.secret, self.standin, team)

    def sign(self, body: str, timestamp: int | None = None) -> dict:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        signature = SignatureVerifier(self.secret).generate_signature(timestamp=stamp, body=body)
        return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}

    async def post(self, body: str, content_type: str, *, headers: dict | None = None, signed: dict | None = None) -> tuple[int, str]:
        sent = {"Content-Type": content_type, **(signed if signed is not None else self.sign(body)), **(headers or {})}
        async with aiohttp.ClientSession() as session, session.post(self.url, data=body.encode(), headers=sent) as response:
            return response.status, await response.text()

    # ---- what Slack sends ------------------------------------------------------------------

    def command_body(self, user: str, text: str, channel: str = CHANNEL, name: str | None = None) -> str:
        return urlencode({
            "token": "legacy", "team_id": self.team, "team_domain": self.team.lower(), "channel_id": channel, "channel_name": "study",
            "user_id": user, "user_name": user.lower(), "command": "/study", "text": text, "api_app_id": "A1",
            "response_url": self.standin.response_url(name or f"cmd{next(_ids)}"), "trigger_id": self.standin.issue_trigger(),
        })

    async def command(self, user: str, text: str, channel: str = CHANNEL, *, name: str | None = None) -> tuple[int, str]:
        """`/study text`; `name` names its response_url (`standin.responses(name)`)."""
        return await self.post(self.command_body(user, text, channel, name), "application/x-www-form-urlencoded")

    def event_body(self, event: dict, event_id: str | None = None) -> str:
        return json.dumps({
            "token": "legacy", "team_id": self.team, "api_app_id": "A1", "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}", "event_time": int(time.time()), "event": event,
            "authorizations": [{"team_id": self.team, "user_id": "UBOT", "is_bot": True}],
        })

    async def event(self, event: dict, *, event_id: str | None = None, retry: int | None = None) -> int:
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        status, _ = await self.post(self.event_body(event, event_id), "application/json", headers=headers)
        return status

    async def interact(self, payload: dict) -> tuple[int, str]:
        return await self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    async def click(self, user: str, button: dict, *, message_ts: str | None = None, thread_ts: str | None = None, channel: str = CHANNEL) -> int:
        """A block_actions payload for a button (as rendered by the app), on a message or the Home tab."""
        n = next(_ids)
        payload = {
            "type": "block_actions", "team": {"id": self.team, "domain": "test"}, "user": {"id": user, "team_id": self.team},
            "api_app_id": "A1", "trigger_id": self.standin.issue_trigger(),
            "actions": [{"type": "button", "action_id": button["action_id"], "block_id": "b", "value": button["value"], "action_ts": "1"}],
        }
        if message_ts:
            payload["container"] = {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": False, **({"thread_ts": thread_ts} if thread_ts else {})}
            payload["channel"] = {"id": channel, "name": "study"}
            payload["message"] = {"ts": message_ts, "type": "message"}
            payload["response_url"] = self.standin.response_url(f"act{n}")
        else:
            payload["container"] = {"type": "view", "view_id": "VHOME"}
        status, _ = await self.interact(payload)
        return status

    async def submit(self, user: str, view: dict, values: dict, view_id: str = "V1") -> tuple[int, dict | None]:
        """A view_submission of a modal the app opened, with the member's input."""
        payload = {
            "type": "view_submission", "team": {"id": self.team, "domain": "test"}, "user": {"id": user, "team_id": self.team},
            "api_app_id": "A1", "trigger_id": self.standin.issue_trigger(),
            "view": {**view, "id": view_id, "state": {"values": values}},
        }
        status, text = await self.interact(payload)
        return status, (json.loads(text) if text.startswith("{") else None)
