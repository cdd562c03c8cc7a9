"""A small Discord on loopback: the REST API and the gateway, recording every request.

Point discord.py at it (`point_discord_at(standin)`), log a real client in, and drive it
with gateway dispatches shaped as Discord documents them: `interact(...)` sends an
INTERACTION_CREATE and returns the callback the bot answered with, `post_in_thread(...)`
a MESSAGE_CREATE. Every REST call lands in `calls`; `fail_next(...)` makes the next
matching call fail (a 429 with `retry_after`, a 404 Unknown Channel, a 500),
`fail_after(...)` does it and answers a 5xx anyway, `drop_next(...)` drops its
connection (after doing it, or before), `hold_next(...)` never answers it (a process
that dies waiting).

The gateway keeps a `Session` per identify (its id, its shard, every dispatch with its
sequence number): `reconnect()` sends op 7, `invalidate(resumable)` op 9, `drop_socket()`
breaks the connection (1006; `expire=True`: the session is gone by the time the client
comes back). Dispatches made while a client is away wait in its session; an op 6 RESUME
with a known session_id gets those after its `seq`, then RESUMED (recorded in `resumes`);
an unknown one gets op 9 d=false. With `shard_count` > 1 (GET /gateway/bot), a guild's
events go to the shard (guild_id >> 22) % shard_count, DMs to shard 0; `add_guild(shard)`
makes a second guild and `command_in(guild, ...)` a command there.

Discord's rules the bot must live by are enforced: an interaction answered more than
`deadline` seconds after it was sent gets 10062 Unknown interaction, a second
acknowledgement 40060; a message with a `nonce` and `enforce_nonce` is created once; a
thread opens once per message (160004) and carries the message's id; the bot's
permissions in the channel (`bot_permissions`) are what `app_permissions` says and what
a post or a thread needs (403, 50013 Missing Permissions).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import re
import time
from dataclasses import dataclass, field

import yarl
from aiohttp import WSMsgType, web

API = "/api/v10"
EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc).isoformat()
MANAGE_CHANNELS = 1 << 4
MESSAGE_CONTENT_INTENT = 1 << 15
BASE_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 31)  # view channel, send messages, use application commands
VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, MANAGE_MESSAGES = 1 << 10, 1 << 11, 1 << 14, 1 << 13
CREATE_PUBLIC_THREADS, SEND_MESSAGES_IN_THREADS, MENTION_EVERYONE, MANAGE_ROLES = 1 << 35, 1 << 38, 1 << 17, 1 << 28
# What the invite link grants the bot (the README's permissions), plus view channel.
BOT_PERMISSIONS = BASE_PERMISSIONS | EMBED_LINKS | CREATE_PUBLIC_THREADS | SEND_MESSAGES_IN_THREADS | (1 << 15) | (1 << 6) | (1 << 16)
DEADLINE = 3.0  # seconds Discord gives a bot to acknowledge an interaction


@dataclass
class Call:
    method: str
    path: str  # below /api/v10, e.g. /channels/1/messages
    body: dict | None  # JSON body (or payload_json of a multipart body)
    files: list[tuple[str, bytes]] = field(default_factory=list)
    status: int = 200
    result: dict | list | None = None  # what the stand-in answered (a created message, a thread…)
    at: float = field(default_factory=time.monotonic)  # when it arrived (monotonic seconds)


@dataclass
class Session:
    """One identify's gateway session, as Discord keeps it: resumable with its id and the
    last sequence number seen, its dispatches kept in order to replay the missed ones."""
    id: str
    shard: tuple[int, int]  # (shard id, shard count), as identified
    socket: web.WebSocketResponse | None  # None while the client is away
    sent: list[dict] = field(default_factory=list)  # every dispatch, with its "s"
    ended: bool = False  # closed cleanly (1000, 1001) or invalidated: nothing to resume

    def serves(self, guild_id: str | None) -> bool:
        return not self.ended and self.shard[0] == shard_of(guild_id, self.shard[1])


def shard_of(guild_id: str | None, shard_count: int) -> int:
    """Discord's routing: a guild's events go to shard (guild_id >> 22) % shard_count, DMs to shard 0."""
    return (int(guild_id) >> 22) % shard_count if guild_id else 0


@dataclass
class Fault:
    method: str
    path: re.Pattern
    status: int  # 0: no answer at all (see `drop`)
    body: dict
    headers: dict
    drop: str = ""  # "after": do it, then drop the connection; "before": drop without doing it; "hold": never answer
    done: bool = False  # with a status: do it, then answer the failure anyway (a 5xx after the work)


class DiscordStandIn:
    def __init__(self, *, message_content: bool = True):
        self._ids = itertools.count(1_400_000_000_000_000_000)
        self.message_content = message_content  # whether the app may use the Message Content intent
        self.token = "bot-token"
        self.bot = self.user("studybot", bot=True)
        self.application_id = self.bot["id"]
        self.guild_id = self.snowflake()
        self.channel_id = self.snowflake()
        self.calls: list[Call] = []
        self.messages: dict[str, dict] = {}
        self.threads: dict[str, dict] = {}
        self.dm_channels: dict[str, str] = {}  # user id: DM channel id
        self.deleted_channels: set[str] = set()
        self.faults: list[Fault] = []
        self.deadline = DEADLINE
        self.bot_permissions = BOT_PERMISSIONS  # the bot's permissions in the study channel and its threads
        self.forum_id = self.snowflake()  # a forum channel in the guild; `forum_post()` opens a post in it
        self.roles: list[dict] = []  # the guild's roles beyond @everyone
        # Command permissions and member roles (see "command permissions and roles" below).
        self.commands: list[dict] = []  # what the bot registered (its last bulk overwrite)
        self.role_overrides: dict[str, set[str]] = {}  # command name: role ids allowed in Integrations
        self.member_roles: dict[str, list[str]] = {}  # user id: role ids
        self.issued: dict[str, float] = {}  # interaction id: when it was sent (monotonic)
        self.interactions: dict[str, dict] = {}  # interaction id: its payload
        self.acknowledged: dict[str, int] = {}  # interaction id: callbacks accepted
        self.nonces: dict[tuple[str, str], str] = {}  # (channel, nonce): message id
        self._held = asyncio.Event()
        self.identified: list[dict] = []
        self.shard_count = 1  # what GET /gateway/bot recommends
        self.sessions: list[Session] = []  # every identify's session, resumable until closed cleanly or invalidated
        self.resumes: list[dict] = []  # each RESUME asked for: its payload, and the events replayed
        self.other_guilds: dict[str, str] = {}  # guild id: its one text channel (`add_guild`)
        self._session_ids = itertools.count(1)
        self._transports: dict[web.WebSocketResponse, object] = {}  # a socket's TCP transport, to break it
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.url = ""

    # ---- setup --------------------------------------------------------------------------

    def snowflake(self) -> str:
        return str(next(self._ids))

    def user(self, name: str, *, bot: bool = False) -> dict:
        return {"id": self.snowflake(), "username": name, "global_name": name, "discriminator": "0", "avatar": None, "bot": bot}

    async def start(self) -> str:
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API + "/{path:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        self._held.set()
        for session in self.sessions:
            if session.socket is not None:
                await session.socket.close()
        if self._runner:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return self.url + API

    @property
    def gateway_url(self) -> yarl.URL:
        return yarl.URL(self.url.replace("http://", "ws://") + "/gateway")

    # ---- failures -------------------------------------------------------------------------

    def fail_next(self, method: str, path: str, status: int, body: dict | None = None, headers: dict | None = None) -> None:
        """Make the next call matching `method` and the regex `path` fail once."""
        self.faults.append(Fault(method, re.compile(path), status, body or {"message": "failure", "code": 0}, headers or {}))

    def rate_limit_next(self, method: str, path: str, retry_after: float = 0.05) -> None:
        """A 429 as Discord sends it: JSON retry_after, X-RateLimit-* and the Via header of its proxy."""
        headers = {
            "Via": "1.1 google",
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset-After": str(retry_after),
            "X-RateLimit-Bucket": "standin-bucket",
            "X-RateLimit-Scope": "user",
        }
        body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
        self.fail_next(method, path, 429, body, headers)

    def drop_next(self, method: str, path: str, *, done: bool = True) -> None:
        """The next matching call's connection drops (aiohttp's ServerDisconnectedError in the
        bot): `done` after Discord did it, so only the answer is lost; else before."""
        self.faults.append(Fault(method, re.compile(path), 0, {}, {}, "after" if done else "before"))

    def hold_next(self, method: str, path: str) -> None:
        """The next matching call is never answered (until the stand-in stops)."""
        self.faults.append(Fault(method, re.compile(path), 0, {}, {}, "hold"))

    def forum_post(self, title: str = "How do I study?") -> str:
        """A post in the guild's forum channel (a thread whose parent is the forum); its id."""
        post_id = self.snowflake()
        self.threads[post_id] = {
            "id": post_id, "type": 11, "guild_id": self.guild_id, "parent_id": self.forum_id, "owner_id": self.snowflake(),
            "name": title, "last_message_id": None, "rate_limit_per_user": 0, "message_count": 0, "member_count": 1,
            "thread_metadata": {"archived": False, "auto_archive_duration": 1440, "archive_timestamp": EPOCH, "locked": False},
        }
        return post_id

    def delete_channel(self, channel_id: str) -> None:
        self.deleted_channels.add(str(channel_id))

    # ---- what the bot did -------------------------------------------------------------------

    def find(self, method: str, path: str, *, ok: bool | None = None) -> list[Call]:
        """Recorded calls whose path matches the regex: all, only the successful (ok=True) or the failed."""
        pattern = re.compile(path)
        return [c for c in self.calls if c.method == method and pattern.fullmatch(c.path) and (ok is None or ok == (200 <= c.status < 300))]

    async def wait_for(self, method: str, path: str, count: int = 1, timeout: float = 60, ok: bool | None = True) -> list[Call]:
        """Wait until `count` calls match (successful ones unless `ok` says otherwise); a guard
        against hanging, not a timing check."""

        def enough():
            return len(self.find(method, path, ok=ok)) >= count

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(enough), timeout)
        return self.find(method, path, ok=ok)

    async def acknowledged_all(self, timeout: float) -> bool:
        """Wait until every interaction sent so far was answered (or `timeout` passes)."""

        def done():
            return all(self.find("POST", rf"/interactions/{i}/.+/callback") for i in self.issued)

        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(done), timeout)
            except asyncio.TimeoutError:
                return False
        return True

    def refused_callbacks(self) -> list[Call]:
        """Interaction callbacks Discord refused: too late (10062) or a second acknowledgement (40060)
        (but not the 40060 to discord.py's own retry of a callback answered 5xx: the library's, not the bot's)."""
        callbacks = self.find("POST", r"/interactions/\d+/.+/callback")
        retried = {c.path for c in callbacks if c.status >= 500}
        return [c for c in callbacks if 400 <= c.status < 500 and not (c.path in retried and (c.result or {}).get("code") == 40060)]

    def dms(self, user: dict) -> list[dict]:
        """The messages the bot sent to a member privately."""
        channel_id = self.dm_channels.get(user["id"])
        return [c.body for c in self.find("POST", rf"/channels/{channel_id}/messages", ok=True)] if channel_id else []

    def callbacks(self, interaction_id: str) -> list[dict]:
        return [c.body for c in self.find("POST", rf"/interactions/{interaction_id}/.+/callback", ok=True)]

    # ---- gateway ---------------------------------------------------------------------------------

    async def dispatch(self, event: str, data: dict) -> None:
        """Send an event to the sessions of the shard its guild is on (DMs: shard 0)."""
        for session in self._routed(data.get("guild_id")):
            await self._send_event(session, event, data)

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45000}}))
        self._transports[ws] = request.transport
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                break
            payload = json.loads(msg.data)
            if payload["op"] == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif payload["op"] == 2:
                self.identified.append(payload["d"])
                if payload["d"]["intents"] & MESSAGE_CONTENT_INTENT and not self.message_content:
                    await ws.close(code=4014, message=b"Disallowed intent(s).")
                    break
                await self._identify(ws, payload["d"])
            elif payload["op"] == 6:
                await self._resume(ws, payload["d"])
        self._closed(ws)
        self._transports.pop(ws, None)
        return ws

    def _ready(self, identify: dict, session_id: str) -> dict:
        return {
            "v": 10,
            "user": self.bot,
            "guilds": [{"id": guild_id, "unavailable": True} for guild_id in self._guilds_on(identify.get("shard", [0, 1]))],
            "session_id": session_id,
            "resume_gateway_url": str(self.gateway_url),
            "shard": identify.get("shard", [0, 1]),
            "application": {"id": self.application_id, "flags": self._app_flags()},
        }

    def _app_flags(self) -> int:
        return (1 << 18) if self.message_content else 0  # GATEWAY_MESSAGE_CONTENT

    def guild(self) -> dict:
        return {
            "id": self.guild_id,
            "name": "Study server",
            "owner_id": self.snowflake(),
            "unavailable": False,
            "member_count": 3,
            "large": False,
            "joined_at": EPOCH,
            "roles": [{"id": self.guild_id, "name": "@everyone", "permissions": str(BASE_PERMISSIONS), "position": 0,
                       "color": 0, "hoist": False, "managed": False, "mentionable": False, "flags": 0}, *self.roles],
            "channels": [{"id": self.channel_id, "type": 0, "name": "study", "position": 0, "permission_overwrites": [],
                          "nsfw": False, "parent_id": None, "topic": None, "last_message_id": None, "rate_limit_per_user": 0},
                         {"id": self.forum_id, "type": 15, "name": "questions", "position": 1, "permission_overwrites": [],
                          "nsfw": False, "parent_id": None, "topic": None, "last_message_id": None, "rate_limit_per_user": 0,
                          "available_tags": [], "default_reaction_emoji": None, "flags": 0}],
            "threads": list(self.threads.values()),
            "members": [self.member(self.bot)],
            "emojis": [], "stickers": [], "features": [], "presences": [], "voice_states": [],
            "stage_instances": [], "guild_scheduled_events": [], "soundboard_sounds": [],
            "premium_tier": 0, "preferred_locale": "en-US", "system_channel_id": None, "afk_channel_id": None,
            "verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0,
            "mfa_level": 0, "nsfw_level": 0, "premium_progress_bar_enabled": False,
        }

    def member(self, user: dict, permissions: int = BASE_PERMISSIONS) -> dict:
        return {"user": user, "roles": list(self.member_roles.get(user["id"], [])), "joined_at": EPOCH, "deaf": False, "mute": False, "flags": 0,
                "nick": None, "permissions": str(permissions)}

    # ---- gateway sessions: RESUME, RECONNECT, INVALID_SESSION, shards ------------------------

    async def _identify(self, ws: web.WebSocketResponse, identify: dict) -> None:
        shard = tuple(identify.get("shard", [0, 1]))
        session = Session(f"standin-session-{next(self._session_ids)}", shard, ws)
        self.sessions.append(session)
        await self._send_event(session, "READY", self._ready(identify, session.id))
        for guild_id in self._guilds_on(shard):
            await self._send_event(session, "GUILD_CREATE", self.guild() if guild_id == self.guild_id else self._other_guild(guild_id))
        await self._notify()

    async def _resume(self, ws: web.WebSocketResponse, resume: dict) -> None:
        """Op 6: replay what the session sent after `seq`, then RESUMED; an unknown session
        is told op 9 INVALID_SESSION (d=false) and must identify anew."""
        session = next((s for s in self._live() if s.id == resume.get("session_id")), None)
        replayed = []
        self.resumes.append({**resume, "replayed": replayed})
        if session is None:
            await ws.send_str(json.dumps({"op": 9, "d": False}))
            return await self._notify()
        seq = resume.get("seq") or 0
        # Replay until caught up; the socket is attached with no await in between, so no
        # dispatch made meanwhile is lost or sent twice.
        while missed := [p for p in session.sent if p["s"] > seq]:
            for payload in missed:
                await ws.send_str(json.dumps(payload))
                replayed.append(payload["t"])
                seq = payload["s"]
        session.socket = ws
        await self._send_event(session, "RESUMED", {})
        await self._notify()

    def _closed(self, ws: web.WebSocketResponse) -> None:
        """A client's clean close (1000, 1001) ends its session, as on Discord; others keep it resumable."""
        for session in self.sessions:
            if session.socket is ws:
                session.socket = None
                session.ended = session.ended or ws.close_code in (1000, 1001)

    def _live(self) -> list[Session]:
        return [s for s in self.sessions if not s.ended]

    def _routed(self, guild_id: str | None) -> list[Session]:
        return [s for s in self.sessions if s.serves(guild_id)]

    async def _send_event(self, session: Session, event: str, data: dict) -> None:
        payload = {"op": 0, "t": event, "s": len(session.sent) + 1, "d": data}
        session.sent.append(payload)  # kept for a RESUME, sent now only if the client is there
        if session.socket is not None and not session.socket.closed:
            try:
                await session.socket.send_str(json.dumps(payload))
            except ConnectionResetError:
                pass  # the socket went meanwhile: the client resumes and gets it replayed

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def until(self, condition, timeout: float = 60) -> None:
        """Wait until `condition()` holds (checked on each request and gateway change); a guard, not a timing check."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), timeout)

    def _active(self, shard_id: int = 0) -> Session:
        return next(s for s in reversed(self._live()) if s.shard[0] == shard_id and s.socket is not None)

    async def reconnect(self, shard_id: int = 0) -> None:
        """Op 7 RECONNECT: the client closes and resumes; what is dispatched meanwhile waits for it."""
        session = self._active(shard_id)
        ws, session.socket = session.socket, None
        await ws.send_str(json.dumps({"op": 7, "d": None}))

    async def invalidate(self, resumable: bool, shard_id: int = 0) -> None:
        """Op 9 INVALID_SESSION: resumable, the client resumes; else the session ends and it identifies anew."""
        session = self._active(shard_id)
        ws, session.socket = session.socket, None
        if not resumable:
            session.ended = True
        await ws.send_str(json.dumps({"op": 9, "d": resumable}))

    def drop_socket(self, shard_id: int = 0, *, expire: bool = False) -> None:
        """The connection breaks (the client sees 1006, no close frame): it resumes and gets
        what was dispatched meanwhile; `expire`: the session is gone by then (op 9, identify anew)."""
        session = self._active(shard_id)
        ws, session.socket = session.socket, None
        if expire:
            session.ended = True
        self._transports[ws].close()

    def add_guild(self, shard_id: int) -> tuple[str, str]:
        """Another guild, on shard `shard_id` of `shard_count`, with one text channel: (guild id, channel id)."""
        guild_id = int(self.snowflake())
        while shard_of(str(guild_id), self.shard_count) != shard_id:
            guild_id += 1 << 22
        channel_id = self.snowflake()
        self.other_guilds[str(guild_id)] = channel_id
        return str(guild_id), channel_id

    def _guilds_on(self, shard: tuple[int, int] | list[int]) -> list[str]:
        return [g for g in (self.guild_id, *self.other_guilds) if shard_of(g, shard[1]) == shard[0]]

    def _guild_of(self, channel_id: str) -> str:
        parent = self.threads.get(channel_id, {}).get("parent_id", channel_id)
        return next((g for g, c in self.other_guilds.items() if c == parent), self.guild_id)

    def _other_guild(self, guild_id: str) -> dict:
        guild = self.guild()
        guild.update(id=guild_id, name=f"Server {guild_id[-4:]}", threads=[])
        guild["roles"] = [{**guild["roles"][0], "id": guild_id}]
        guild["channels"] = [{**guild["channels"][0], "id": self.other_guilds[guild_id]}]
        return guild

    async def command_in(self, guild_id: str, user: dict, verb: str, options: dict | None = None, *, admin: bool = False) -> dict:
        """`/study <verb>` in another guild's channel (`add_guild`); returns the interaction."""
        channel_id = self.other_guilds[guild_id]
        payload = self._interaction(2, user, self._command_data(verb, options or {}), admin=admin, channel_id=channel_id, message=None)
        payload.update(guild_id=guild_id, authorizing_integration_owners={"0": guild_id})
        payload["channel"]["guild_id"] = payload["data"]["guild_id"] = guild_id
        return await self._send(payload)

    def fail_after(self, method: str, path: str, status: int) -> None:
        """The next matching call is done, then answered `status` anyway (a 5xx whose work happened)."""
        self.faults.append(Fault(method, re.compile(path), status, {"message": f"{status}: Server Error", "code": 0}, {}, done=True))

    # ---- driving the bot ------------------------------------------------------------------------

    def _interaction(self, kind: int, user: dict, data: dict, *, admin: bool, channel_id: str | None, message: dict | None) -> dict:
        channel_id = channel_id or self.channel_id
        thread = self.threads.get(channel_id)
        channel = dict(thread) if thread else {"id": channel_id, "type": 0, "guild_id": self.guild_id, "name": "study",
                                               "position": 0, "permission_overwrites": [], "nsfw": False, "parent_id": None}
        payload = {
            "id": self.snowflake(),
            "application_id": self.application_id,
            "type": kind,
            "data": data,
            "guild_id": self.guild_id,
            "channel_id": channel_id,
            "channel": channel,
            "member": self.member(user, BASE_PERMISSIONS | (MANAGE_CHANNELS if admin else 0)),
            "token": f"itoken-{self.snowflake()}",
            "version": 1,
            "app_permissions": str(self.bot_permissions),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": self.guild_id},
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if message is not None:
            payload["message"] = message
        return payload

    async def _send(self, payload: dict) -> dict:
        self._gate(payload)
        self.issued[payload["id"]] = time.monotonic()
        self.interactions[payload["id"]] = payload
        await self.dispatch("INTERACTION_CREATE", payload)
        await self.wait_for("POST", rf"/interactions/{payload['id']}/.+/callback", ok=None)
        return payload

    def role(self, name: str) -> dict:
        """A role in the guild (sent in GUILD_CREATE to clients that connect after this)."""
        role = {"id": self.snowflake(), "name": name, "permissions": "0", "position": len(self.roles) + 1, "color": 0,
                "hoist": False, "managed": False, "mentionable": True, "flags": 0}
        self.roles.append(role)
        return role

    def _command_data(self, verb: str, options: dict, focused: str | None = None) -> dict:
        types = {str: 3, int: 4, bool: 5, dict: 8}  # a dict: a role (from `role`)
        given = [{"name": k, "type": types[type(v)], "value": v["id"] if isinstance(v, dict) else v, **({"focused": True} if k == focused else {})}
                 for k, v in options.items()]
        data = {"id": self.snowflake(), "name": self._command_of(verb), "type": 1, "options": [{"type": 1, "name": verb, "options": given}], "guild_id": self.guild_id}
        if roles := {v["id"]: v for v in options.values() if isinstance(v, dict)}:
            data["resolved"] = {"roles": roles}
        return data

    async def command(self, user: dict, verb: str, options: dict | None = None, *, admin: bool = False, channel_id: str | None = None) -> dict:
        """`/study <verb> option:value …` as an application command (type 2); returns the interaction."""
        data = self._command_data(verb, options or {})
        return await self._send(self._interaction(2, user, data, admin=admin, channel_id=channel_id, message=None))

    async def reply(self, interaction: dict) -> dict:
        """The message that followed an interaction's "thinking…" (once its work is done)."""
        [call] = await self.wait_for("POST", rf"/webhooks/{self.application_id}/{interaction['token']}")
        return call.body

    async def autocomplete(self, user: dict, verb: str, options: dict, focused: str, *, admin: bool = False) -> list[dict]:
        """An autocomplete request (type 4) while `focused` is typed; returns the choices offered."""
        payload = await self._send(self._interaction(4, user, self._command_data(verb, options, focused), admin=admin, channel_id=None, message=None))
        return self.callbacks(payload["id"])[0]["data"]["choices"]

    async def click(self, user: dict, message: dict, custom_id: str, *, values: list[str] | None = None, admin: bool = False) -> dict:
        """A component interaction (type 3) on a message the bot sent: a button, or a select with `values`."""
        component = find_component(message, custom_id)
        data = {"custom_id": custom_id, "component_type": component["type"]}
        if values is not None:
            data["values"] = values
        return await self._send(self._interaction(3, user, data, admin=admin, channel_id=message["channel_id"], message=message))

    async def submit(self, user: dict, modal: dict, values: dict[str, str], *, channel_id: str | None = None, message: dict | None = None) -> dict:
        """A modal submission (type 5): `modal` is the data of the bot's type-9 callback, `values` by input custom_id."""
        rows = [{"type": 1, "components": [{"type": 4, "custom_id": cid, "value": value}]} for cid, value in values.items()]
        data = {"custom_id": modal["custom_id"], "components": rows}
        return await self._send(self._interaction(5, user, data, admin=False, channel_id=channel_id, message=message))

    async def post_in_thread(self, user: dict, thread_id: str, content: str, *, reply_to: str | None = None) -> dict:
        """A member's message in a thread (MESSAGE_CREATE); its content is empty without the intent."""
        message = {
            "id": self.snowflake(), "channel_id": thread_id, "guild_id": self.guild_id, "author": user,
            "member": {k: v for k, v in self.member(user).items() if k != "user"},
            "content": content, "timestamp": EPOCH, "edited_timestamp": None, "tts": False, "mention_everyone": False,
            "mentions": [], "mention_roles": [], "attachments": [], "embeds": [], "pinned": False,
            "type": 19 if reply_to else 0, "flags": 0, "components": [],
        }
        if reply_to:
            message["message_reference"] = {"message_id": reply_to, "channel_id": thread_id, "guild_id": self.guild_id}
        self.messages[message["id"]] = message
        await self.dispatch("MESSAGE_CREATE", message)
        return message

    async def redeliver(self, message: dict) -> None:
        """The same MESSAGE_CREATE again, as the gateway may send it after a resume."""
        await self.dispatch("MESSAGE_CREATE", message)

    # ---- command permissions and roles (issue 15) -------------------------------------------------------
    # Discord's gate on a command's `default_member_permissions`, lifted for a role by a
    # per-command override (Server Settings → Integrations), and roles the bot hands out.

    def allow_role(self, command: str, role_id: str) -> None:
        """An override in Integrations: members holding the role may use `command`."""
        self.role_overrides.setdefault(command, set()).add(role_id)

    def give_role(self, user: dict, role: dict) -> None:
        self.member_roles.setdefault(user["id"], []).append(role["id"])

    def roles_of(self, user: dict) -> list[str]:
        return self.member_roles.get(user["id"], [])

    def bot_role(self, permissions: int = 0) -> dict:
        """A role for the bot, above the roles made so far (before the bot connects: GUILD_CREATE carries it)."""
        role = self.role("studybot")
        role["permissions"] = str(permissions)
        self.give_role(self.bot, role)
        return role

    def _command_of(self, verb: str) -> str:
        """The registered top-level command holding the subcommand `verb` (as a member picks it)."""
        return next((c["name"] for c in self.commands if verb in {o["name"] for o in c.get("options", [])}), "study")

    def _gate(self, payload: dict) -> None:
        if payload["type"] not in (2, 4):
            return
        name = payload["data"]["name"]
        command = next((c for c in self.commands if c["name"] == name), {})
        needed = int(command.get("default_member_permissions") or 0)
        member = payload["member"]
        if int(member["permissions"]) & needed == needed or set(member["roles"]) & self.role_overrides.get(name, set()):
            return
        raise CommandRefused(f"{member['user']['username']} may not use /{name}")

    def _member_role(self, method: str, user_id: str, role_id: str) -> web.Response:
        if refused := self._missing(MANAGE_ROLES):
            return refused
        positions = {r["id"]: r["position"] for r in self.roles}
        top = max((positions.get(r, 0) for r in self.roles_of(self.bot)), default=0)
        if positions.get(role_id, 0) >= top:  # above the bot's highest role
            return _json({"message": "Missing Permissions", "code": 50013}, 403)
        held = self.member_roles.setdefault(user_id, [])
        if method == "PUT" and role_id not in held:
            held.append(role_id)
        elif method == "DELETE" and role_id in held:
            held.remove(role_id)
        return web.Response(status=204)

    # ---- REST ----------------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        body, files = await _read_body(request)
        call = Call(request.method, path, body, files)
        self.calls.append(call)
        fault = self._fault(call)
        if fault is not None and fault.drop:
            call.status = 0
            if fault.drop == "hold":
                async with self._changed:
                    self._changed.notify_all()
                await self._held.wait()
            elif fault.drop == "after":
                self._route(call, request)
            if request.transport is not None:
                request.transport.close()  # no answer: the bot's aiohttp raises ServerDisconnectedError
            return web.Response(status=204)
        if fault is not None and fault.done:
            self._route(call, request)
        response = _json(fault.body, fault.status, fault.headers) if fault else self._route(call, request)
        call.status = response.status
        if response.content_type == "application/json":
            call.result = json.loads(response.body)
        async with self._changed:
            self._changed.notify_all()
        return response

    def _fault(self, call: Call) -> Fault | None:
        for fault in self.faults:
            if fault.method == call.method and fault.path.fullmatch(call.path):
                self.faults.remove(fault)
                return fault
        return None

    def _route(self, call: Call, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") not in (f"Bot {self.token}", None) and not call.path.startswith(("/webhooks", "/interactions")):
            return _json({"message": "401: Unauthorized", "code": 0}, 401)
        p, m = call.path, call.method
        if m == "GET" and p == "/users/@me":
            return _json(self.bot)
        if m == "GET" and p == "/oauth2/applications/@me":
            return _json({"id": self.application_id, "name": "studybot", "description": "", "icon": None, "bot_public": True,
                          "bot_require_code_grant": False, "owner": self.user("owner"), "verify_key": "0" * 64,
                          "flags": self._app_flags(), "team": None})
        if m == "GET" and p == "/gateway/bot":
            return _json({"url": str(self.gateway_url), "shards": self.shard_count,
                          "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}})
        if m == "PUT" and re.fullmatch(r"/applications/\d+/commands", p):
            self.commands = call.body
            return _json([{**c, "id": self.snowflake(), "application_id": self.application_id, "version": "1"} for c in call.body])
        if (match := re.fullmatch(r"/channels/(\d+)/messages", p)) and m == "POST":
            if match[1] in self.deleted_channels:
                return _json({"message": "Unknown Channel", "code": 10003}, 404)
            needed = SEND_MESSAGES_IN_THREADS if match[1] in self.threads else SEND_MESSAGES
            if match[1] not in self.dm_channels.values() and (refused := self._missing(needed)):
                return refused
            return _json(self._message(match[1], call.body, call.files))
        if (match := re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", p)) and m == "POST":
            if refused := self._missing(CREATE_PUBLIC_THREADS):
                return refused
            return self._start_thread(match[1], match[2], call.body)
        if (match := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", p)) and m == "PATCH":
            message = self.messages.get(match[2])
            if message is None:
                return _json({"message": "Unknown Message", "code": 10008}, 404)
            message.update({k: v for k, v in (call.body or {}).items() if k in ("content", "embeds", "components")})
            return _json(message)
        if (match := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", p)) and m == "DELETE":
            message = self.messages.get(match[2])
            if message is None:
                return _json({"message": "Unknown Message", "code": 10008}, 404)
            if message["author"]["id"] != self.bot["id"] and (refused := self._missing(MANAGE_MESSAGES)):
                return refused
            del self.messages[match[2]]
            return web.Response(status=204)
        if (match := re.fullmatch(r"/guilds/\d+/members/(\d+)/roles/(\d+)", p)) and m in ("PUT", "DELETE"):
            return self._member_role(m, match[1], match[2])
        if re.fullmatch(r"/channels/\d+/messages/\d+/reactions/[^/]+/@me", p) and m == "PUT":
            return web.Response(status=204)
        if m == "POST" and p == "/users/@me/channels":
            user_id = str(call.body["recipient_id"])
            channel_id = self.dm_channels.setdefault(user_id, self.snowflake())
            recipient = {"id": user_id, "username": "member", "discriminator": "0", "avatar": None}
            return _json({"id": channel_id, "type": 1, "recipients": [recipient], "last_message_id": None})
        if (match := re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", p)) and m == "POST":
            return self._callback(match[1], call.body)
        if (match := re.fullmatch(r"/webhooks/\d+/([^/]+)", p)) and m == "POST":
            return _json(self._message(self.channel_id, call.body, call.files))
        if re.fullmatch(r"/webhooks/\d+/([^/]+)/messages/@original", p) and m == "DELETE":
            return web.Response(status=204)
        if (match := re.fullmatch(r"/webhooks/\d+/([^/]+)/messages/@original", p)) and m == "PATCH":
            return _json(self._message(self.channel_id, call.body, call.files))
        return _json({"message": "404: Not Found", "code": 0}, 404)

    def _missing(self, permission: int) -> web.Response | None:
        """Discord's 403 when the bot lacks `permission` (or cannot see the channel at all)."""
        if not self.bot_permissions & VIEW_CHANNEL:
            return _json({"message": "Missing Access", "code": 50001}, 403)
        if not self.bot_permissions & permission:
            return _json({"message": "Missing Permissions", "code": 50013}, 403)
        return None

    def _message(self, channel_id: str, body: dict, files: list) -> dict:
        body = body or {}
        nonce = body.get("nonce") if body.get("enforce_nonce") else None
        if nonce is not None and (channel_id, str(nonce)) in self.nonces:
            return self.messages[self.nonces[channel_id, str(nonce)]]  # Discord: the message already made with this nonce
        message = {
            "id": self.snowflake(), "channel_id": channel_id, "author": self.bot, "content": body.get("content") or "",
            "embeds": body.get("embeds") or [], "components": body.get("components") or [],
            "attachments": [{"id": self.snowflake(), "filename": name, "size": len(data), "url": f"{self.url}/files/{name}",
                             "proxy_url": f"{self.url}/files/{name}"} for name, data in files],
            "timestamp": EPOCH, "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [],
            "mention_roles": [], "pinned": False, "type": 0, "flags": body.get("flags", 0),
        }
        if channel_id not in self.dm_channels.values():
            message["guild_id"] = self._guild_of(channel_id)
        if nonce is not None:
            message["nonce"] = str(nonce)
            self.nonces[channel_id, str(nonce)] = message["id"]
        self.messages[message["id"]] = message
        return message

    def _start_thread(self, channel_id: str, message_id: str, body: dict) -> web.Response:
        if channel_id in self.deleted_channels:
            return _json({"message": "Unknown Channel", "code": 10003}, 404)
        if message_id in self.threads:
            return _json({"message": "A thread has already been created for this message", "code": 160004}, 400)
        thread = {
            "id": message_id, "type": 11, "guild_id": self._guild_of(channel_id), "parent_id": channel_id, "owner_id": self.bot["id"],
            "name": body["name"], "last_message_id": None, "rate_limit_per_user": 0, "message_count": 0, "member_count": 1,
            "thread_metadata": {"archived": False, "auto_archive_duration": body.get("auto_archive_duration", 1440),
                                "archive_timestamp": EPOCH, "locked": False},
        }
        self.threads[message_id] = thread
        asyncio.get_running_loop().create_task(self.dispatch("THREAD_CREATE", {**thread, "newly_created": True}))
        return _json(thread, 201)

    def _callback(self, interaction_id: str, body: dict) -> web.Response:
        issued = self.issued.get(interaction_id)
        if issued is not None and time.monotonic() - issued > self.deadline:
            return _json({"message": "Unknown interaction", "code": 10062}, 404)
        if self.acknowledged.get(interaction_id):
            return _json({"message": "Interaction has already been acknowledged.", "code": 40060}, 400)
        self.acknowledged[interaction_id] = 1
        response = {"interaction": {"id": interaction_id, "type": 2, "response_message_loading": body["type"] == 5,
                                    "response_message_ephemeral": bool((body.get("data") or {}).get("flags", 0) & 64)}}
        if body["type"] in (4, 5):
            message = self._message(self.channel_id, body.get("data") or {}, [])
            response["interaction"]["response_message_id"] = message["id"]
            response["resource"] = {"type": body["type"], "message": message}
        else:
            if body["type"] == 7 and (message := (self.interactions.get(interaction_id) or {}).get("message")):
                # UPDATE_MESSAGE: the component's message is edited in place.
                stored = self.messages.setdefault(message["id"], message)
                stored.update({k: v for k, v in (body.get("data") or {}).items() if k in ("content", "embeds", "components")})
            response["resource"] = {"type": body["type"]}
        return _json(response)


class CommandRefused(Exception):
    """Discord did not deliver an invocation: the member may not use the command."""


def find_component(message: dict, custom_id: str) -> dict:
    for row in message.get("components", []):
        for component in row.get("components", []):
            if component.get("custom_id") == custom_id:
                return component
    raise AssertionError(f"no component {custom_id!r} on message {message.get('id')}")


def custom_ids(message_body: dict) -> list[str]:
    return [c["custom_id"] for row in message_body.get("components", []) for c in row["components"] if "custom_id" in c]


def _json(data, status: int = 200, headers: dict | None = None) -> web.Response:
    # discord.py reads JSON only when the content type is exactly application/json.
    return web.Response(body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json", **(headers or {})})


async def _read_body(request: web.Request) -> tuple[dict | None, list[tuple[str, bytes]]]:
    if request.content_type.startswith("multipart/"):
        body, files = None, []
        reader = await request.multipart()
        async for part in reader:
            data = await part.read()
            if part.name == "payload_json":
                body = json.loads(data)
            elif part.filename:
                files.append((part.filename, bytes(data)))
        return body, files
    if request.can_read_body:
        raw = await request.read()
        return (json.loads(raw) if raw else None), []
    return None, []
