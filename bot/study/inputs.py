"""The validation layer: every value a member or admin types, read in one place.

Each reader takes text and returns a clean value or raises `InputError`, whose message
is one line saying what to type instead. Readers are bounded (long input is refused
before any work), read only ASCII digits (Python's `int` and `\\d` also take `²` or
`٠٩`, and would store them half converted) after NFKC normalisation (so full-width
`０９:００` is read as 09:00), and never raise anything else, whatever they are given.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from bot.bank import DIFFICULTIES
from bot.grading import DIALECTS, normalize_dialect

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_VALUE = 200  # characters in one typed value; longer is refused unread
MAX_ID = 10**12  # ids beyond this are no id of ours (and overflow SQLite past 2**63)
MAX_POINTS = 50  # rubric points named in one review


class InputError(ValueError):
    """A typed value is not valid; the message says what would be."""


def clean(text: object, what: str = "value") -> str:
    """The text, NFKC-normalised and stripped; refused when too long or not text."""
    if not isinstance(text, str):
        raise InputError(f"the {what} must be text")
    if len(text) > MAX_VALUE:
        raise InputError(f"the {what} is {len(text):,} characters long; at most {MAX_VALUE} are read")
    return unicodedata.normalize("NFKC", text).strip()


def _shown(text: str, limit: int = 40) -> str:
    """A typed value quoted in a message, cut short when long."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(text)


def read_time(text: str) -> str:
    value = clean(text, "time")
    match = re.fullmatch(r"([0-9]{1,2}):([0-9]{2})", value)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise InputError(f"{_shown(value)} is not a time; use HH:MM between 00:00 and 23:59, like 09:00")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    return {z.lower(): z for z in available_timezones()}


def read_timezone(text: str) -> str:
    """An IANA zone name from the tz database (any case); never a file path."""
    value = clean(text, "timezone")
    zone = _zones().get(value.lower())
    if zone is None:
        last = value.lower().rsplit("/", 1)[-1]
        close = sorted(z for z in _zones().values() if last and z.lower().endswith("/" + last))
        hint = f" Did you mean {close[0]}?" if close else ""
        raise InputError(f"{_shown(value)} is not a timezone. Use an IANA name like Europe/Berlin, America/New_York or UTC.{hint}")
    ZoneInfo(zone)  # listed, so it loads
    return zone


def read_days(text: str) -> str:
    """`mon-fri`, `mon,wed,fri`, `daily` or `weekends` to a canonical comma list."""
    value = clean(text, "days").lower()
    named = {"daily": "mon-sun", "everyday": "mon-sun", "weekdays": "mon-fri", "weekends": "sat-sun"}
    value = named.get(value, value)
    problem = InputError(f"{_shown(value)} is not a list of days; use mon-fri, mon,wed,fri or daily")
    days: list[str] = []
    for part in value.split(","):
        ends = [p.strip()[:3] for p in part.split("-")]
        if len(ends) > 2 or not all(e in WEEKDAYS for e in ends):
            raise problem
        i, j = WEEKDAYS.index(ends[0]), WEEKDAYS.index(ends[-1])
        days += WEEKDAYS[i : j + 1] if i <= j else WEEKDAYS[i:] + WEEKDAYS[: j + 1]
    return ",".join(d for d in WEEKDAYS if d in days)


def read_choices(text: str, allowed: tuple[str, ...], what: str) -> list[str]:
    """A comma list drawn from `allowed`; `all` (or nothing) means every one."""
    value = clean(text, what).lower()
    if value in ("", "all", "any"):
        return []
    chosen = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        raise InputError(f"unknown {what}: {', '.join(_shown(u, 30) for u in unknown[:3])}. Choose from: {', '.join(allowed)} (or all)")
    return list(dict.fromkeys(chosen))


def read_mix(text: str) -> dict[str, int]:
    """`easy:1,medium:2,hard:1` — relative weights of the difficulties, 0 to 10."""
    value = clean(text, "difficulty mix").lower()
    mix: dict[str, int] = {}
    for part in value.split(","):
        match = re.fullmatch(r"\s*([a-z]+)\s*:\s*([0-9]{1,2})\s*", part)
        if not match or match.group(1) not in DIFFICULTIES or int(match.group(2)) > 10:
            raise InputError(f"{_shown(value)} is not a difficulty mix; use weights 0-10 like easy:1,medium:2,hard:1")
        mix[match.group(1)] = int(match.group(2))
    if not any(mix.values()):
        raise InputError("the difficulty mix needs at least one weight above 0")
    return {d: mix.get(d, 0) for d in DIFFICULTIES}


