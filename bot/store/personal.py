"""The schema of each member's own loop: practice, mock interviews, the repetition
schedule and reminders. Kept apart from `models.py` (the group's loop), on the same Base.

Practice answers and self-review marks are facts, like a round's answers and reviews;
`Progress` (what a member knows of a question: its outcomes and where it stands in
their repetition schedule) is derived from the facts and rebuilt whenever they change.
Nothing here ever touches `score_entries`: practice never changes a leaderboard.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, UTCDateTime


class MemberSetting(Base):
    """A member's own choices: reminders on or off, at what local time, in which timezone."""

    __tablename__ = "member_settings"
    __table_args__ = (Index("ix_member_settings_next_remind_at", "next_remind_at"),)  # the sweep's one range scan

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    remind: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    remind_time: Mapped[str | None] = mapped_column(String(5))  # HH:MM in `timezone`
    timezone: Mapped[str | None] = mapped_column(String(64))  # None: the group's
    next_remind_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # None while reminders are off


class Reminder(Base):
    """One reminder sent: claimed by insert, so a kind goes at most once a member's local day."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("member_id", "kind", "local_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # round | due
    local_date: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Practice(Base):
    """A sitting: one practice question, or a mock interview's timed set. Open while `closed_at` is None."""

    __tablename__ = "practices"
    __table_args__ = (
        Index("ix_practices_member_id_closed_at", "member_id", "closed_at"),
        Index("ix_practices_closed_at_ends_at", "closed_at", "ends_at"),  # open mocks whose time is up
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # practice | mock
    topic: Mapped[str] = mapped_column(String(200), default="")  # what was asked for, as read
    track: Mapped[str | None] = mapped_column(String(32))  # a mock's interview track
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # a mock's time limit
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_how: Mapped[str | None] = mapped_column(String(16))  # solved | answered | stopped | replaced | finished | timeout


class PracticeItem(Base):
    """One question of a sitting, with what the member did with it (hints, self-review)."""

    __tablename__ = "practice_items"
    __table_args__ = (
        UniqueConstraint("practice_id", "position"),
        Index("ix_practice_items_member_id_question_id", "member_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[str] = mapped_column(String(100))
    shown_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # a mock shows its questions one at a time
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # the first answer
    hints_taken: Mapped[int] = mapped_column(Integer, default=0)
    marks: Mapped[list | None] = mapped_column(JSON)  # self-review: rubric indexes met; None until marked
    rubric_size: Mapped[int | None] = mapped_column(Integer)
    marked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class PracticeAnswer(Base):
    """One answer to a practice item (SQL may be tried again until right); stored before it is acknowledged."""

    __tablename__ = "practice_answers"
    __table_args__ = (UniqueConstraint("item_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("practice_items.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    dialect: Mapped[str | None] = mapped_column(String(16))  # SQL only
    verdict: Mapped[str | None] = mapped_column(String(16))  # None while being checked (and for prose)
    feedback: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Progress(Base):
    """What a member knows of one question, from every outcome (daily rounds, practice,
    mocks): derived, and rebuilt from the facts whenever they change (bot.study.progress)."""

    __tablename__ = "progress"
    __table_args__ = (
        UniqueConstraint("member_id", "question_id"),
        Index("ix_progress_member_id_due_at", "member_id", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(100))
    attempts: Mapped[int] = mapped_column(Integer)  # outcomes counted
    credit: Mapped[float] = mapped_column(Float)  # their sum: 1 per correct SQL answer, the rubric share of a written one
    last_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    step: Mapped[int | None] = mapped_column(Integer)  # place on the repetition ladder; None: not scheduled
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    mastered: Mapped[bool] = mapped_column(Boolean, default=False)
