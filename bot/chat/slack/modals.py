"""Modals: answer, run on the sample, review against the rubric, and a reply shown in a modal.

Each form carries what its submission needs in `private_metadata` (JSON): the
group's channel, and the round or the answer under review.
"""

from __future__ import annotations

import json

from bot.study import Reply

from .blocks import VIEW_BLOCKS, clip, part_blocks, render, section, sections
from .mrkdwn import mrkdwn

ANSWER = "study_answer"
RUN = "study_run"
REVIEW = "study_review"
CHECKBOXES_PER_BLOCK = 10  # Slack's limit of options in one checkboxes element


def _title(text: str) -> dict:
    return {"type": "plain_text", "text": clip(text, 24)}


def _modal(title: str, blocks: list[dict], *, callback_id: str = "", submit: str | None = None, meta: dict | None = None) -> dict:
    view = {"type": "modal", "title": _title(title), "close": _title("Close"), "blocks": blocks[:VIEW_BLOCKS]}
    if callback_id:
        view["callback_id"] = callback_id
    if submit:
        view["submit"] = _title(submit)
    if meta is not None:
        view["private_metadata"] = json.dumps(meta)
    return view


def meta(view: dict) -> dict:
    try:
        return json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}


def _text_input(block_id: str, label: str, placeholder: str, *, optional: bool = False) -> dict:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": {
            "type": "plain_text_input",
            "action_id": "text",
            "multiline": True,
            "placeholder": {"type": "plain_text", "text": placeholder},
        },
    }


def answer_form(channel: str, round_id: int | None) -> dict:
    return _modal(
        "Your answer",
        [
            section("Only you see what you send here. SQL is checked at once; a ```postgresql fence picks the dialect."),
            _text_input("answer", "Answer", "SELECT …  (or your written answer)"),
        ],
        callback_id=ANSWER, submit="Send", meta={"channel": channel, "round": round_id},
    )


def run_form(channel: str, round_id: int | None = None) -> dict:
    return _modal(
        "Run on the sample",
        [
            section("Runs your query on the question's visible sample. Not graded."),
            _text_input("sql", "SQL", "SELECT * FROM …"),
        ],
        callback_id=RUN, submit="Run", meta={"channel": channel, "round": round_id},
    )


def review_form(channel: str, reply: Reply) -> dict:
    """The answer to review, the rubric in full, numbered checkboxes (ten to a block), a comment.

    A checkbox's text holds 75 characters and rubric points are longer: each point is
    shown whole, numbered, and its box carries only the number."""
    form = reply.review
    blocks = [section(f"*{mrkdwn(reply.title or 'Review')}*")]
    for part in reply.sections[:1]:  # the answer itself
        blocks += part_blocks(part)
    blocks += sections("*Rubric*\n" + "\n".join(f"*{i}.* {mrkdwn(p)}" for i, p in enumerate(form.rubric, 1)))
    for start in range(0, len(form.rubric), CHECKBOXES_PER_BLOCK):
        numbers = range(start + 1, min(start + CHECKBOXES_PER_BLOCK, len(form.rubric)) + 1)
        options = [{"text": {"type": "plain_text", "text": f"Point {i}"}, "value": str(i)} for i in numbers]
        blocks.append({
            "type": "input",
            "block_id": f"rubric_{start // CHECKBOXES_PER_BLOCK}",
            "optional": True,
            "label": {"type": "plain_text", "text": f"Points met ({numbers[0]} to {numbers[-1]})" if len(form.rubric) > CHECKBOXES_PER_BLOCK else "Points this answer meets"},
            "element": {"type": "checkboxes", "action_id": "points", "options": options},
        })
    blocks.append(_text_input("comment", "Comment for the author", "What was good, what is missing", optional=True))
    return _modal("Review", blocks, callback_id=REVIEW, submit="Save review", meta={"channel": channel, "answer": form.answer_id})


def review_values(view: dict) -> tuple[list[int], str]:
    """The rubric points ticked and the comment of a submitted review form."""
    points, comment = [], ""
    for block_id, fields in view.get("state", {}).get("values", {}).items():
        if block_id.startswith("rubric_"):
            points += [o.get("value") for o in (fields.get("points", {}).get("selected_options") or [])]  # the core reads them
        elif block_id == "comment":
            comment = fields.get("text", {}).get("value") or ""
    return sorted(points), comment


def text_value(view: dict, block_id: str) -> str:
    return view.get("state", {}).get("values", {}).get(block_id, {}).get("text", {}).get("value") or ""


def notice(title: str, text: str) -> dict:
    """A modal that only says something (while work runs, or when it is done)."""
    return _modal(title, [section(text)])


def result(title: str, reply: Reply) -> dict:
    return _modal(title, render(reply, buttons=False, max_blocks=VIEW_BLOCKS) or [section(" ")])
