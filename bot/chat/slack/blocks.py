"""Replies as Block Kit, within Slack's limits.

A message holds at most 50 blocks and 40,000 characters, a section 3,000, a header
150; a modal or the Home tab at most 100 blocks. Longer text is split at line ends,
long code and tables over several blocks, and what still does not fit is cut with a
note, keeping the buttons.
"""

from __future__ import annotations

import json
import re

from bot.bank.present import format_table
from bot.study import Button, Code, Reply, TableBlock

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
MESSAGE_CHARS = 40_000
SECTION_CHARS = 3_000
HEADER_CHARS = 150
FALLBACK_CHARS = 3_000  # the notification text beside the blocks
ACTION_PREFIX = "study_"
STYLE = {"answer": "primary"}


def escape(text: str) -> str:
    """Slack's three control characters, as its mrkdwn wants them."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")


def mrkdwn(markdown: str) -> str:
    """The core's Markdown (**bold**, [label](url), `code`, ``` fences) as Slack mrkdwn."""
    text = escape(markdown)
    text = _BOLD.sub(r"*\1*", text)
    return _LINK.sub(lambda m: f"<{m.group(2)}|{m.group(1)}>", text)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def chunks(text: str, limit: int) -> list[str]:
    """Text in pieces of at most `limit` characters, split at line ends where possible."""
    pieces, current = [], ""
    for line in text.split("\n"):
        while len(line) > limit:  # one line longer than a piece
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_CHARS)}}


def context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, SECTION_CHARS)}]}


def header(text: str) -> dict:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, HEADER_CHARS), "emoji": True}}


def text_sections(markdown: str) -> list[dict]:
    return [section(piece) for piece in chunks(mrkdwn(markdown), SECTION_CHARS)]


def code_sections(body: str, caption: str = "") -> list[dict]:
    """A code block (split over sections when long); an optional caption in the first."""
    lead = f"{mrkdwn(caption)}\n" if caption else ""
    room = SECTION_CHARS - len("```\n\n```") - len(lead)
    pieces = chunks(escape(body), room) or [""]
    return [section(f"{lead if i == 0 else ''}```\n{piece}\n```") for i, piece in enumerate(pieces)]


def table_sections(table: TableBlock, max_rows: int = 40) -> list[dict]:
    rows = table.rows[:max_rows]
    caption = table.caption
    if len(table.rows) > max_rows:
        caption = f"{caption} (first {max_rows} of {len(table.rows)} rows)".strip()
    return code_sections(format_table(table.columns, rows), caption)


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
            "text": {"type": "plain_text", "text": clip(button.label, 75)},
            "value": button_value(button, channel),
        }
        if button.action in STYLE:
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
    return {"text": fallback(reply), "blocks": render(reply, channel, context_tail=context_tail)}
