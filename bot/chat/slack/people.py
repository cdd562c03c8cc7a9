"""Who is asking: a Slack user's name and whether they are a workspace admin (users.info, cached).

The study core decides what an admin may do; here we only say who is one: a workspace
admin or owner. A group's owners are the core's business.
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
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Person:
    name: str
    is_admin: bool


class People:
    """users.info with a short cache: one lookup per member every few minutes, not per message."""

    def __init__(self, client: AsyncWebClient, ttl: float = 300.0, size: int = 5000):
        self.client = client
        self.ttl = ttl
        self.size = size
        self._cache: OrderedDict[str, tuple[float, Person]] = OrderedDict()

    async def get(self, user_id: str) -> Person:
        cached = self._cache.get(user_id)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        try:
            user = (await self.client.users_info(user=user_id))["user"]
        except SlackApiError as error:
            log.warning("users.info for %s failed: %s", user_id, error.response.get("error"))
            return Person(user_id, False)  # not an admin until Slack says so; not cached
        profile = user.get("profile") or {}
        name = profile.get("display_name") or user.get("real_name") or profile.get("real_name") or user.get("name") or user_id
        person = Person(name[:100], bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner")))
        self._cache[user_id] = (time.monotonic() + self.ttl, person)
        self._cache.move_to_end(user_id)
        while len(self._cache) > self.size:
            self._cache.popitem(last=False)
        return person

    async def actor(self, team_id: str, channel_id: str, user_id: str) -> Actor:
        person = await self.get(user_id)
        return Actor(PLATFORM, channel_id, user_id, person.name, is_admin=person.is_admin, workspace_id=team_id or "")


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
