"""The App Home tab: for each of the member's groups, their streak and points, the
week's and month's leaderboards, and the current round with its buttons."""

from __future__ import annotations

from bot.study import Actor, Reply, Study

from .blocks import VIEW_BLOCKS, actions, clip, context, fit, header, mrkdwn, part_blocks, section, text_sections
from .people import PLATFORM, People

MAX_GROUPS = 5
PROMPT_CHARS = 1200


def _board(reply: Reply, label: str) -> list[dict]:
    if not reply.ok or not reply.sections:
        return [section(f"*{label}*: {mrkdwn(reply.text) or 'no points yet'}")]
    return [section(f"*{label}*"), *part_blocks(reply.sections[0])]


def _round(reply: Reply, channel: str) -> list[dict]:
    if not reply.ok:
        return [context(mrkdwn(reply.text))]
    blocks = [section(f"*Current round: {mrkdwn(reply.title or '')}*"), section(clip(mrkdwn(reply.text), PROMPT_CHARS))]
    state = reply.sections[-1] if reply.sections and isinstance(reply.sections[-1], str) else ""
    if state:
        blocks.append(context(mrkdwn(state)))
    if reply.buttons:
        blocks.append(actions(reply.buttons, channel))
    return blocks


async def group_blocks(study: Study, actor: Actor) -> list[dict]:
    stats = (await study.stats(actor)).reply
    week = (await study.leaderboard(actor, "week")).reply
    month = (await study.leaderboard(actor, "month")).reply
    today = (await study.today(actor)).reply
    blocks = [{"type": "divider"}, section(f"*Study group in <#{actor.channel_id}>*")]
    blocks += text_sections(stats.text) if stats.ok else [context(mrkdwn(stats.text))]
    blocks += _board(week, "This week") + _board(month, "This month")
    return blocks + _round(today, actor.channel_id)


async def view(study: Study, people: People, team_id: str, user_id: str) -> dict:
    person = await people.get(user_id)
    channels = await study.groups_of(PLATFORM, user_id, team_id)
    blocks = [header(f"studybot · {person.name}")]
    if not channels:
        blocks.append(section("There is no study group in this workspace yet. An admin starts one in a channel with `/study setup`."))
    for channel in channels[:MAX_GROUPS]:
        actor = Actor(PLATFORM, channel, user_id, person.name, workspace_id=team_id)
        blocks += await group_blocks(study, actor)
    blocks.append(context("`/study help` lists every command; answer in a question's thread or with the Answer button."))
    return {"type": "home", "blocks": fit(blocks, [], VIEW_BLOCKS, 100_000)}
