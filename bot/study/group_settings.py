"""A group's settings and its calendar: local times, study days, pauses.

Every time is computed in the group's IANA timezone, so daylight saving is the tz
database's business, not ours.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.bank import CATEGORIES, DIFFICULTIES, TRACKS
from bot.grading import DIALECTS, normalize_dialect

UTC = dt.timezone.utc
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
OPEN_ENDED = dt.date(9999, 12, 31)
DEFAULT_MIX = {"easy": 1, "medium": 2, "hard": 1}


class SettingError(ValueError):
    """A setting a member typed is not valid; the message says what would be."""


def parse_time(text: str) -> str:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise SettingError(f"{text!r} is not a time; use HH:MM between 00:00 and 23:59, like 09:00")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def parse_timezone(text: str) -> str:
    name = text.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        close = sorted(z for z in available_timezones() if z.lower().endswith("/" + name.lower().split("/")[-1]))
        hint = f" Did you mean {close[0]}?" if close else ""
        raise SettingError(
            f"{text!r} is not a timezone. Use an IANA name like Europe/Berlin, America/New_York or UTC.{hint}"
        ) from None
    return name


def parse_days(text: str) -> str:
    """`mon-fri`, `mon,wed,fri`, `daily` or `weekends` to a canonical comma list."""
    value = text.strip().lower()
    named = {"daily": "mon-sun", "everyday": "mon-sun", "weekdays": "mon-fri", "weekends": "sat-sun"}
    value = named.get(value, value)
    days: list[str] = []
    for part in value.split(","):
        part = part.strip()[:3] if "-" not in part else part.strip()
        if "-" in part:
            start, end = (p.strip()[:3] for p in part.split("-", 1))
            if start not in WEEKDAYS or end not in WEEKDAYS:
                raise SettingError(f"{text!r} is not a list of days; use mon-fri, mon,wed,fri or daily")
            i, j = WEEKDAYS.index(start), WEEKDAYS.index(end)
            span = WEEKDAYS[i : j + 1] if i <= j else WEEKDAYS[i:] + WEEKDAYS[: j + 1]
            days += span
        elif part in WEEKDAYS:
            days.append(part)
        else:
            raise SettingError(f"{text!r} is not a list of days; use mon-fri, mon,wed,fri or daily")
    return ",".join(d for d in WEEKDAYS if d in days)


def parse_choices(text: str, allowed: tuple[str, ...], what: str) -> list[str]:
    """A comma list drawn from `allowed`; `all` (or nothing) means every one."""
    value = text.strip().lower()
    if value in ("", "all", "any"):
        return []
    chosen = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        raise SettingError(f"unknown {what}: {', '.join(unknown)}. Choose from: {', '.join(allowed)} (or all)")
    return list(dict.fromkeys(chosen))


def parse_mix(text: str) -> dict[str, int]:
    """`easy:1,medium:2,hard:1` — relative weights of the difficulties."""
    mix: dict[str, int] = {}
    for part in text.split(","):
        name, _, weight = part.partition(":")
        name = name.strip().lower()
        if name not in DIFFICULTIES or not weight.strip().isdigit() or int(weight) > 10:
            raise SettingError(f"{text!r} is not a difficulty mix; use weights 0-10 like easy:1,medium:2,hard:1")
        mix[name] = int(weight)
    if not any(mix.values()):
        raise SettingError("the difficulty mix needs at least one weight above 0")
    return {d: mix.get(d, 0) for d in DIFFICULTIES}


def parse_reveal(text: str) -> int:
    match = re.fullmatch(r"(\d{1,2})\s*h?", text.strip().lower())
    if not match or not 1 <= int(match.group(1)) <= 48:
        raise SettingError(f"{text!r} is not a reveal delay; use whole hours from 1h to 48h, like 9h")
    return int(match.group(1))


def parse_dialect(text: str) -> str:
    try:
        return normalize_dialect(text)
    except ValueError:
        raise SettingError(f"{text!r} is not a SQL dialect; choose from: {', '.join(DIALECTS)}") from None


SETTINGS = {
    # key: (aliases, parser, group attribute, description)
    "time": (("post", "post_time"), parse_time, "post_time", "post time, HH:MM local (09:00)"),
    "tz": (("timezone",), parse_timezone, "timezone", "IANA timezone (Europe/Berlin)"),
    "days": (("study_days",), parse_days, "study_days", "study days (mon-fri, mon,wed,fri, daily)"),
    "reveal": (("reveal_after",), parse_reveal, "reveal_hours", "hours from post to reveal (9h)"),
    "categories": (("category",), lambda t: parse_choices(t, CATEGORIES, "category"), "categories", "categories, or all"),
    "tracks": (("track",), lambda t: parse_choices(t, TRACKS, "track"), "tracks", "interview tracks, or all"),
    "mix": (("difficulty",), parse_mix, "difficulty_mix", "difficulty weights (easy:1,medium:2,hard:1)"),
    "dialect": ((), parse_dialect, "dialect", "default SQL dialect (duckdb, postgres, ...)"),
}
_ALIASES = {alias: key for key, (aliases, *_rest) in SETTINGS.items() for alias in (key, *aliases)}


def parse_settings(pairs: dict[str, str]) -> dict[str, object]:
    """Validate `key=value` settings into group attributes; SettingError names the first bad one."""
    values: dict[str, object] = {}
    for raw_key, raw_value in pairs.items():
        key = _ALIASES.get(raw_key.lower().replace("-", "_"))
        if key is None:
            raise SettingError(f"unknown setting {raw_key!r}; the settings are: {', '.join(SETTINGS)}")
        _, parser, attribute, _ = SETTINGS[key]
        values[attribute] = parser(raw_value)
    return values


@dataclass(frozen=True)
class Calendar:
    """When a group studies: the pure time arithmetic, no database."""

    timezone: str
    post_time: str
    study_days: str
    reveal_hours: int
    paused_until: dt.date | None = None

    @classmethod
    def of(cls, group) -> Calendar:
        return cls(group.timezone, group.post_time, group.study_days, group.reveal_hours, group.paused_until)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.zone)

    def today(self, moment: dt.datetime) -> dt.date:
        return self.local(moment).date()

    def is_paused(self, day: dt.date) -> bool:
        return self.paused_until is not None and day <= self.paused_until

    def is_study_day(self, day: dt.date) -> bool:
        return WEEKDAYS[day.weekday()] in self.study_days.split(",") and not self.is_paused(day)

    def post_at(self, day: dt.date) -> dt.datetime:
        """The UTC moment of the post on a local date (a time skipped by DST moves forward)."""
        hour, minute = map(int, self.post_time.split(":"))
        local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.zone)
        return local.astimezone(UTC)

    def reveal_at(self, posted: dt.datetime) -> dt.datetime:
        return posted + dt.timedelta(hours=self.reveal_hours)

    def late_post(self, moment: dt.datetime) -> dt.datetime | None:
        """Today's post time when it has passed but is still worth posting (its reveal is
        to come): what the scheduler posts at `moment` if nobody did."""
        today = self.today(moment)
        if not self.is_study_day(today):
            return None
        due = self.post_at(today)
        return due if due <= moment < self.reveal_at(due) else None

    def next_post(self, moment: dt.datetime, horizon_days: int = 400) -> dt.datetime | None:
        """The first scheduled post strictly after `moment`, or None (paused for good)."""
        day = self.today(moment)
        for _ in range(horizon_days):
            if self.is_study_day(day) and self.post_at(day) > moment:
                return self.post_at(day)
            day += dt.timedelta(days=1)
        return None


def format_local(moment: dt.datetime, zone: str) -> str:
    """`Mon 9 Mar 09:00 CET`: a moment in a group's own time."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b %H:%M} {local.tzname() or zone}"
