"""Everything the app can send for every bank question is something Slack takes (slack_sdk's
Block Kit models and Slack's documented limits), nothing is cut, and the bank's Markdown
arrives as mrkdwn: tables monospaced, fences without a language line, emphasis mapped."""

import datetime as dt
import json
import re
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from slack_limits import message_problems, view_problems

from bot.bank import DEFAULT_CONTENT_DIR, SqlQuestion, load_bank
from bot.chat.slack import home, modals
from bot.chat.slack.blocks import message, plain_message
from bot.chat.slack.mrkdwn import mrkdwn
from bot.study import Code, Reply
from bot.study.replies import ReviewForm
from bot.study.views import question_post, reveal_post

REVEAL = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.timezone.utc)
SHORTENED = "Shortened to fit Slack"


@lru_cache(maxsize=1)
def bank():
    return load_bank(DEFAULT_CONTENT_DIR)


def texts(blocks: list[dict]) -> str:
    """Every text the blocks show, in order."""
    found = []
    for block in blocks:
        if "text" in block:
            found.append(block["text"]["text"])
        found += [e["text"] for e in block.get("elements", []) if e.get("type") == "mrkdwn"]
    return "\n".join(found)


def outside_code(mrkdwn_text: str) -> str:
    return re.sub(r"`[^`\n]*`", "code", re.sub(r"```.*?```", "", mrkdwn_text, flags=re.S))


def review_reply(question) -> Reply:
    """What `/study review` hands a reviewer: an answer (the model one, as long as they come) and the rubric."""
    answer = Code(question.solution.strip(), "sql") if isinstance(question, SqlQuestion) else question.answer.strip()
    return Reply(title="Review answer #7", text="Mark which rubric points this answer meets.", sections=(answer, "Send: `/study review 7 1,3`"),
                 review=ReviewForm(7, tuple(question.rubric)))


def test_the_bank_is_here():
    assert len(bank()) >= 200


def test_every_post_reveal_review_and_home_card_of_every_question_is_valid_and_whole():
    problems: dict[str, list[str]] = {}
    for question in bank():
        post = question_post(question, 1, REVEAL, "Europe/Berlin")
        reveal = reveal_post(question, 1, 3)
        review = modals.review_form("CSTUDY", review_reply(question))
        sent = {
            "post": message(post, "CSTUDY", context_tail=True),
            "reveal": message(reveal, "CSTUDY"),
            "reveal as text": plain_message(reveal),
            "post as text": plain_message(post),
        }
        found = [f"{name}: {p}" for name, payload in sent.items() for p in message_problems(payload)]
        found += [f"review: {p}" for p in view_problems(review)]
        found += [f"today modal: {p}" for p in view_problems(modals.result("Today", post))]
        card = {"type": "home", "blocks": home._round(post, "CSTUDY")}
        found += [f"home: {p}" for p in view_problems(card)]
        # Nothing cut: no post or reveal shortened, every rubric point whole in the reveal and the review.
        for name in ("post", "reveal"):
            if SHORTENED in json.dumps(sent[name]["blocks"]):
                found.append(f"{name}: shortened")
        shown = texts(sent["reveal"]["blocks"]), texts(review["blocks"])
        for point in question.rubric:
            if not all(mrkdwn(point) in where for where in shown):
                found.append(f"rubric point cut: {point[:40]}")
        boxes = [o["value"] for b in review["blocks"] if b["type"] == "input" and b["element"]["type"] == "checkboxes" for o in b["element"]["options"]]
        if boxes != [str(i) for i in range(1, len(question.rubric) + 1)]:
            found.append(f"review: checkboxes {boxes}")
        if found:
            problems[question.id] = found
    assert problems == {}


ITALIC = re.compile(r"(?<![\w*])\*([A-Za-z][^*\n]*?[\w.)])\*(?![\w*])")


def test_the_banks_markdown_arrives_as_mrkdwn():
    italics = tables = 0
    for question in bank():
        for field in ("prompt", "answer"):
            source = getattr(question, field)
            converted = mrkdwn(source)
            prose = outside_code(converted)
            assert not re.search(r"^```\S", converted, re.M), (question.id, field, "a fence with a language line")
            assert not re.search(r"^\s*\|.*\|\s*$", prose, re.M), (question.id, field, "a Markdown table as raw pipes")
            assert "**" not in prose, (question.id, field, "Markdown bold")
            tables += len(re.findall(r"^\s*\|?\s*:?-{2,}", source, re.M))
            plain = re.sub(r"`[^`\n]*`", "", re.sub(r"```.*?```", "", source, flags=re.S)).replace("**", "")
            for inner in ITALIC.findall(plain):  # Markdown italic, which Slack would show bold
                italics += 1
                assert f"_{inner}_" in converted, (question.id, field, inner)
    assert italics > 100 and tables > 20  # the bank has plenty of both


def test_tables_fences_and_emphasis_convert():
    markdown = (
        "Work at the **user** grain; *italic* and *across\n  two lines*; COUNT(*) and 2 * 3 stay; `a*b*` is code.\n"
        "| variant | users |\n|---|---:|\n| `control` | **4** |\n| a \\| b | 5 |\n"
        "```sql\nSELECT a < b & c\n```\n"
        "## Heading\n- item with [a link](https://example.com/x)\n> quoted"
    )
    assert mrkdwn(markdown).split("\n") == [
        "Work at the *user* grain; _italic_ and _across_",
        "  _two lines_; COUNT(*) and 2 * 3 stay; `a*b*` is code.",
        "```",
        "variant | users",
        "--------+------",
        "control | 4",
        "a | b   | 5",
        "```",
        "```",
        "SELECT a &lt; b &amp; c",
        "```",
        "*Heading*",
        "• item with <https://example.com/x|a link>",
        "> quoted",
    ]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab *_`|\n#->&<", max_size=400))
def test_any_markdown_becomes_a_message_slack_takes(markdown):
    payload = message(Reply(title="T", text=markdown, sections=(markdown, Code(markdown))), "C1")
    assert message_problems(payload) == []


@pytest.mark.parametrize("size", [3, 11, 60])
def test_a_long_rubric_keeps_every_point_whole_beside_numbered_checkboxes(size):
    points = tuple(f"Claim {i}: " + "well over the seventy-five characters a checkbox holds, as rubric points are " * 2 for i in range(size))
    view = modals.review_form("C1", Reply(title="Review", sections=("an answer",), review=ReviewForm(1, points)))
    assert view_problems(view) == []
    assert all(p in texts(view["blocks"]) for p in points)
    boxes = [b["element"]["options"] for b in view["blocks"] if b["type"] == "input" and b["element"]["type"] == "checkboxes"]
    assert [o["value"] for block in boxes for o in block] == [str(i) for i in range(1, size + 1)]
    assert all(len(block) <= 10 for block in boxes)
