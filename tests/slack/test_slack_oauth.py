"""Many workspaces on one database: installed through the OAuth callback, each served and
posted to with its own token, its token rotated before it expires, one uninstalled
without touching the others."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from urllib.parse import parse_qs, urlparse

import aiohttp
from slack_standin import SlackStandIn
from slack_steps import MONDAY_POST, SECRET, SETUP, start_worker
from slack_workspace import World
from sqlalchemy import select, text
from support import fixture_bank

from bot.settings import Settings
from bot.store import Database, DatabaseUnavailable, Group
from bot.study import Study
from bot.study.core import UNAVAILABLE

USERS = {
    "UOLGA": {"name": "Olga", "is_admin": True, "team": "T1"},
    "UADA": {"name": "Ada", "team": "T1"},
    "UTARA": {"name": "Tara", "is_admin": True, "team": "T2"},
    "UBO": {"name": "Bo", "team": "T2"},
}


def two_workspaces() -> World:
    world = World(users=dict(USERS))
    world.add_channel("CONE", "T1", members={"UOLGA", "UADA"})
    world.add_channel("CTWO", "T2", members={"UTARA", "UBO"})
    shared = world.add_channel("CSHARED", "T1", members=set(USERS))  # Slack Connect: one id in both
    world.share(shared, "T2")
    return world


def oauth_settings(standin: SlackStandIn) -> Settings:
    return Settings(slack_client_id="1111.2222", slack_client_secret="client-secret", slack_signing_secret=SECRET, slack_api_url=standin.api_url)


async def install(standin: SlackStandIn, start, finish, team: str, **approval) -> str:
    """A browser installs the app: /slack/install on one worker, Slack's page, the redirect to another."""
    async with aiohttp.ClientSession() as browser:
        async with browser.get(start.server.make_url("/slack/install")) as page:
            assert page.status == 200
            authorize = unescape(re.search(r'href="(https://slack.com/oauth/v2/authorize[^"]+)"', await page.text()).group(1))
            cookie = page.cookies["slack-app-oauth-state"]  # Secure: a browser sends it back over https
        query = parse_qs(urlparse(authorize).query)
        code = standin.world.approve(team, query["scope"][0].split(","), **approval)
        callback = finish.server.make_url("/slack/oauth_redirect").with_query(code=code, state=query["state"][0])
        async with browser.get(callback, headers={"Cookie": f"{cookie.key}={cookie.value}"}) as done:
            return f"{done.status} {await done.text()}"


async def groups(study: Study) -> dict[tuple[str, str], Group]:
    rows = await study.db.run(lambda s: s.scalars(select(Group)).all())
    return {(g.workspace_id, g.channel_id): g for g in rows}


async def bots_of(db: Database) -> dict[str, list[str]]:
    rows = await db.run(lambda s: s.execute(text("SELECT team_id, bot_token FROM slack_bots")).all())
    found: dict[str, list[str]] = {}
    for team, token in rows:
        found.setdefault(team, []).append(token)
    return found


