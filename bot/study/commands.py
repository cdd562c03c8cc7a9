"""`/study <verb> …` typed as text (the console and Slack), dispatched to the study loop.

Discord passes structured options to the same `Study` methods instead; the verbs,
their help and their argument rules are defined once, here.
"""

from __future__ import annotations

import difflib
import shlex
from dataclasses import dataclass

from bot.bank import TRACKS
from bot.grading import DIALECTS

from . import repetition, scoring
from .inputs import InputError, read_id, read_points
from .replies import Reply, Response, refuse
from .core import Actor
from .study import Study


@dataclass(frozen=True)
class Verb:
    name: str
    usage: str
    summary: str
    admin: bool = False


VERBS = (
    Verb("setup", "setup [key=value …]", "create or change this channel's group (time, tz, days, reveal, categories, tracks, mix, dialect)", True),
    Verb("settings", "settings", "the group's settings and the next post and reveal times"),
    Verb("pause", "pause [until YYYY-MM-DD]", "no posts until the date (or /study resume); streaks do not break", True),
    Verb("resume", "resume", "end a pause", True),
    Verb("post", "post", "post today's question now", True),
    Verb("skip", "skip", "replace today's question", True),
    Verb("today", "today", "the current question again, time left and how many answered"),
    Verb("answer", "answer <text>", "answer privately: your open practice or mock first, else today's question"),
    Verb("hint", "hint", "the next hint, privately"),
    Verb("run", "run <sql>", "run SQL on the visible sample (a playground, never graded)"),
    Verb("review", "review [ANSWER-ID POINTS [comment]]", "get someone's answer to review; then send the rubric points it meets"),
    Verb("leaderboard", "leaderboard [week|month|all]", "the group's ranking (default: this week)"),
    Verb("stats", "stats [member]", "streak, best streak, answers, SQL accuracy"),
    Verb("history", "history", "past rounds and their threads"),
    Verb("practice", "practice [topic|weak|due] · practice next|stop · practice mark [#] POINTS", "a private question for you alone, never the daily's; SQL checked, written self-reviewed"),
    Verb("due", "due", "the questions your repetition schedule brings back (missed ones, at growing intervals)"),
    Verb("remind", "remind [on [HH:MM]|off|tz ZONE]", "reminders in your own time: the day's question before its reveal, questions due again"),
    Verb("mock", "mock [track] [minutes] · mock next|stop", "a timed private mock interview shaped like the track's loop, with a report"),
    Verb("help", "help [scoring|sql|practice]", "this list; how points work; how SQL is checked; practice, repetition, mocks"),
)
VERB_NAMES = tuple(v.name for v in VERBS)
ADMIN_VERBS = tuple(v.name for v in VERBS if v.admin)

SQL_HELP = f"""**How SQL answers are checked**
- Your query runs in a sandbox against the visible sample and several hidden datasets, each built to catch a classic mistake (NULLs, ties, empty groups, boundary dates…).
- It is correct when its rows match the reference on every dataset: row order only counts when the question asks for one, column names never count, and columns may come in any order.
- Numbers compare by value (1 = 1.0), a DATE equals a TIMESTAMP at midnight, NULL equals NULL.
- You get the verdict privately: which case failed and how (row count, a wrong value, order), with an example row on the sample; hidden data is never shown.
- Only one read-only query is run (SELECT, WITH … SELECT, VALUES, UNION…); anything else is refused.
- Dialects: {", ".join(DIALECTS)}. Tag a code fence (```postgresql) or use the group's default. In postgres and sqlite, integer / integer truncates, as it does there.
- `/study run <sql>` tries a query on the sample without grading it."""


PRIVATE_RULE = (
    "While your practice question or mock interview is open, `/study answer`, `/study hint` and `/study run` act on it; "
    "answers in the daily question's thread, and its buttons, always belong to the daily. `/study help practice` has the rest."
)


def help_reply(topic: str | None = None) -> Reply:
    topic = (topic or "").strip().lower()
    if topic == "scoring":
        return Reply(text=scoring.HELP)
    if topic == "sql":
        return Reply(text=SQL_HELP)
    if topic in ("practice", "repetition", "mock", "remind", "due"):
        return Reply(text=repetition.HELP)
    if topic:
        return refuse(f"There is no help on {topic[:30]!r}. Try `/study help`, `/study help scoring`, `/study help sql` or `/study help practice`.")
    lines = [f"`/study {v.usage}`{' (admin)' if v.admin else ''}: {v.summary}" for v in VERBS]
    lines.append(PRIVATE_RULE)
    return Reply(title="studybot: one question a day", text="\n".join(lines))


