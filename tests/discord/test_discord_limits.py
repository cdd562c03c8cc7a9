"""Long questions and results stay within Discord's limits: split where the text fits a
message, cut (and marked) only beyond it. Driven through the real client."""

import random

import pytest
import yaml
from discord_limits import message_problems, problems
from standin import Call

from bot.bank import load_bank
from bot.chat.discord.render import split_lines
from bot.study import Study

PARAGRAPHS = [f"Paragraph {n:02d}: " + " ".join(f"word{n}x{i}" for i in range(40)) for n in range(12)]  # ~4,400 characters
RUBRIC = [f"Point {n}: " + ("a rubric point a peer can tick, spelled out at length " * 3).strip() for n in range(1, 7)]
LONG = {
    "id": "sql-a-very-long-question",
    "title": "A title far longer than Discord allows " * 8,  # ~300 characters
    "category": "sql",
    "difficulty": "hard",
    "prompt": "\n\n".join(PARAGRAPHS),
    "schema": "CREATE TABLE events (id INTEGER, note VARCHAR);",
    "datasets": [
        {"name": "sample", "visible": True, "sql": "INSERT INTO events VALUES (1, 'a'), (2, 'b'), (3, 'c');"},
        {"name": "hidden", "sql": "INSERT INTO events VALUES (4, 'd');"},
    ],
    "solution": "SELECT id FROM events",
    "wrong_answers": [
        {"sql": "SELECT note FROM events", "why": "the note is not the id " * 6},
        {"sql": "SELECT 1 AS id", "why": "a constant is not the ids " * 6},
    ],
    "rubric": RUBRIC,
    "answer": "\n\n".join(f"Answer paragraph {n}: " + "the model answer goes on and on " * 10 for n in range(16)),  # ~5,400
}
# Fourteen columns (each shown 24 characters wide), 20 rows: more than one message holds.
WIDE_QUERY = "SELECT " + ", ".join(f"repeat('ab', 20) AS column_{n}" for n in range(14)) + " FROM range(20)"


@pytest.fixture
def study(database, checker, clock, tmp_path):
    """The study core with a bank of one long SQL question."""
    folder = tmp_path / "bank" / "questions" / "sql"
    folder.mkdir(parents=True)
    (folder / f"{LONG['id']}.yaml").write_text(yaml.safe_dump(LONG, sort_keys=False), encoding="utf-8")
    return Study(database, lambda: load_bank(tmp_path / "bank"), checker, clock, platforms={"discord"})


def descriptions(body: dict) -> list[str]:
    return [e.get("description") or "" for e in body.get("embeds", [])]


async def test_a_long_question_is_split_over_embeds_and_nothing_is_lost(bot, standin, group, tick):
    await tick(bot)
    [post] = standin.find("POST", rf"/channels/{group}/messages", ok=True)
    assert message_problems(post.body) == []
    embeds = post.body["embeds"]
    assert len(embeds) >= 2 and all(len(d) <= 4096 for d in descriptions(post.body))  # the prompt alone is over 4,096
    assert len(embeds[0]["title"]) <= 256 and embeds[0]["title"].endswith("…") and "title" not in embeds[1]
    shown = "\n".join(descriptions(post.body))
    assert all(paragraph in shown for paragraph in PARAGRAPHS)  # split at line ends, not cut
    assert "```sql\nCREATE TABLE events" in shown and "**events (sample)**" in shown and "Reveal:" in shown
    [thread] = standin.find("POST", rf"/channels/{group}/messages/{post.result['id']}/threads", ok=True)
    assert len(thread.body["name"]) <= 100 and thread.body["name"].startswith("A title far longer")


async def test_a_reveal_beyond_one_message_is_cut_longest_first_and_marked(bot, standin, people, group, tick, today, clock):
    await tick(bot)
    round_, _ = await today()
    clock.set(round_.reveal_at)
    await tick(bot)
    [reveal] = standin.find("POST", rf"/channels/{round_.thread_ref}/messages", ok=True)
    assert message_problems(reveal.body) == []
    shown = "\n".join(descriptions(reveal.body))
    total = sum(len(e.get("title", "")) + len(e["description"]) for e in reveal.body["embeds"])
    assert 5000 < total <= 6000  # the message is used up to Discord's limit, not beyond
    # The rubric and the solution are whole; the model answer, the longest part, is cut and says so.
    assert all(point in shown for point in RUBRIC) and "```sql\nSELECT id FROM events\n```" in shown
    assert "Answer paragraph 0:" in shown and "Answer paragraph 15:" not in shown and " …" in shown
    assert "Peer review is open" in shown


async def test_a_result_of_run_beyond_one_message_is_cut_and_says_how_many_rows_are_left_out(bot, standin, people, group, tick):
    await tick(bot)
    ran = await standin.command(people.ada, "run", {"sql": WIDE_QUERY})
    [followup] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{ran['token']}")
    assert message_problems(followup.body) == []
    shown = "\n".join(descriptions(followup.body))
    assert shown.startswith("Ran on the visible sample") and "**20 rows on the sample**" in shown and "column_13" in shown
    assert shown.count("```") % 2 == 0 and all(d.count("```") % 2 == 0 for d in descriptions(followup.body))  # fences closed
    shown_rows = sum(line.startswith("abab") for line in shown.splitlines())
    assert 10 <= shown_rows < 20 and f"… {20 - shown_rows} more rows\n```" in shown  # as many rows as fit, the rest counted


def test_the_limit_check_catches_what_discord_would_refuse():
    """The check the stand-in applies to every request: it is not vacuous."""
    too_much = {"content": "x" * 2001, "embeds": [{"title": "t" * 257, "description": "d" * 4097, "fields": [{"name": "n", "value": "v" * 1025}] * 26}]}
    found = problems(Call("POST", "/channels/1/messages", too_much))  # content; title, description, fields; 26 values; the total
    assert len(found) == 1 + 3 + 26 + 1 and all(f.startswith("POST /channels/1/messages: ") for f in found)
    assert problems(Call("POST", "/channels/1/messages/2/threads", {"name": "n" * 101}))
    modal = {"type": 9, "data": {"title": "m" * 46, "components": [{"type": 1, "components": [{"type": 4, "label": "l" * 46}]}]}}
    assert len(problems(Call("POST", "/interactions/1/tok/callback", modal))) == 2
    assert problems(Call("POST", "/webhooks/1/tok", {"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}))
    assert problems(Call("POST", "/channels/1/messages", {"content": "fine"})) == []


def test_splitting_keeps_every_character_and_closes_each_piece_s_fences():
    rng = random.Random(8)
    for _ in range(300):
        lines = [rng.choice(["```sql", "x" * rng.randrange(0, 300), "y " * rng.randrange(1, 3000), ""]) for _ in range(rng.randrange(1, 80))]
        text, limit = "\n".join(lines), rng.choice([300, 1000, 4096])
        pieces = split_lines(text, limit)
        assert all(len(piece) <= limit for piece in pieces)
        assert all(piece.count("```") % 2 == 0 for piece in pieces[:-1])

        def content(t):
            return "".join(token for token in t.split() if not token.startswith("```"))

        assert "".join(map(content, pieces)) == content(text)