async def test_two_workspaces_installed_through_oauth_each_posted_with_its_own_token_and_one_uninstalled(database, checker, clock):
    async with SlackStandIn(world=two_workspaces()) as standin:
        study = Study(database, fixture_bank, checker, clock, platforms={"slack"})
        first = await start_worker(study, standin, oauth_settings(standin))
        other_db = Database(database.url)  # a second HTTP worker: its own engine, the same database
        second = await start_worker(Study(other_db, fixture_bank, checker, clock, platforms={"slack"}), standin, oauth_settings(standin))
        try:
            for team, (start, finish) in (("T1", (first, second)), ("T2", (second, first))):
                page = await install(standin, start, finish, team)
                assert page.startswith("200") and "slack://app" in page, page
            assert sorted(await bots_of(database)) == ["T1", "T2"]

            # Each workspace sets up its groups; the shared channel gets one group per workspace.
            one, two = first.slack, second.slack.to_team("T2")
            for sender, user, channel in ((one, "UOLGA", "CONE"), (two, "UTARA", "CTWO"), (one, "UOLGA", "CSHARED"), (two, "UTARA", "CSHARED")):
                status, _ = await sender.command(user, SETUP, channel=channel, name=f"setup-{channel}-{user}")
                assert status == 200
            await first.settle()
            await second.settle()
            for channel, user in (("CONE", "UOLGA"), ("CTWO", "UTARA"), ("CSHARED", "UOLGA"), ("CSHARED", "UTARA")):
                [reply] = standin.responses(f"setup-{channel}-{user}")
                assert "Study group created" in reply.params["text"], reply.params["text"]
            assert sorted(await groups(study)) == [("T1", "CONE"), ("T1", "CSHARED"), ("T2", "CSHARED"), ("T2", "CTWO")]
            # Each request was answered with its own workspace's token.
            checks = {(c.params["channel"], c.team) for c in standin.to("conversations.info")}
            assert checks == {("CONE", "T1"), ("CTWO", "T2"), ("CSHARED", "T1"), ("CSHARED", "T2")}

            # 09:00: one leader posts every group, each with its workspace's token.
            clock.set(MONDAY_POST)
            await second.bot.deliver(await second.study.run_due())
            posts = standin.to("chat.postMessage")
            assert sorted((c.team, c.params["channel"]) for c in posts) == sorted(await groups(study))
            assert all(c.token in standin.world.tokens_of(c.team) for c in posts)

            # T2 uninstalls: Slack revokes its tokens and tells the app.
            standin.world.revoke("T2")
            assert await two.event({"type": "app_uninstalled"}) == 200
            await second.settle()
            after = await groups(study)
            assert all(g.lost_at is not None and g.paused_until.year == 9999 for (team, _), g in after.items() if team == "T2")
            assert all(g.lost_at is None and g.paused_until is None for (team, _), g in after.items() if team == "T1")
            assert sorted(await bots_of(database)) == ["T1"]
            installs = await database.run(lambda s: s.execute(text("SELECT DISTINCT team_id FROM slack_installations")).scalars().all())
            assert installs == ["T1"]

            # The next day only T1's groups get a question, with T1's token; nothing tries T2.
            sent = len(standin.calls)
            clock.set(MONDAY_POST + dt.timedelta(days=1))
            await first.bot.deliver(await first.study.run_due() + await first.study.undelivered())
            tuesday = [c for c in standin.calls[sent:] if c.method == "chat.postMessage"]
            questions = [c.params["channel"] for c in tuesday if c.answer.get("ts") and not c.params.get("thread_ts")]
            assert sorted(questions) == ["CONE", "CSHARED"]  # (and Monday's reveals, in their threads)
            assert {c.team for c in standin.calls[sent:]} == {"T1"}

            # T1 still works: a member's command there is answered.
            await one.command("UADA", "leaderboard", channel="CONE", name="board")
            await first.settle()
            assert standin.responses("board")[0].params["response_type"] == "in_channel"
        finally:
            await first.stop()
            await second.stop()
            other_db.dispose()
        assert standin.refused == []


async def test_a_token_about_to_expire_is_rotated_and_the_new_one_is_used(database, checker, clock):
    async with SlackStandIn(world=two_workspaces()) as standin:
        study = Study(database, fixture_bank, checker, clock, platforms={"slack"})
        worker = await start_worker(study, standin, oauth_settings(standin))
        try:
            assert (await install(standin, worker, worker, "T1", expires_in=600)).startswith("200")  # inside the 2-hour window
            [old] = (await bots_of(database))["T1"]
            await worker.slack.command("UOLGA", SETUP, channel="CONE", name="setup")
            await worker.settle()
            assert "Study group created" in standin.responses("setup")[0].params["text"]
            [refresh] = [c for c in standin.to("oauth.v2.access") if c.params.get("grant_type") == "refresh_token"]
            [new] = (await bots_of(database))["T1"]
            assert new != old and new == refresh.answer["access_token"]
            setup_calls = [c for c in standin.calls if c.method == "conversations.info"]
            assert [c.token for c in setup_calls] == [new]

            clock.set(MONDAY_POST)
            await worker.bot.deliver(await study.run_due())
            [post] = standin.to("chat.postMessage")
            assert post.token == new and post.params["channel"] == "CONE"
        finally:
            await worker.stop()
        assert standin.refused == []


async def test_while_the_database_is_away_an_installed_workspace_is_still_answered_plainly(database, checker, clock, monkeypatch):
    async with SlackStandIn(world=two_workspaces()) as standin:
        study = Study(database, fixture_bank, checker, clock, platforms={"slack"})
        worker = await start_worker(study, standin, oauth_settings(standin))
        try:
            assert (await install(standin, worker, worker, "T1")).startswith("200")
            await worker.slack.command("UOLGA", SETUP, channel="CONE", name="setup")
            await worker.settle()

            def down(_work):
                raise DatabaseUnavailable("connection refused")

            monkeypatch.setattr(database, "call", down)  # the installation store's too: it is the same database
            await worker.slack.command("UADA", "today", channel="CONE", name="today")
            await worker.settle()
            [today] = standin.responses("today")
            assert UNAVAILABLE in today.params["text"]  # the token was known: the member hears the real reason
        finally:
            monkeypatch.undo()
            await worker.stop()
        assert standin.refused == []
