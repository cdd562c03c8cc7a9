"""What Slack accepts: messages and views checked with slack_sdk's Block Kit models and the
limits Slack documents (the models miss some: empty texts, counts, ids).

`message_problems(payload)` and `view_problems(view)` list what Slack would refuse
(`invalid_blocks` for a message, `invalid_arguments` for a view); the stand-in refuses
those calls, and the tests assert that nothing the app sends is refused.
"""

from __future__ import annotations

import json

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
MESSAGE_TEXT = 40_000
TEXT_LIMITS = {"section": 3000, "header": 150, "context": 3000}  # a text object's characters, by block
ELEMENT_LIMITS = {  # (key, characters) Slack documents for elements and their parts
    "button": {"text": 75, "value": 2000, "action_id": 255, "url": 3000},
    "checkboxes": {"action_id": 255},
    "plain_text_input": {"action_id": 255, "placeholder": 150},
}
OPTION_LIMITS = {"text": 75, "value": 150, "description": 75}
COUNTS = {("actions", "elements"): 25, ("context", "elements"): 10, ("checkboxes", "options"): 10, ("section", "fields"): 10}


def _text(obj) -> str:
    return obj.get("text", "") if isinstance(obj, dict) else str(obj or "")


def _parsed(blocks: list) -> list[str]:
    problems = []
    for i, block in enumerate(blocks):
        parsed = Block.parse(block)
        if parsed is None:
            problems.append(f"block {i}: unknown type {block.get('type')!r}")
            continue
        try:
            parsed.to_dict()  # validates the block and everything in it
        except SlackObjectFormationError as error:
            problems.append(f"block {i} ({block.get('type')}): {error}")
    return problems


def _documented(blocks: list) -> list[str]:
    problems, ids = [], set()
    for i, block in enumerate(blocks):
        kind = block.get("type")
        where = f"block {i} ({kind})"
        block_id = block.get("block_id")
        if block_id is not None:
            if block_id in ids or len(block_id) > 255:
                problems.append(f"{where}: block_id {block_id!r} repeated or too long")
            ids.add(block_id)
        texts = [block["text"]] if "text" in block else []
        texts += [e for e in block.get("elements", []) if kind == "context"]
        for text in texts:
            if not _text(text).strip():
                problems.append(f"{where}: empty text")
            elif len(_text(text)) > TEXT_LIMITS.get(kind, 3000):
                problems.append(f"{where}: {len(_text(text))} characters of text, over {TEXT_LIMITS.get(kind, 3000)}")
        for (owner, key), most in COUNTS.items():
            if kind == owner and len(block.get(key, [])) > most:
                problems.append(f"{where}: {len(block[key])} {key}, over {most}")
        elements = block.get("elements", []) if kind == "actions" else [block["element"]] if "element" in block else []
        if "accessory" in block:
            elements.append(block["accessory"])
        for element in elements:
            problems += _element(element, where)
        if kind == "input" and len(_text(block.get("label"))) > 2000:
            problems.append(f"{where}: label over 2000")
    return problems


def _element(element: dict, where: str) -> list[str]:
    problems = []
    kind = element.get("type")
    for key, most in ELEMENT_LIMITS.get(kind, {}).items():
        value = _text(element.get(key)) if key in element else ""
        if len(value) > most:
            problems.append(f"{where}: {kind} {key} of {len(value)} characters, over {most}")
    options = element.get("options", [])
    if kind == "checkboxes" and not 1 <= len(options) <= 10:
        problems.append(f"{where}: {len(options)} checkbox options (1 to 10)")
    for option in options:
        for key, most in OPTION_LIMITS.items():
            value = _text(option.get(key)) if key in option else ""
            if len(value) > most:
                problems.append(f"{where}: option {key} of {len(value)} characters, over {most}")
        if not _text(option.get("text")).strip():
            problems.append(f"{where}: an option without text")
    return problems


def blocks_of(payload: dict) -> list:
    blocks = payload.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def message_problems(payload: dict) -> list[str]:
    """Why Slack would refuse this chat.postMessage / chat.postEphemeral / response_url payload."""
    blocks = blocks_of(payload)
    text = payload.get("text") or ""
    problems = []
    if not blocks and not text.strip():
        problems.append("neither blocks nor text")
    if len(blocks) > MESSAGE_BLOCKS:
        problems.append(f"{len(blocks)} blocks, over {MESSAGE_BLOCKS}")
    if len(text) > MESSAGE_TEXT:
        problems.append(f"text of {len(text)} characters, over {MESSAGE_TEXT}")
    if any(block.get("type") == "input" for block in blocks):
        problems.append("an input block in a message")
    return problems + _parsed(blocks) + _documented(blocks)


def view_problems(view: dict | str) -> list[str]:
    """Why Slack would refuse this view in views.open / views.update / views.publish."""
    view = json.loads(view) if isinstance(view, str) else view
    blocks = view.get("blocks") or []
    problems = []
    if not 1 <= len(blocks) <= VIEW_BLOCKS:
        problems.append(f"{len(blocks)} blocks (1 to {VIEW_BLOCKS})")
    if view.get("type") == "modal" and any(b.get("type") == "input" for b in blocks) and not view.get("submit"):
        problems.append("input blocks without a submit button")
    try:
        View(**{k: v for k, v in view.items() if k not in ("id", "state", "hash", "team_id", "app_id", "bot_id")}).to_dict()
    except (SlackObjectFormationError, TypeError) as error:
        problems.append(f"view: {error}")
    return problems + _parsed(blocks) + _documented(blocks)
