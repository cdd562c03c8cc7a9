"""Platform-neutral replies for the study loop: posts, reveals, tables of standings."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from bot.bank import AnyQuestion, SqlQuestion
from bot.bank.present import sample_tables

from .group_settings import SETTINGS, Calendar, format_local
from .replies import Button, Code, Reply, TableBlock


@lru_cache(maxsize=512)
def _samples(question: SqlQuestion) -> tuple:
    return tuple(sample_tables(question))


def post_buttons(question: AnyQuestion, round_id: int, revealed: bool = False) -> tuple[Button, ...]:
    """The daily post's buttons; after the reveal an answer is late practice, and Answer says so."""
    buttons = [Button("answer", "Answer (late practice)" if revealed else "Answer", round_id), Button("hint", "Hint", round_id, number=1)]
    if isinstance(question, SqlQuestion):
        buttons.append(Button("run", "Run on sample", round_id))
    return tuple(buttons)


def reveal_buttons(round_id: int, closed: bool = False) -> tuple[Button, ...]:
    """The reveal's Review button: disabled once the review window has closed (the verb refuses then)."""
    return (Button("review", "Review closed", round_id, disabled=True) if closed else Button("review", "Review an answer", round_id),)


def question_post(question: AnyQuestion, round_id: int, reveal_at: dt.datetime, zone: str, note: str = "", revealed: bool = False) -> Reply:
    """The daily post (blocking for SQL questions: the sample is rendered by DuckDB)."""
    sections: list = []
    if isinstance(question, SqlQuestion):
        sections.append(Code(question.schema_sql.strip(), "sql"))
        for table in _samples(question):
            sections.append(TableBlock(table.columns, table.rows, caption=f"{table.name} (sample)"))
    reveal = format_local(reveal_at, zone)
    footer = f"Answer in the thread or privately with /study answer. Reveal: {reveal}."
    text = question.prompt.strip()
    if note:
        text = f"_{note}_\n\n{text}"
    return Reply(
        title=f"{question.title} · {question.category} · {question.difficulty}",
        text=text,
        sections=(*sections, footer),
        buttons=post_buttons(question, round_id, revealed),
        private=False,
        moments=((reveal, reveal_at),),
    )


def reveal_post(question: AnyQuestion, round_id: int, answered: int, closed: bool = False) -> Reply:
    rubric = "\n".join(f"{i}. {point}" for i, point in enumerate(question.rubric, 1))
    sections: list = [f"**Rubric**\n{rubric}"]
    if isinstance(question, SqlQuestion):
        sections.append(Code(question.solution.strip(), "sql"))
        traps = "\n".join(f"- {w.why}" for w in question.wrong_answers)
        sections.append(f"**Traps the hidden data set**\n{traps}")
    sections.append(
        f"{answered} member{'s' if answered != 1 else ''} answered. Peer review is open: "
        "/study review gives you someone else's answer to mark against the rubric."
    )
    return Reply(
        title=f"Answer: {question.title}",
        text=question.answer.strip(),
        sections=tuple(sections),
        buttons=reveal_buttons(round_id, closed),
        private=False,
    )


def settings_reply(group, now: dt.datetime) -> Reply:
    calendar = Calendar.of(group)
    next_post = calendar.next_post(now)
    labels = {
        "post_time": group.post_time,
        "timezone": group.timezone,
        "study_days": group.study_days,
        "reveal_hours": f"{group.reveal_hours}h after the post",
        "categories": ", ".join(group.categories) or "all",
        "tracks": ", ".join(group.tracks) or "all",
        "difficulty_mix": ", ".join(f"{d}:{w}" for d, w in (group.difficulty_mix or {}).items()) or "easy:1,medium:2,hard:1",
        "dialect": group.dialect,
    }
    lines = [f"- **{key}** = {labels[attr]}  ({desc})" for key, (_, _, attr, desc) in SETTINGS.items()]
    if group.paused_until:
        until = "further notice" if group.paused_until.year == 9999 else group.paused_until.isoformat()
        lines.append(f"- **paused** until {until}")
    lines.append(
        f"- **next post**: {format_local(next_post, group.timezone)}; reveal {group.reveal_hours}h later"
        if next_post
        else "- **next post**: none scheduled"
    )
    return Reply(title="Study group settings", text="\n".join(lines))


def standings_table(rows: list[tuple[str, int]]) -> TableBlock:
    ranked, last, rank = [], None, 0
    for i, (name, points) in enumerate(rows, 1):
        if points != last:
            rank, last = i, points
        ranked.append((rank, name, points))
    return TableBlock(("#", "member", "points"), tuple(ranked))
