"""A local stand-in for Slack's side of the wire: the Web API, response_url, file uploads
and the Socket Mode WebSocket.

It records every call, answers like Slack does (enough for studybot), and can be told
to fail a method (an error code, a status such as 429 with Retry-After) or to hold a
method until released. Point an `AsyncWebClient` at `standin.api_url`.
apps.connections.open hands out its own WebSocket URL; `send_envelope` pushes a
request down the socket as Slack does and returns the app's acknowledgement.
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

BOT_USER = "UBOT"
TEAM = "T1"


@dataclass
class Call:
    method: str  # "chat.postMessage", or "respond" (a response_url), or "upload"
    params: dict
    status: int = 200
    answer: dict = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)  # when it arrived

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


class SlackStandIn:
    def __init__(self, token: str = "xoxb-test", users: dict[str, dict] | None = None):
        self.token = token
        self.users = users or {}
        self.calls: list[Call] = []
        self.failures: list[Failure] = []
        self.held: dict[str, asyncio.Event] = {}
        self.reactions: set[tuple[str, str, str]] = set()
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self.server: TestServer | None = None
        self.socket: web.WebSocketResponse | None = None
        self.connected = asyncio.Event()  # an app opened the Socket Mode WebSocket
        self._acks: dict[str, asyncio.Future] = {}

    # ---- control -------------------------------------------------------------------------

    def fail(self, method: str, error: str, *, status: int = 200, retry_after: int | None = None, times: int | None = 1, **when) -> None:
        self.failures.append(Failure(method, error, status, retry_after, times, when))

    def hold(self, method: str) -> asyncio.Event:
        """Calls to `method` wait until the returned event is set."""
        self.held[method] = asyncio.Event()
        return self.held[method]

    def to(self, method: str, ok: bool | None = True) -> list[Call]:
        """The calls made to a method (by default only those Slack accepted)."""
        return [c for c in self.calls if c.method == method and (ok is None or c.answer.get("ok", True) == ok)]

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
        call = Call(method, params)
        self.calls.append(call)
        if method in self.held:
            await self.held[method].wait()
        auth = request.headers.get("Authorization", "")
        if method != "apps.connections.open" and auth != f"Bearer {self.token}":
            return self._answer(call, {"ok": False, "error": "invalid_auth"})
        for failure in self.failures:
            if failure.method == method and failure.times != 0 and all(params.get(k) == v for k, v in failure.when.items()):
                if failure.times is not None:
                    failure.times -= 1
                headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
                return self._answer(call, {"ok": False, "error": failure.error}, failure.status, headers)
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        return self._answer(call, handler(params) if handler else {"ok": True})

    def _answer(self, call: Call, body: dict, status: int = 200, headers: dict | None = None) -> web.Response:
        call.status, call.answer = status, body
        return web.json_response(body, status=status, headers=headers)

    async def _respond(self, request: web.Request) -> web.Response:
        self.calls.append(Call("respond", {"name": request.match_info["name"], **(await request.json())}, answer={"ok": True}))
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

    def _apps_connections_open(self, params):
        return {"ok": True, "url": f"ws{self.url.removeprefix('http')}/socket"}

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    def _auth_test(self, params):
        return {"ok": True, "url": "https://test.slack.com/", "team": "Test", "team_id": TEAM, "user": "studybot", "user_id": BOT_USER, "bot_id": "BBOT"}

    def _users_info(self, params):
        user_id = params.get("user")
        user = self.users.get(user_id)
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        name = user.get("name", user_id)
        return {"ok": True, "user": {
            "id": user_id, "team_id": TEAM, "name": name.lower(), "real_name": name,
            "profile": {"display_name": name, "real_name": name},
            "is_admin": user.get("is_admin", False), "is_owner": user.get("is_owner", False),
        }}

    def _chat_postMessage(self, params):
        ts = self._next_ts()
        return {"ok": True, "channel": params["channel"], "ts": ts, "message": {"ts": ts, "text": params.get("text", "")}}

    def _chat_postEphemeral(self, params):
        return {"ok": True, "message_ts": self._next_ts()}

    def _reactions_add(self, params):
        key = (params["channel"], params["timestamp"], params["name"])
        if key in self.reactions:
            return {"ok": False, "error": "already_reacted"}
        self.reactions.add(key)
        return {"ok": True}

    def _conversations_open(self, params):
        return {"ok": True, "channel": {"id": "D" + str(params.get("users", "")).split(",")[0]}}

    def _view(self, params, view_id: str):
        view = params.get("view")
        view = json.loads(view) if isinstance(view, str) else dict(view or {})
        return {"ok": True, "view": {**view, "id": view_id}}

    def _views_open(self, params):
        return self._view(params, f"V{next(self._ids)}")

    def _views_update(self, params):
        return self._view(params, params.get("view_id", "V0"))

    def _views_publish(self, params):
        return self._view(params, f"V{next(self._ids)}")

    def _files_getUploadURLExternal(self, params):
        file_id = f"F{next(self._ids)}"
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _files_completeUploadExternal(self, params):
        files = params.get("files")
        files = json.loads(files) if isinstance(files, str) else files
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
