"""Who is asking: a Slack user's name and whether they are a workspace admin (users.info),
and which channels they are in (users.conversations); both briefly cached.

The study core decides what an admin may do; here we only say who is one: a workspace
admin or owner. A group acts only for members of its channel: the Home tab lists the
groups of your channels, and buttons and forms check, so a private channel's group
stays private.
"""

from __future__ import annotations

import logging
import re
import time
from collections import OrderedDict
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.study import Actor

PLATFORM = "slack"
CHANNEL_TYPES = "public_channel,private_channel"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Person:
    name: str
    is_admin: bool


class Cache:
    """A small LRU whose entries expire."""

    def __init__(self, ttl: float, size: int = 5000):
        self.ttl, self.size = ttl, size
        self._entries: OrderedDict = OrderedDict()

    def get(self, key):
        entry = self._entries.get(key)
        return entry[1] if entry and entry[0] > time.monotonic() else None

    def put(self, key, value) -> None:
        self._entries[key] = (time.monotonic() + self.ttl, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def drop(self, key) -> None:
        self._entries.pop(key, None)


class People:
    """users.info and users.conversations with short caches: a lookup per member every
    few minutes (a minute for channels, so a member who leaves a channel loses its group soon)."""

    def __init__(self, ttl: float = 300.0, channels_ttl: float = 60.0):
        self._people = Cache(ttl)
        self._channels = Cache(channels_ttl)

    async def get(self, client: AsyncWebClient, team_id: str, user_id: str) -> Person:
        cached = self._people.get((team_id, user_id))
        if cached:
            return cached
        try:
            user = (await client.users_info(user=user_id))["user"]
        except SlackApiError as error:
            log.warning("users.info for %s failed: %s", user_id, error.response.get("error"))
            return Person(user_id, False)  # not an admin until Slack says so; not cached
        profile = user.get("profile") or {}
        name = profile.get("display_name") or user.get("real_name") or profile.get("real_name") or user.get("name") or user_id
        person = Person(name[:100], bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner")))
        self._people.put((team_id, user_id), person)
        return person

    async def actor(self, client: AsyncWebClient, team_id: str, channel_id: str, user_id: str) -> Actor:
        person = await self.get(client, team_id, user_id)
        return Actor(PLATFORM, channel_id, user_id, person.name, is_admin=person.is_admin, workspace_id=team_id or "")

    async def channels(self, client: AsyncWebClient, team_id: str, user_id: str) -> frozenset[str]:
        """The public and private channels the member is in (private ones only where the bot is too,
        which is where groups are). Raises SlackApiError when Slack will not say."""
        cached = self._channels.get((team_id, user_id))
        if cached is not None:
            return cached
        found: set[str] = set()
        cursor = None
        while True:
            page = await client.users_conversations(user=user_id, types=CHANNEL_TYPES, exclude_archived=True, limit=200, cursor=cursor)
            found |= {c["id"] for c in page.get("channels") or []}
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        channels = frozenset(found)
        self._channels.put((team_id, user_id), channels)
        return channels

    async def may_act(self, client: AsyncWebClient, team_id: str, channel_id: str, user_id: str) -> str | None:
        """None when the member is in the channel; else why they may not act in its group
        (never a private group's contents when Slack will not say)."""
        try:
            inside = channel_id in await self.channels(client, team_id, user_id)
        except SlackApiError as error:
            code = error.response.get("error")
            log.warning("users.conversations for %s failed: %s", user_id, code)
            if code == "missing_scope":
                return ("studybot cannot check who is in a channel yet (it needs channels:read and groups:read): "
                        "an admin reinstalls the app to grant them.")
            return f"Slack would not say whether you are in <#{channel_id}> ({code}); try again in a minute."
        return None if inside else not_a_member(channel_id)


def not_a_member(channel_id: str) -> str:
    return f"This study group belongs to <#{channel_id}>, and you are not in that channel. Join it to take part."


_LINK = re.compile(r"<([^<>|]+)\|([^<>]*)>|<([^<>]+)>")


def plain_text(slack_text: str) -> str:
    """A message or command as the member typed it: links unwrapped, &lt; &gt; &amp; undone."""

    def unwrap(match: re.Match) -> str:
        if match.group(1) is not None:
            return match.group(2) or match.group(1)
        return match.group(3)

    text = _LINK.sub(unwrap, slack_text or "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


class RecentIds:
    """Ids seen lately (Slack's event_id): a retried event is handled once per process."""

    def __init__(self, size: int = 2000):
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def seen(self, key: str | None) -> bool:
        """True when `key` was seen before; remembers it otherwise."""
        if not key:
            return False
        if key in self._ids:
            return True
        self._ids[key] = None
        while len(self._ids) > self.size:
            self._ids.popitem(last=False)
        return False
