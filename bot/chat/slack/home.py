"""The App Home tab: for each study group in the member's channels, their streak and
points, the week's and month's leaderboards, and the current round with its buttons.

Only groups of channels the member is in are shown (Slack says which: users.conversations),
so a private channel's group stays inside it. The first few get their full card; the
rest are named, never dropped silently.
"""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from bot.chat.text import split_text
from bot.study import Actor, Reply

from .blocks import VIEW_BLOCKS, actions, context, fit, header, part_blocks, section, sections, text_sections
from .mrkdwn import mrkdwn
from .people import PLATFORM

MAX_GROUPS = 5
PROMPT_CHARS = 1200


def _board(reply: Reply, label: str) -> list[dict]:
    if not reply.ok or not reply.sections:
        return [section(f"*{label}*: {mrkdwn(reply.text) or 'no points yet'}")]
    return [section(f"*{label}*"), *part_blocks(reply.sections[0])]


def _round(reply: Reply, channel: str) -> list[dict]:
    if not reply.ok:
        return [context(mrkdwn(reply.text))]
    prompt = split_text(mrkdwn(reply.text), PROMPT_CHARS)
    more = "\n_…the rest with `/study today` in the channel._" if len(prompt) > 1 else ""
    blocks = [section(f"*Current round: {mrkdwn(reply.title or '')}*"), section(prompt[0] + more)]
    state = reply.sections[-1] if reply.sections and isinstance(reply.sections[-1], str) else ""
    if state:
        blocks.append(context(mrkdwn(state)))
    if reply.buttons:
        blocks.append(actions(reply.buttons, channel))
    return blocks


async def group_blocks(study, actor: Actor) -> list[dict]:
    stats = (await study.stats(actor)).reply
    week = (await study.leaderboard(actor, "week")).reply
    month = (await study.leaderboard(actor, "month")).reply
    today = (await study.today(actor)).reply
    blocks = [{"type": "divider"}, section(f"*Study group in <#{actor.channel_id}>*")]
    blocks += text_sections(stats.text) if stats.ok else [context(mrkdwn(stats.text))]
    blocks += _board(week, "This week") + _board(month, "This month")
    return blocks + _round(today, actor.channel_id)


async def view(bot, client, team_id: str, user_id: str) -> dict:
    person = await bot.people.get(client, team_id, user_id)
    blocks = [header(f"studybot · {person.name}")]
    try:
        channels = await bot.people.channels(client, team_id, user_id)
    except SlackApiError as error:
        channels = frozenset()
        blocks.append(context(f"Slack would not say which channels you are in ({error.response.get('error')}), so no group is shown."))
    groups = await bot.study.groups_of(PLATFORM, team_id, user_id, channels)
    if not groups:
        blocks.append(section("None of your channels has a study group yet. An admin starts one in a channel with `/study setup`."))
    for channel in groups[:MAX_GROUPS]:
        actor = Actor(PLATFORM, channel, user_id, person.name, workspace_id=team_id)
        blocks += await group_blocks(bot.study, actor)
    if len(groups) > MAX_GROUPS:
        others = ", ".join(f"<#{c}>" for c in groups[MAX_GROUPS:])
        blocks += [{"type": "divider"}, *sections(f"Your other study groups: {others}. `/study today` in one shows its round.")]
    blocks.append(context("`/study help` lists every command; answer in a question's thread or with the Answer button."))
    return {"type": "home", "blocks": fit(blocks, [], VIEW_BLOCKS, 100_000)}
