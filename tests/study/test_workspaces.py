"""A channel is named within its workspace: two workspaces may share a channel id (Slack
Connect), a bot serving one workspace does only its due work, and losing a workspace
pauses its groups alone."""

import dataclasses

from sqlalchemy import select
from steps import berlin_morning
from support import fixture_bank

from bot.schedule.leader import LOCK_KEY, lock_key
from bot.store import Group, Member
from bot.study import Actor, Study

SETTINGS = {"time": "09:00", "tz": "Europe/Berlin", "days": "mon-fri", "categories": "sql"}


def person(name: str, workspace: str, channel: str = "CSHARED", admin: bool = False) -> Actor:
    return Actor("slack", channel, f"U{name.upper()}", name, is_admin=admin, workspace_id=workspace)


async def groups(study: Study) -> dict[tuple[str, str], Group]:
    rows = await study.db.run(lambda s: s.scalars(select(Group)).all())
    return {(g.workspace_id, g.channel_id): g for g in rows}


async def test_one_channel_id_in_two_workspaces_is_two_groups(study, clock):
    for workspace, admin in (("T1", "Olga"), ("T2", "Tara")):
        response = await study.setup(person(admin, workspace, admin=True), SETTINGS)
        assert response.reply.ok and "Study group created" in response.reply.text
    found = await groups(study)
    assert sorted(found) == [("T1", "CSHARED"), ("T2", "CSHARED")]
    # A member of T2 answers in T2's group only; T1's admin settings stay T1's.
    assert (await study.setup(person("Olga", "T1", admin=True), {"time": "07:30"})).reply.ok
    found = await groups(study)
    assert (found[("T1", "CSHARED")].post_time, found[("T2", "CSHARED")].post_time) == ("07:30", "09:00")
    assert (await study.pause(person("Bo", "T2"))).reply.ok is False  # not an admin of T2's group
    clock.set(berlin_morning(2))
    assert {p.workspace_id for p in await study.run_due()} == {"T1", "T2"}
    assert (await study.answer(person("Bo", "T2"), "SELECT 1")).reply.ok
    members = await study.db.run(lambda s: s.execute(select(Member.user_id, Group.workspace_id).join(Group)).all())
    assert members == [("UBO", "T2")]


async def test_a_bot_serving_one_workspace_does_only_its_due_work(study, database, checker, clock):
    for workspace in ("T1", "T2"):
        assert (await study.setup(person("Olga", workspace, channel=f"C{workspace}", admin=True), SETTINGS)).reply.ok
    clock.set(berlin_morning(2))
    only_t1 = Study(database, fixture_bank, checker, clock, platforms={"slack"}, workspaces={"T1"})
    posts = await only_t1.run_due()
    assert [(p.workspace_id, p.channel_id, p.kind) for p in posts] == [("T1", "CT1", "question")]
    everyone = Study(database, fixture_bank, checker, clock, platforms={"slack"})
    assert [(p.workspace_id, p.channel_id) for p in await everyone.run_due()] == [("T2", "CT2")]


async def test_losing_a_workspace_pauses_its_groups_alone(study):
    for workspace, channel in (("T1", "CA"), ("T1", "CB"), ("T2", "CA")):
        assert (await study.setup(person("Olga", workspace, channel=channel, admin=True), SETTINGS)).reply.ok
    assert await study.workspace_lost("slack", "T1") == 2
    assert await study.workspace_lost("slack", "T1") == 0  # once
    found = await groups(study)
    assert {key for key, g in found.items() if g.lost_at is not None} == {("T1", "CA"), ("T1", "CB")}
    assert found[("T2", "CA")].paused_until is None


async def test_the_member_sees_the_groups_of_their_channels_theirs_first(study, clock):
    for channel in ("CA", "CB", "CC"):
        assert (await study.setup(person("Olga", "T1", channel=channel, admin=True), SETTINGS)).reply.ok
    clock.set(berlin_morning(2))
    await study.run_due()
    assert (await study.answer(person("Ada", "T1", channel="CC"), "SELECT 1")).reply.ok  # Ada takes part in CC's group
    assert await study.groups_of("slack", "T1", "UADA", {"CA", "CC", "CX"}) == ["CC", "CA"]
    assert await study.groups_of("slack", "T2", "UADA", {"CA", "CC"}) == []
    assert await study.groups_of("slack", "T1", "UADA", set()) == []


def test_scheduler_locks_per_workspace_leave_the_platform_locks_as_they_were():
    assert (lock_key("discord"), lock_key("slack")) == (114977739833345, 237629120905217)  # the keys before workspaces
    keys = {lock_key("slack", f"T{i}") for i in range(1000)}
    assert len(keys) == 1000 and all(-(2**63) <= k < 2**63 for k in keys)
    assert lock_key("slack") not in keys and LOCK_KEY not in keys


def test_an_outbound_names_its_workspace():
    from bot.study.core import outbound
    from bot.study.replies import Reply

    group = Group(id=3, platform="slack", workspace_id="T9", channel_id="C1")
    post = outbound(group, "dm", Reply(text="hi"), user_id="U1")
    assert dataclasses.astuple(post)[:4] == (3, "slack", "C1", "dm") and post.workspace_id == "T9"
