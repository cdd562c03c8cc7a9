"""A group's settings and its calendar: local times, study days, pauses.

Every time is computed in the group's IANA timezone, so daylight saving is the tz
database's business, not ours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.bank import CATEGORIES, TRACKS

from .inputs import (
    WEEKDAYS,
    InputError,
    clean,
    read_choices,
    read_days,
    read_dialect,
    read_mix,
    read_reveal,
    read_time,
    read_timezone,
)

UTC = dt.timezone.utc
OPEN_ENDED = dt.date(9999, 12, 31)
DEFAULT_MIX = {"easy": 1, "medium": 2, "hard": 1}


SETTINGS = {
    # key: (aliases, parser, group attribute, description)
    "time": (("post", "post_time"), read_time, "post_time", "post time, HH:MM local (09:00)"),
    "tz": (("timezone",), read_timezone, "timezone", "IANA timezone (Europe/Berlin)"),
    "days": (("study_days",), read_days, "study_days", "study days (mon-fri, mon,wed,fri, daily)"),
    "reveal": (("reveal_after",), read_reveal, "reveal_hours", "hours from post to reveal (9h)"),
    "categories": (("category",), lambda t: read_choices(t, CATEGORIES, "category"), "categories", "categories, or all"),
    "tracks": (("track",), lambda t: read_choices(t, TRACKS, "track"), "tracks", "interview tracks, or all"),
    "mix": (("difficulty",), read_mix, "difficulty_mix", "difficulty weights (easy:1,medium:2,hard:1)"),
    "dialect": ((), read_dialect, "dialect", "default SQL dialect (duckdb, postgres, ...)"),
}
_ALIASES = {alias: key for key, (aliases, *_rest) in SETTINGS.items() for alias in (key, *aliases)}


def parse_settings(pairs: dict[str, str]) -> dict[str, object]:
    """Validate `key=value` settings into group attributes; InputError names the first bad one."""
    if len(pairs) > 2 * len(SETTINGS):
        raise InputError(f"{len(pairs)} settings at once; the settings are: {', '.join(SETTINGS)}")
    values: dict[str, object] = {}
    for raw_key, raw_value in pairs.items():
        key = _ALIASES.get(clean(raw_key, "setting name").lower().replace("-", "_"))
        if key is None:
            shown = raw_key if len(raw_key) <= 30 else raw_key[:29] + "…"
            raise InputError(f"unknown setting {shown!r}; the settings are: {', '.join(SETTINGS)}")
        _, reader, attribute, _ = SETTINGS[key]
        values[attribute] = reader(raw_value)
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
