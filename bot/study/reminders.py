"""Reminders, and the personal clock: what falls due for members rather than groups.

A member who opts in (`/study remind on [HH:MM]`) is looked at once a day, at that
time in their own timezone (a member setting, the group's by default; daylight
saving is zoneinfo's business). Then, unless the group is paused, lost or closed:

- **round**: the group's question is open (posted, not yet revealed) and they have
  not answered it: a DM with their streak;
- **due**: questions of their repetition schedule are due: a DM with how many.

The core decides, the adapters deliver (a DM on Discord and Slack, a line in the
console; the deliverer keeps to the platforms' rates). Each reminder is claimed by
inserting (member, kind, local date), so a kind goes at most once a member's day
however often, or from however many processes, the sweep runs; a moment of a day
already past (the bot was down) is skipped, not sent late. The sweep reads only
the members whose moment has come (`next_remind_at`, indexed), so its cost does not
grow with the history. `personal_due` also closes mocks whose time is up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.bank import Bank
from bot.store import Answer, Group, Member, MemberSetting, Practice, Reminder, Round
from bot.store.db import insert_ignore

from .core import Actor
from .group_settings import UTC, Calendar, format_local
from .inputs import InputError, read_time, read_timezone
from .mock import MockVerbs
from .progress import due_count
from .replies import Outbound, Reply, Response, refuse
from .streaks import RoundDay, compute_streak

STREAK_LOOKBACK = dt.timedelta(days=400)  # rounds a reminder's streak is counted over (bounded work)
DEFAULT_LEAD = dt.timedelta(hours=3)  # the default reminder time: this long before the group's reveal
ROUND, DUE = "round", "due"


def next_moment(after: dt.datetime, hhmm: str, zone: str) -> dt.datetime:
    """The first local `hhmm` in `zone` strictly after `after` (a time DST skips moves forward)."""
    hour, minute = map(int, hhmm.split(":"))
    tz = ZoneInfo(zone)
    day = after.astimezone(tz).date()
    while True:
        moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz).astimezone(UTC)
        if moment > after:
            return moment
        day += dt.timedelta(days=1)


def kinds_due(*, quiet: bool, round_open_unanswered: bool, questions_due: int) -> list[str]:
    """Which reminders a member gets at their moment: the whole decision, pure."""
    if quiet:  # a paused, lost or closed group, or a moment of a day already past
        return []
    return [kind for kind, wanted in ((ROUND, round_open_unanswered), (DUE, questions_due > 0)) if wanted]


def default_time(group: Group, zone: str, now: dt.datetime) -> str:
    """DEFAULT_LEAD before the group's reveal (or halfway to it, for a short day), in the member's zone."""
    calendar = Calendar.of(group)
    post = calendar.post_at(calendar.today(now))
    lead = min(DEFAULT_LEAD, dt.timedelta(hours=group.reveal_hours) / 2)
    return (calendar.reveal_at(post) - lead).astimezone(ZoneInfo(zone)).strftime("%H:%M")


class PersonalClock(MockVerbs):
    # ---- the verb -------------------------------------------------------------------------------

    async def remind(self, actor: Actor, words: str = "") -> Response:
        """`remind`, `remind on [HH:MM]`, `remind HH:MM`, `remind off`, `remind tz ZONE`."""
        parts = (words or "").split()
        verb, rest = (parts[0].lower() if parts else ""), " ".join(parts[1:])
        time = zone = None
        try:
            if verb == "on":
                time = read_time(rest) if rest else None
            elif verb == "tz":
                zone = read_timezone(rest)
            elif verb == "off" and rest:
                raise InputError(f"nothing follows off (got {rest[:30]!r})")
            elif verb not in ("", "off"):
                time, verb = read_time(" ".join(parts)), "on"  # `/study remind 18:00`
        except InputError as error:
            return Response(refuse(f"{error}. Use `/study remind on [HH:MM]`, `/study remind off` or `/study remind tz ZONE` (like Europe/Berlin)."))
        now = self.now()

        def work(session: Session) -> Reply:
            group, member = self.member_here(session, actor, now)
            setting = session.get(MemberSetting, member.id) or MemberSetting(member_id=member.id, remind=False)
            session.add(setting)
            if verb == "tz":
                setting.timezone = zone
            elif verb == "on":
                setting.remind = True
                setting.remind_time = time or setting.remind_time or default_time(group, setting.timezone or group.timezone, now)
            elif verb == "off":
                setting.remind, setting.next_remind_at = False, None
            own = setting.timezone or group.timezone
            if setting.remind:
                setting.next_remind_at = next_moment(now, setting.remind_time, own)
            session.flush()
            return self._remind_status(group, setting, own, now)

        return await self.transact(work)

    @staticmethod
    def _remind_status(group: Group, setting: MemberSetting, zone: str, now: dt.datetime) -> Reply:
        where = f"your timezone {zone}" + (" (the group's)" if not setting.timezone else "")
        if not setting.remind:
            return Reply(text=f"Reminders are off ({where}). `/study remind on [HH:MM]` turns them on.")
        text = (
            f"Reminders on at {setting.remind_time}, {where}; the next {format_local(setting.next_remind_at, zone)}. "
            "Then: today's question if you have not answered it and its reveal is still to come (with your streak), "
            "and the questions due again on your repetition schedule; at most one of each a day. `/study remind off` stops them."
        )
        calendar = Calendar.of(group)
        moment = setting.next_remind_at
        post = calendar.post_at(calendar.today(moment))
        if calendar.is_study_day(calendar.today(moment)) and not post <= moment < calendar.reveal_at(post):
            opens, closes = (m.astimezone(ZoneInfo(zone)).strftime("%H:%M") for m in (post, calendar.reveal_at(post)))
            text += f"\nNote: the group's question is open from {opens} to {closes} your time, so a reminder at {setting.remind_time} can only tell you about questions due again."
        return Reply(text=text)

    # ---- the sweep ------------------------------------------------------------------------------

    async def personal_due(self, now: dt.datetime, bank: Bank, size: int = 100) -> AsyncIterator[list[Outbound]]:
        """Reminders and mock reports due at `now`, in committed batches of about `size`."""
        while True:
            out, more = await self.db.run(lambda session: self._personal_batch(session, bank, now, size))
            if out:
                yield out
            if not more:
                return

    def _personal_batch(self, session: Session, bank: Bank, now: dt.datetime, size: int) -> tuple[list[Outbound], bool]:
        reports = self.due_mock_reports(session, bank, now, size)
        reminders, looked = self._due_reminders(session, now, size)
        return reports + reminders, looked == size or len(reports) == size

    def _due_reminders(self, session: Session, now: dt.datetime, size: int) -> tuple[list[Outbound], int]:
        rows = session.execute(self.served(
            select(MemberSetting, Member, Group).join(Member, Member.id == MemberSetting.member_id).join(Group, Group.id == Member.group_id)
            .where(MemberSetting.remind.is_(True), MemberSetting.next_remind_at <= now)
        ).order_by(MemberSetting.next_remind_at, MemberSetting.member_id).limit(size)).all()
        out = []
        for setting, member, group in rows:
            zone = setting.timezone or group.timezone
            local_day = now.astimezone(ZoneInfo(zone)).date()
            stale = setting.next_remind_at.astimezone(ZoneInfo(zone)).date() < local_day  # a day missed (the bot was down): not now
            setting.next_remind_at = next_moment(now, setting.remind_time, zone)  # whatever happens, the next one is tomorrow's
            calendar = Calendar.of(group)
            quiet = stale or not group.active or group.lost_at is not None or calendar.is_paused(calendar.today(now))
            round_ = None if quiet else self._open_round_at(session, group, now)
            unanswered = round_ is not None and not session.scalar(select(Answer.id).where(
                Answer.round_id == round_.id, Answer.member_id == member.id, Answer.question_id == round_.question_id, Answer.late.is_(False)).limit(1))
            questions_due = 0 if quiet else due_count(session, member.id, now)
            for kind in kinds_due(quiet=quiet, round_open_unanswered=unanswered, questions_due=questions_due):
                if not insert_ignore(session, Reminder, dict(member_id=member.id, kind=kind, local_date=local_day, created_at=now)):
                    continue  # already reminded today
                text = self._round_text(session, group, member, round_, zone) if kind == ROUND else _due_text(questions_due)
                out.append(Outbound(group.id, group.platform, group.channel_id, "dm", Reply(text=text), user_id=member.user_id))
        return out, len(rows)

    @staticmethod
    def _open_round_at(session: Session, group: Group, now: dt.datetime) -> Round | None:
        latest = session.scalar(select(Round).where(Round.group_id == group.id).order_by(Round.study_date.desc()).limit(1))
        if latest is None or latest.revealed_at is not None or latest.delivered_at is None or not latest.posted_at <= now < latest.reveal_at:
            return None
        return latest

    def _round_text(self, session: Session, group: Group, member: Member, round_: Round, zone: str) -> str:
        question = self.question(round_.question_id)
        title = f"“{question.title}”" if question else "today's question"
        streak = member_streak(session, group, member, round_.study_date)
        keep = f"Your streak is {streak}: answer to keep it going." if streak else "Answer it to start a streak."
        return f"Reminder: you have not answered {title} yet; it is revealed {format_local(round_.reveal_at, zone)}. {keep} `/study today` shows it. (`/study remind off` stops reminders.)"

    def personal_moments(self, session: Session, group_id: int) -> list[dt.datetime]:
        """When a group's members have something due: the next reminder, the first mock deadline."""
        remind = session.scalar(select(func.min(MemberSetting.next_remind_at)).join(Member, Member.id == MemberSetting.member_id)
                                .where(Member.group_id == group_id, MemberSetting.remind.is_(True)))
        mock = session.scalar(select(func.min(Practice.ends_at)).join(Member, Member.id == Practice.member_id)
                              .where(Member.group_id == group_id, Practice.closed_at.is_(None)))
        return [m for m in (remind, mock) if m is not None]


def _due_text(count: int) -> str:
    those = "question is" if count == 1 else "questions are"
    return f"Reminder: {count} {those} due again on your repetition schedule. `/study due` lists them; `/study practice` starts with them. (`/study remind off` stops reminders.)"


def member_streak(session: Session, group: Group, member: Member, today: dt.date) -> int:
    """The member's current streak, over the rounds of the last STREAK_LOOKBACK (a bounded read)."""
    since = today - STREAK_LOOKBACK
    rounds = session.execute(select(Round.id, Round.study_date, Round.revealed_at, Round.bonus)
                             .where(Round.group_id == group.id, Round.study_date >= since)).all()
    answered = set(session.scalars(select(Answer.round_id).join(Round, Round.id == Answer.round_id).where(
        Answer.member_id == member.id, Answer.late.is_(False), Round.group_id == group.id, Round.study_date >= since)))
    return compute_streak([RoundDay(r.study_date, r.id in answered, r.revealed_at is None, r.bonus) for r in rounds]).current