def read_reveal(text: str) -> int:
    value = clean(text, "reveal delay").lower()
    match = re.fullmatch(r"([0-9]{1,2})\s*h?", value)
    if not match or not 1 <= int(match.group(1)) <= 48:
        raise InputError(f"{_shown(value)} is not a reveal delay; use whole hours from 1h to 48h, like 9h")
    return int(match.group(1))


def read_dialect(text: str) -> str:
    value = clean(text, "dialect")
    try:
        return normalize_dialect(value)
    except ValueError:
        raise InputError(f"{_shown(value)} is not a SQL dialect; choose from: {', '.join(DIALECTS)}") from None


def read_date(text: str) -> dt.date:
    value = clean(text, "date")
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", value)
    try:
        if match:
            return dt.date(*map(int, match.groups()))
    except ValueError:
        pass
    raise InputError(f"{_shown(value)} is not a date; use YYYY-MM-DD, like 2026-12-31")


def read_id(text: str, what: str = "an answer") -> int:
    """An id as shown (`12` or `#12`); `what` names it in the message, with its article."""
    value = clean(text, "number").removeprefix("#")
    if not re.fullmatch(r"[0-9]{1,13}", value) or not 0 < int(value) < MAX_ID:
        raise InputError(f"{_shown(value)} is not {what} number; give the number shown, like 12")
    return int(value)


def read_points(text: str) -> list[int]:
    """`1,3`, `1 3`, `none` or `-` to rubric point numbers (1-based)."""
    value = clean(text, "rubric points").lower()
    if value in ("none", "-", "0"):
        return []
    parts = [p for p in re.split(r"[,\s]+", value) if p]
    if not parts or len(parts) > MAX_POINTS or not all(re.fullmatch(r"[0-9]{1,3}", p) for p in parts):
        raise InputError(f"{_shown(value)} is not a list of rubric points; write them like 1,3 (or none)")
    return [int(p) for p in parts]


def read_window(text: str) -> str:
    value = clean(text or "week", "window").lower()
    if value not in ("week", "month", "all"):
        raise InputError(f"{_shown(value)} is not a window; use week, month or all")
    return value


MINUTES = (5, 180)  # a mock interview's time limit, bounds included
MAX_TOPIC_WORDS = 3


def read_minutes(text: str) -> int:
    """A mock's time limit: `45`, `45m` or `45 min`, from 5 to 180."""
    value = clean(text, "time limit").lower()
    match = re.fullmatch(r"([0-9]{1,3})\s*(m|min|mins|minutes)?", value)
    low, high = MINUTES
    if not match or not low <= int(match.group(1)) <= high:
        raise InputError(f"{_shown(value)} is not a time limit; give whole minutes from {low} to {high}, like 45")
    return int(match.group(1))


def read_topic(text: str, vocabulary: dict[str, str]) -> list[tuple[str, str]]:
    """What to practise: up to three words, each a name in `vocabulary` (name: its kind,
    like `sql: category` or `window-functions: tag`), read as (kind, name) pairs."""
    value = clean(text, "topic").lower()
    words = list(dict.fromkeys(w for w in re.split(r"[\s,]+", value) if w))
    if len(words) > MAX_TOPIC_WORDS:
        raise InputError(f"{len(words)} topics at once; give at most {MAX_TOPIC_WORDS}, like `sql hard` or `window-functions`")
    chosen = []
    for word in words:
        kind = vocabulary.get(word)
        if kind is None:
            close = difflib.get_close_matches(word[:40], list(vocabulary), n=1)
            hint = f" Did you mean {close[0]}?" if close else ""
            raise InputError(f"{_shown(word, 30)} is not a category, tag, track or difficulty of the bank.{hint} `/study practice` alone picks for you, `weak` finds your weakest topic")
        chosen.append((kind, word))
    return chosen
