"""A local stand-in for Slack's side of the wire: the Web API, OAuth, response_url, file
uploads and the Socket Mode WebSocket.

It records every call (with the token and workspace it came with) and answers as
Slack does, from a `World` of workspaces, channels and tokens (slack_workspace.py):
scopes are enforced, a bot outside a channel gets `not_in_channel` or
`channel_not_found`, a revoked or expired token is refused, a trigger expires 3
seconds after its click, and blocks or views Slack would not take (slack_limits.py)
are refused with `invalid_blocks` / `invalid_arguments`, and listed in `refused`.
It can also be told to fail a method (an error code, a status such as 429 with
Retry-After) or to hold one until released. Point an `AsyncWebClient` at `api_url`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from aiohttp import web
from aiohttp.test_utils import TestServer
from slack_limits import message_problems, view_problems
from slack_scopes import BY_CHANNEL_TYPE, METHOD_SCOPES
from slack_workspace import BOT_USER, World

TEAM = "T1"
TRIGGER_LIFE = 3.0  # seconds: Slack's documented life of a trigger_id
NO_TOKEN = {"apps.connections.open", "oauth.v2.access"}  # the app token; client credentials
MESSAGES = {"chat.postMessage", "chat.postEphemeral", "chat.update"}
VIEWS = {"views.open", "views.update", "views.publish"}


@dataclass
class Call:
    method: str  # "chat.postMessage", or "respond" (a response_url), or "upload"
    params: dict
    status: int = 200
    answer: dict = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)  # when it arrived
    token: str = ""
    team: str = ""

    def json(self, key: str):
        """A parameter that clients send either as JSON or as a JSON string in a form."""
        value = self.params.get(key)
        return json.loads(value) if isinstance(value, str) else value


@dataclass
class Failure:
    method: str
    error: str
    status: int = 200
    retry_after: int | None = None
    times: int | None = 1  # None: every time
    when: dict = field(default_factory=dict)  # parameters that must match


class SlackError(Exception):
    def __init__(self, error: str, **extra):
        super().__init__(error)
        self.body = {"ok": False, "error": error, **extra}


class SlackStandIn:
    def __init__(self, token: str = "xoxb-test", users: dict[str, dict] | None = None, world: World | None = None):
        self.token = token
        self.world = world or World()
        if world is None:  # one workspace, the app installed with `token`, a study channel with everyone in it
            self.world.users = dict(users or {})
            self.world.grant(token, TEAM)
            self.world.add_channel("CSTUDY", TEAM, members=self.world.users)
        self.calls: list[Call] = []
        self.failures: list[Failure] = []
        self.refused: list[tuple[str, list[str]]] = []  # (method, problems) Slack would refuse
        self.held: dict[str, asyncio.Event] = {}
        self.reactions: set[tuple[str, str, str]] = set()
        self.triggers: dict[str, float] = {}
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self.server: TestServer | None = None
        self.socket: web.WebSocketResponse | None = None
        self.connected = asyncio.Event()  # an app opened the Socket Mode WebSocket
        self._acks: dict[str, asyncio.Future] = {}

    @property
    def users(self) -> dict[str, dict]:
        return self.world.users

    # ---- control -------------------------------------------------------------------------

    def fail(self, method: str, error: str, *, status: int = 200, retry_after: int | None = None, times: int | None = 1, **when) -> None:
        self.failures.append(Failure(method, error, status, retry_after, times, when))

    def hold(self, method: str) -> asyncio.Event:
        """Calls to `method` wait until the returned event is set."""
        self.held[method] = asyncio.Event()
        return self.held[method]

    def issue_trigger(self) -> str:
        """A trigger_id, as Slack puts in a click or a command: it lives TRIGGER_LIFE seconds."""
        trigger = f"trigger-{next(self._ids)}"
        self.triggers[trigger] = time.monotonic()
        return trigger

    def to(self, method: str, ok: bool | None = True) -> list[Call]:
        """The calls made to a method (by default only those Slack accepted)."""
        return [c for c in self.calls if c.method == method and (ok is None or c.answer.get("ok", True) == ok)]

    def responses(self, name: str) -> list[Call]:
        """What the app sent to one response_url (each command and click has its own)."""
        return [c for c in self.to("respond") if c.params["name"] == name]

    @property
    def url(self) -> str:
        return str(self.server.make_url("")).rstrip("/")

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str = "r") -> str:
        return f"{self.url}/respond/{name}"

    async def send_envelope(self, kind: str, payload: dict, envelope_id: str) -> dict:
        """Push a Socket Mode request (events_api, slash_commands, interactive); the app's ack."""
        self._acks[envelope_id] = asyncio.get_running_loop().create_future()
        await self.socket.send_json({"envelope_id": envelope_id, "type": kind, "payload": payload, "accepts_response_payload": kind != "events_api"})
        return await self._acks[envelope_id]

    async def __aenter__(self) -> SlackStandIn:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/respond/{name}", self._respond)
        app.router.add_post("/upload/{file}", self._upload)
        app.router.add_get("/socket", self._socket)
        self.server = TestServer(app)
        await self.server.start_server()
        return self

    async def __aexit__(self, *exc) -> None:
        if self.socket is not None:
            await self.socket.close()
        await self.server.close()

    # ---- handlers ------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = dict(request.query)
        raw = await request.read()
        if raw:
            if request.content_type == "application/json":
                params.update(json.loads(raw))
            elif request.content_type == "application/x-www-form-urlencoded":
                params.update(parse_qsl(raw.decode()))
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        grant = self.world.grants.get(token)
        call = Call(method, params, token=token, team=grant.team if grant else "")
        self.calls.append(call)
        if method in self.held:
            await self.held[method].wait()
        try:
            if method not in NO_TOKEN:
                self._authorize(method, params, grant)
            for failure in self.failures:
                if failure.method == method and failure.times != 0 and all(params.get(k) == v for k, v in failure.when.items()):
                    if failure.times is not None:
                        failure.times -= 1
                    headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
                    return self._answer(call, {"ok": False, "error": failure.error}, failure.status, headers)
            self._check_content(method, params)
            handler = getattr(self, "_" + method.replace(".", "_"), None)
            if handler is None:
                raise SlackError("unknown_method")
            return self._answer(call, handler(params, grant))
        except SlackError as error:
            return self._answer(call, error.body)

    def _authorize(self, method: str, params: dict, grant) -> None:
        if grant is None:
            raise SlackError("invalid_auth")
        if grant.revoked:
            raise SlackError("token_revoked")
        if grant.expires_at is not None and grant.expires_at < time.time():
            raise SlackError("token_expired")
        needed = self._scopes_for(method, params, grant.team)
        if not needed <= grant.scopes:
            raise SlackError("missing_scope", needed=",".join(sorted(needed - grant.scopes)), provided=",".join(sorted(grant.scopes)))

    def _scopes_for(self, method: str, params: dict, team: str) -> set[str]:
        if method not in BY_CHANNEL_TYPE:
            return METHOD_SCOPES.get(method, set())
        scopes = BY_CHANNEL_TYPE[method]
        if method == "users.conversations":
            kinds = {"public" if t == "public_channel" else "private" for t in (params.get("types") or "public_channel").split(",")}
            return {scopes[k] for k in kinds}
        channel = self.world.channel(team, params.get("channel", ""))
        return {scopes[channel.kind if channel else "public"]}

    def _check_content(self, method: str, params: dict) -> None:
        if method in MESSAGES:
            problems = message_problems(params)
            if problems:
                self.refused.append((method, problems))
                raise SlackError("invalid_blocks", errors=problems)
        if method in VIEWS:
            problems = view_problems(params.get("view") or {})
            if problems:
                self.refused.append((method, problems))
                raise SlackError("invalid_arguments", response_metadata={"messages": problems})

    def _answer(self, call: Call, body: dict, status: int = 200, headers: dict | None = None) -> web.Response:
        call.status, call.answer = status, body
        return web.json_response(body, status=status, headers=headers)

    async def _respond(self, request: web.Request) -> web.Response:
        body = await request.json()
        problems = message_problems(body)
        call = Call("respond", {"name": request.match_info["name"], **body}, answer={"ok": not problems})
        self.calls.append(call)
        if problems:
            self.refused.append(("respond", problems))
            return web.Response(status=400, text="invalid_blocks")
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.calls.append(Call("upload", {"file": request.match_info["file"], "size": len(body)}, answer={"ok": True}))
        return web.Response(text=f"OK - {len(body)}")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: say hello, then take the app's acknowledgements until it hangs up."""
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.socket = socket
        await socket.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}})
        self.connected.set()
        async for frame in socket:
            ack = frame.json() if frame.type == web.WSMsgType.TEXT else {}
            self.calls.append(Call("ack", ack, answer={"ok": True}))
            waiting = self._acks.get(ack.get("envelope_id"))
            if waiting is not None and not waiting.done():
                waiting.set_result(ack)
        return socket

    # ---- Web API methods -----------------------------------------------------------------

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    def _postable(self, team: str, channel_id: str):
        """The channel the bot may post in, or Slack's refusal."""
        if channel_id.startswith("D"):
            return None  # a DM the bot opened
        channel = self.world.visible(team, channel_id)
        if channel is None:
            raise SlackError("channel_not_found")
        if channel.archived:
            raise SlackError("is_archived")
        if not channel.bot:
            raise SlackError("not_in_channel")
        return channel

    def _apps_connections_open(self, params, grant):
        return {"ok": True, "url": f"ws{self.url.removeprefix('http')}/socket"}

    def _auth_test(self, params, grant):
        return {"ok": True, "url": f"https://{grant.team.lower()}.slack.com/", "team": f"Team {grant.team}", "team_id": grant.team,
                "user": "studybot", "user_id": BOT_USER, "bot_id": "BBOT", "is_enterprise_install": False}

    def _oauth_v2_access(self, params, grant):
        if params.get("grant_type") == "refresh_token":
            answer = self.world.refresh(params.get("refresh_token", ""))
        else:
            answer = self.world.exchange(params.get("code", ""))
        if answer is None:
            raise SlackError("invalid_refresh_token" if params.get("grant_type") else "invalid_code")
        return answer

    def _users_info(self, params, grant):
        user_id = params.get("user")
        user = self.users.get(user_id)
        if user is None:
            raise SlackError("user_not_found")
        name = user.get("name", user_id)
        return {"ok": True, "user": {
            "id": user_id, "team_id": user.get("team", grant.team), "name": name.lower(), "real_name": name,
            "profile": {"display_name": name, "real_name": name},
            "is_admin": user.get("is_admin", False), "is_owner": user.get("is_owner", False),
        }}

    def _users_conversations(self, params, grant):
        user, limit = params.get("user"), int(params.get("limit") or 100)
        kinds = {"public" if t == "public_channel" else "private" for t in (params.get("types") or "public_channel").split(",")}
        ids = sorted(c.id for c in self.world.channels.get(grant.team, {}).values()
                     if user in c.members and c.kind in kinds and not (c.archived and params.get("exclude_archived") in ("true", "1", True))
                     and self.world.visible(grant.team, c.id))
        start = int(params.get("cursor") or 0)
        page = ids[start : start + limit]
        more = str(start + limit) if start + limit < len(ids) else ""
        return {"ok": True, "channels": [{"id": c} for c in page], "response_metadata": {"next_cursor": more}}

    def _conversations_info(self, params, grant):
        channel = self.world.visible(grant.team, params.get("channel", ""))
        if channel is None:
            raise SlackError("channel_not_found")
        return {"ok": True, "channel": {"id": channel.id, "name": channel.name, "is_channel": True, "is_private": channel.private,
                                        "is_member": channel.bot, "is_archived": channel.archived}}

    def _conversations_join(self, params, grant):
        channel = self.world.visible(grant.team, params.get("channel", ""))
        if channel is None:
            raise SlackError("channel_not_found")
        if channel.private:
            raise SlackError("method_not_supported_for_channel_type")
        if channel.archived:
            raise SlackError("is_archived")
        channel.bot = True
        return {"ok": True, "channel": {"id": channel.id, "is_member": True}}

    def _conversations_open(self, params, grant):
        return {"ok": True, "channel": {"id": "D" + str(params.get("users", "")).split(",")[0]}}

    def _chat_postMessage(self, params, grant):
        self._postable(grant.team, params["channel"])
        ts = self._next_ts()
        return {"ok": True, "channel": params["channel"], "ts": ts, "message": {"ts": ts, "text": params.get("text", "")}}

    def _chat_postEphemeral(self, params, grant):
        channel = self._postable(grant.team, params["channel"])
        if channel is not None and params.get("user") not in channel.members:
            raise SlackError("user_not_in_channel")
        return {"ok": True, "message_ts": self._next_ts()}

    def _chat_getPermalink(self, params, grant):
        self._postable(grant.team, params["channel"])
        ts = params["message_ts"].replace(".", "")
        return {"ok": True, "channel": params["channel"], "permalink": f"https://{grant.team.lower()}.slack.com/archives/{params['channel']}/p{ts}"}

    def _reactions_add(self, params, grant):
        self._postable(grant.team, params["channel"])
        key = (params["channel"], params["timestamp"], params["name"])
        if key in self.reactions:
            raise SlackError("already_reacted")
        self.reactions.add(key)
        return {"ok": True}

    def _view(self, params, view_id: str):
        view = params.get("view")
        view = json.loads(view) if isinstance(view, str) else dict(view or {})
        return {"ok": True, "view": {**view, "id": view_id}}

    def _views_open(self, params, grant):
        issued = self.triggers.get(params.get("trigger_id"))
        if issued is None:
            raise SlackError("invalid_trigger_id")
        if time.monotonic() - issued > TRIGGER_LIFE:
            raise SlackError("expired_trigger_id")
        return self._view(params, f"V{next(self._ids)}")

    def _views_update(self, params, grant):
        return self._view(params, params.get("view_id", "V0"))

    def _views_publish(self, params, grant):
        return self._view(params, f"V{next(self._ids)}")

    def _files_getUploadURLExternal(self, params, grant):
        file_id = f"F{next(self._ids)}"
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _files_completeUploadExternal(self, params, grant):
        files = params.get("files")
        files = json.loads(files) if isinstance(files, str) else files
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
