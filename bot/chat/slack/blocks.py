"""Replies as Block Kit, within Slack's limits.

A message holds at most 50 blocks and 40,000 characters, a section 3,000, a header
150; a modal or the Home tab at most 100 blocks. Text is Markdown converted to
mrkdwn (`mrkdwn.py`); longer text is split over sections at line ends (a code block
closed and reopened at the cut), and what still does not fit is cut with a note,
keeping the buttons.
"""

from __future__ import annotations

import json

from bot.bank.present import cell, format_table
from bot.chat.text import split_text
from bot.study import Button, Code, Reply, TableBlock, ThreadLink

from .mrkdwn import code_block, escape, mrkdwn

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
MESSAGE_CHARS = 40_000
SECTION_CHARS = 3_000
HEADER_CHARS = 150
BUTTON_CHARS = 75
FALLBACK_CHARS = 3_000  # the notification text beside the blocks
ACTION_PREFIX = "study_"
STYLE = {"answer": "primary"}


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_CHARS)}}


def context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, SECTION_CHARS)}]}


def header(text: str) -> dict:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, HEADER_CHARS), "emoji": True}}


def sections(text: str) -> list[dict]:
    """mrkdwn over as many sections as it needs (none for blank text: Slack refuses empty ones)."""
    return [section(part) for part in split_text(text, SECTION_CHARS) if part.strip()]


def text_sections(markdown: str) -> list[dict]:
    return sections(mrkdwn(markdown))


def code_sections(body: str, caption: str = "") -> list[dict]:
    """A code block (split over sections when long); an optional caption before it."""
    lead = f"{mrkdwn(caption)}\n" if caption else ""
    return sections(lead + code_block(body))


def table_sections(table: TableBlock, max_rows: int = 40) -> list[dict]:
    rows = table.rows[:max_rows]
    caption = table.caption
    if len(table.rows) > max_rows:
        caption = f"{caption} (first {max_rows} of {len(table.rows)} rows)".strip()
    if any(isinstance(value, ThreadLink) for row in rows for value in row):
        return link_lines(table.columns, rows, caption)
    return code_sections(format_table(table.columns, rows), caption)


def link_lines(columns: tuple[str, ...], rows, caption: str = "") -> list[dict]:
    """A table whose cells link somewhere (past rounds' threads) as lines: links do not work in code."""

    def show(value) -> str:
        if isinstance(value, ThreadLink):
            return f"<{value.url}|thread>" if value.url else escape(value.ref)
        return escape(cell(value))

    lines = [mrkdwn(caption)] if caption else []
    lines.append(escape(" · ".join(columns)))
    lines += [" · ".join(show(value) for value in row) for row in rows]
    return sections("\n".join(lines))


def part_blocks(part) -> list[dict]:
    """One section of a reply: code, a table, or Markdown text."""
    if isinstance(part, Code):
        return code_sections(part.body)
    if isinstance(part, TableBlock):
        return table_sections(part)
    return text_sections(str(part))


def button_value(button: Button, channel: str) -> str:
    """What a button carries back: its round, the group's channel (Home tab buttons have
    no channel), and for a Hint button the hint it asks for."""
    value = {"round": button.round_id, "channel": channel}
    if button.number is not None:
        value["number"] = button.number
    return json.dumps(value)


def actions(buttons: tuple[Button, ...], channel: str) -> dict:
    elements = []
    for button in buttons[:25]:
        element = {
            "type": "button",
            "action_id": f"{ACTION_PREFIX}{button.action}",
            "text": {"type": "plain_text", "text": clip(button.label, BUTTON_CHARS)},
            "value": button_value(button, channel),
        }
        if button.action in STYLE and not button.disabled:  # Slack has no disabled button: a closed one shows plain
            element["style"] = STYLE[button.action]
        elements.append(element)
    return {"type": "actions", "elements": elements}


def size(block: dict) -> int:
    """The characters a block shows (what the message limit counts, near enough)."""
    return len(json.dumps(block, ensure_ascii=False))


def render(
    reply: Reply,
    channel: str = "",
    *,
    context_tail: bool = False,
    buttons: bool = True,
    max_blocks: int = MESSAGE_BLOCKS,
    max_chars: int = MESSAGE_CHARS,
) -> list[dict]:
    """A reply as blocks: header, text, code and tables, context, buttons; cut to fit."""
    body: list[dict] = []
    if reply.title:
        body.append(header(reply.title))
    if reply.text:
        body += text_sections(reply.text)
    for i, part in enumerate(reply.sections):
        if context_tail and isinstance(part, str) and i == len(reply.sections) - 1:
            body.append(context(mrkdwn(part)))
        else:
            body += part_blocks(part)
    tail = [actions(reply.buttons, channel)] if buttons and reply.buttons else []
    return fit(body, tail, max_blocks, max_chars)


def fit(body: list[dict], tail: list[dict], max_blocks: int, max_chars: int) -> list[dict]:
    """Keep as much of the body as fits beside the tail, and say when some was cut."""
    note = context("_Shortened to fit Slack; `/study today` shows the question again._")
    budget_blocks = max_blocks - len(tail)
    budget_chars = max_chars - sum(map(size, tail))
    if len(body) <= budget_blocks and sum(map(size, body)) <= budget_chars:
        return body + tail
    kept, used = [], size(note)
    for block in body:
        if len(kept) + 1 >= budget_blocks or used + size(block) > budget_chars:
            break
        kept.append(block)
        used += size(block)
    return kept + [note] + tail


def fallback(reply: Reply) -> str:
    """The plain notification text that goes with the blocks."""
    parts = [f"*{escape(reply.title)}*" if reply.title else "", mrkdwn(reply.text)]
    return clip("\n".join(p for p in parts if p) or "studybot", FALLBACK_CHARS)


def message(reply: Reply, channel: str = "", *, context_tail: bool = False) -> dict:
    """Keyword arguments for chat.postMessage / chat.postEphemeral / respond."""
    blocks = render(reply, channel, context_tail=context_tail)
    return {"text": fallback(reply), "blocks": blocks} if blocks else {"text": fallback(reply)}


def plain_message(reply: Reply) -> dict:
    """The whole reply as one mrkdwn text, without blocks (for when Slack refuses the blocks)."""
    parts = [f"*{escape(reply.title)}*" if reply.title else "", mrkdwn(reply.text)]
    for part in reply.sections:
        parts += [block["text"]["text"] for block in part_blocks(part)]
    return {"text": clip("\n".join(p for p in parts if p) or "studybot", MESSAGE_CHARS)}