async def dispatch(study: Study, actor: Actor, line: str) -> Response:
    """Run one `/study …` command line (the leading `/study` is optional)."""
    text = line.strip()
    if text.startswith("/study"):
        text = text[len("/study"):]
    verb, _, rest = text.strip().partition(" ")
    verb = verb.strip().lower()
    if "\n" in verb:  # `/study answer\n```sql …`
        verb, _, more = verb.partition("\n")
        rest = more + " " + rest
    rest = rest.strip()
    if not verb:
        return Response(help_reply())
    if verb not in VERB_NAMES:
        close = difflib.get_close_matches(verb[:20], VERB_NAMES, n=1)
        hint = f" Did you mean `/study {close[0]}`?" if close else ""
        shown = verb if len(verb) <= 30 else verb[:29] + "…"
        return Response(refuse(f"Unknown command {shown!r}.{hint} `/study help` lists them all."))
    if verb == "setup":
        try:
            words = shlex.split(rest)
        except ValueError as error:
            return Response(refuse(f"Could not read the settings ({error}); write them as key=value, quoting values with spaces."))
        bad = [w for w in words if "=" not in w]
        if bad:
            return Response(refuse(f"Write settings as key=value (got {bad[0]!r}), for example `/study setup time=09:00 tz=Europe/Berlin days=mon-fri`."))
        return await study.setup(actor, dict(w.split("=", 1) for w in words))
    if verb == "pause":
        until = rest.removeprefix("until").strip() or None
        return await study.pause(actor, until)
    if verb == "review":
        if not rest:
            return await study.review(actor)
        first, _, after = rest.partition(" ")
        points_text, _, comment = after.strip().partition(" ")
        try:
            answer_id, points = read_id(first), read_points(points_text)
        except InputError as error:
            return Response(refuse(f"{error}. Send a review as `/study review ANSWER-ID POINTS [comment]`, for example `/study review 12 1,3 nice use of NOT EXISTS` (or `none`)."))
        return await study.submit_review(actor, answer_id, points, comment)
    if verb == "practice":
        return await _practice(study, actor, rest)
    if verb == "mock":
        words = rest.lower().split()
        if words in (["next"], ["stop"]):
            return await (study.mock_next if words[0] == "next" else study.mock_stop)(actor)
        words = [w for w in words if w not in ("m", "min", "mins", "minutes")]
        limit = [w for w in words if w[:1].isdigit()]
        track = [w for w in words if not w[:1].isdigit()]
        if len(limit) > 1 or len(track) > 1:
            return Response(refuse(f"Give at most a track and a time limit, like `/study mock product-analytics 45`; the tracks: {', '.join(TRACKS)}."))
        return await study.mock(actor, track[0] if track else None, limit[0] if limit else None)
    simple = {
        "settings": lambda: study.settings(actor),
        "resume": lambda: study.resume(actor),
        "post": lambda: study.post_now(actor),
        "skip": lambda: study.skip(actor),
        "today": lambda: study.today(actor),
        "answer": lambda: study.answer(actor, rest, via="private"),
        "hint": lambda: study.hint(actor),
        "run": lambda: study.run_sql(actor, rest),
        "leaderboard": lambda: study.leaderboard(actor, rest or "week"),
        "stats": lambda: study.stats(actor, rest or None),
        "history": lambda: study.history(actor),
        "due": lambda: study.due(actor),
        "remind": lambda: study.remind(actor, rest),
    }
    if verb == "help":
        return Response(help_reply(rest))
    return await simple[verb]()


async def _practice(study: Study, actor: Actor, rest: str) -> Response:
    """`practice [topic]`, `practice next`, `practice stop`, `practice answer …`, `practice mark [#] POINTS`."""
    sub, _, more = rest.partition(" ")
    sub, more = sub.lower(), more.strip()
    if sub in ("next", "stop") and not more:
        return await (study.practice_next if sub == "next" else study.practice_stop)(actor)
    if sub == "answer":
        return await study.practice_answer(actor, more)
    if sub == "mark":
        first, _, after = more.partition(" ")
        item, points_text = (first, after.strip()) if after.strip() else (None, first)
        try:
            points = read_points(points_text)
        except InputError as error:
            return Response(refuse(f"{error}. Tick the rubric points you met like `/study practice mark 1,3` (or `none`)."))
        return await study.practice_mark(actor, points, item)
    return await study.practice(actor, rest)
