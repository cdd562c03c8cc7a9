"""The stand-in's picture of Slack: workspaces, their channels and members, and tokens.

A token belongs to one workspace and carries the scopes its install granted; it can
expire (token rotation) or be revoked. A channel belongs to a workspace (a shared one
appears in each under one id), is public or private, and has members, the bot among
them or not. From these the stand-in answers as Slack does: `missing_scope`,
`not_in_channel` (a public channel without the bot), `channel_not_found` (a private
one), `token_revoked`, `token_expired`.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

MANIFEST = Path(__file__).parents[2] / "slack-manifest.yml"
BOT_USER = "UBOT"


def manifest_scopes() -> set[str]:
    """What installing the app (as slack-manifest.yml describes it) grants."""
    return set(yaml.safe_load(MANIFEST.read_text())["oauth_config"]["scopes"]["bot"])


@dataclass
class Channel:
    id: str
    teams: set[str]
    members: set[str]
    private: bool = False
    bot: bool = True  # the bot is a member
    archived: bool = False
    name: str = "study"

    @property
    def kind(self) -> str:
        return "private" if self.private else "public"


@dataclass
class Grant:
    """A token Slack issued: whose, what it may do, until when."""

    team: str
    scopes: set[str]
    refresh: str | None = None
    expires_at: float | None = None
    revoked: bool = False


@dataclass
class Install:
    """A pending OAuth approval: the code Slack redirects with, and what it grants."""

    team: str
    team_name: str
    scopes: set[str]
    installer: str
    rotating: bool
    expires_in: int


@dataclass
class World:
    users: dict[str, dict] = field(default_factory=dict)  # user id -> {"name", "is_admin", "team"}
    channels: dict[str, dict[str, Channel]] = field(default_factory=dict)  # team -> id -> channel
    grants: dict[str, Grant] = field(default_factory=dict)  # token -> grant
    pending: dict[str, Install] = field(default_factory=dict)  # code -> install
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    # ---- what tests set up -----------------------------------------------------------

    def add_channel(self, channel_id: str, team: str = "T1", members=(), **options) -> Channel:
        """A channel (the same object in every team it is shared with)."""
        channel = Channel(channel_id, {team}, set(members), **options)
        self.channels.setdefault(team, {})[channel_id] = channel
        return channel

    def share(self, channel: Channel, team: str) -> None:
        """Slack Connect: the channel, under its id, in another workspace too."""
        channel.teams.add(team)
        self.channels.setdefault(team, {})[channel.id] = channel

    def grant(self, token: str, team: str, scopes: set[str] | None = None) -> None:
        self.grants[token] = Grant(team, manifest_scopes() if scopes is None else set(scopes))

    def approve(self, team: str, scopes, *, installer: str = "UOLGA", team_name: str = "", rotating: bool = True, expires_in: int = 43_200) -> str:
        """The user clicks Allow on Slack's install page: the code the redirect carries."""
        code = f"code-{team}-{next(self._ids)}"
        self.pending[code] = Install(team, team_name or f"Team {team}", set(scopes), installer, rotating, expires_in)
        return code

    def revoke(self, team: str) -> None:
        for grant in self.grants.values():
            if grant.team == team:
                grant.revoked = True

    def tokens_of(self, team: str) -> list[str]:
        return [token for token, grant in self.grants.items() if grant.team == team and not grant.revoked]

    # ---- what the stand-in asks ------------------------------------------------------

    def channel(self, team: str, channel_id: str) -> Channel | None:
        return self.channels.get(team, {}).get(channel_id)

    def visible(self, team: str, channel_id: str) -> Channel | None:
        """A channel the bot can see: any public one of the team, a private one only from inside."""
        channel = self.channel(team, channel_id)
        return channel if channel and (channel.bot or not channel.private) else None

    def exchange(self, code: str) -> dict | None:
        """oauth.v2.access with a code: the new tokens, as Slack answers."""
        install = self.pending.pop(code, None)
        if install is None:
            return None
        n = next(self._ids)
        token = f"xoxb-{install.team}-{n}"
        grant = Grant(install.team, install.scopes)
        answer = {
            "ok": True, "app_id": "A1", "access_token": token, "token_type": "bot", "scope": ",".join(sorted(install.scopes)),
            "bot_user_id": BOT_USER, "team": {"id": install.team, "name": install.team_name}, "enterprise": None,
            "is_enterprise_install": False, "authed_user": {"id": install.installer},
        }
        if install.rotating:
            grant.refresh, grant.expires_at = f"xoxe-1-{install.team}-{n}", time.time() + install.expires_in
            answer |= {"refresh_token": grant.refresh, "expires_in": install.expires_in}
        self.grants[token] = grant
        return answer

    def refresh(self, refresh_token: str, expires_in: int = 43_200) -> dict | None:
        """oauth.v2.access with grant_type=refresh_token: a new token for an old one."""
        old = next((g for g in self.grants.values() if g.refresh == refresh_token and not g.revoked), None)
        if old is None:
            return None
        n = next(self._ids)
        token = f"xoxb-{old.team}-{n}"
        self.grants[token] = Grant(old.team, old.scopes, f"xoxe-1-{old.team}-{n}", time.time() + expires_in)
        return {
            "ok": True, "app_id": "A1", "access_token": token, "token_type": "bot", "scope": ",".join(sorted(old.scopes)),
            "bot_user_id": BOT_USER, "team": {"id": old.team, "name": f"Team {old.team}"}, "enterprise": None,
            "refresh_token": self.grants[token].refresh, "expires_in": expires_in,
        }
