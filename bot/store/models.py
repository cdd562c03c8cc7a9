"""The database schema (SQLAlchemy 2). `alembic/` builds exactly this.

The database is the source of truth for what is due: a round is unique per group and
study date, every answer revision is a row written before it is acknowledged, a
reveal is a time on the round, and points are a ledger recomputed from those facts.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def partial_index(name: str, column: str, where: str) -> Index:
    """An index of only the rows where `where` holds, on SQLite and PostgreSQL alike: what
    the sweep asks for stays small however long the history grows."""
    return Index(name, column, sqlite_where=text(where), postgresql_where=text(where))


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in Python, naive UTC in the database (the same on every backend)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to the database; use aware UTC")
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=dt.timezone.utc)


class Group(Base):
    """One study channel on one platform, with its schedule and choices.

    A channel is named within its workspace (a Slack team, a Discord guild; "" in the
    console): a Slack Connect channel shared by two workspaces has one id in both."""

    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("platform", "workspace_id", "channel_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace_id: Mapped[str] = mapped_column(String(64), default="")
    channel_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    post_time: Mapped[str] = mapped_column(String(5), default="09:00")  # HH:MM, local
    study_days: Mapped[str] = mapped_column(String(32), default="mon,tue,wed,thu,fri")
    reveal_hours: Mapped[int] = mapped_column(Integer, default=9)
    categories: Mapped[list] = mapped_column(JSON, default=list)  # empty: all
    tracks: Mapped[list] = mapped_column(JSON, default=list)  # empty: all
    difficulty_mix: Mapped[dict] = mapped_column(JSON, default=dict)  # {"easy": 1, ...}
    dialect: Mapped[str] = mapped_column(String(16), default="duckdb")
    owners: Mapped[list] = mapped_column(JSON, default=list)  # platform user ids
    paused_until: Mapped[dt.date | None] = mapped_column(Date)  # inclusive; far future: open-ended
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    lost_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # the channel vanished; admins told
    # What a platform adapter keeps for its group beyond the core's settings (Discord: the
    # role pinged on the daily post, spoiler-safe threads); the core never reads it.
    adapter_options: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    rounds: Mapped[list[Round]] = relationship(back_populates="group", order_by="Round.study_date")


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(100), default="")
    joined_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Round(Base):
    """One question posted to one group on one study date."""

    __tablename__ = "rounds"
    __table_args__ = (
        UniqueConstraint("group_id", "study_date"),
        # What the sweep asks every minute, kept small however long the history grows:
        # the reveals and closes still to do, and the posts, reveals and edits not yet confirmed.
        partial_index("ix_rounds_unrevealed", "reveal_at", "revealed_at IS NULL"),
        partial_index("ix_rounds_undelivered", "posted_at", "delivered_at IS NULL"),
        partial_index("ix_rounds_reveal_undelivered", "revealed_at", "revealed_at IS NOT NULL AND reveal_delivered_at IS NULL"),
        partial_index("ix_rounds_unclosed", "revealed_at", "revealed_at IS NOT NULL AND closed_at IS NULL"),
        partial_index("ix_rounds_post_edit_owed", "revealed_at", "revealed_at IS NOT NULL AND post_edited_at IS NULL"),
        partial_index("ix_rounds_reveal_edit_owed", "closed_at", "closed_at IS NOT NULL AND reveal_edited_at IS NULL"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    study_date: Mapped[dt.date] = mapped_column(Date)
    question_id: Mapped[str] = mapped_column(String(100))
    skipped: Mapped[list] = mapped_column(JSON, default=list)  # question ids replaced by /study skip
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # the scheduled post time
    posted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # when the round was opened
    reveal_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revealed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    message_ref: Mapped[str | None] = mapped_column(String(128))  # the platform's post id
    thread_ref: Mapped[str | None] = mapped_column(String(128))  # the platform's thread id
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reveal_delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reveal_ref: Mapped[str | None] = mapped_column(String(128))  # the platform's id of the reveal's message
    # When the sweep closed the round (its review window over) and had its buttons edited to say so.
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # When the platform confirmed the button edits: the question post's for the reveal
    # (Answer is late practice), the reveal's for the close. Owed until then.
    post_edited_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reveal_edited_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Opened on a day that was not a study day (an admin's post on a holiday): answering
    # it counts, missing it never breaks a streak.
    bonus: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    group: Mapped[Group] = relationship(back_populates="rounds")


class Answer(Base):
    """One revision of one member's answer to a round's question; the latest counts.

    Revisions are numbered per question: after /study skip the replacement starts at 1."""

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("round_id", "member_id", "question_id", "revision"),
        # One platform message is one answer, however often it is delivered and by
        # however many workers at once (NULL, for private answers, never collides).
        UniqueConstraint("round_id", "member_id", "message_ref"),
        Index("ix_answers_member_round", "member_id", "round_id"),
        partial_index("ix_answers_unchecked", "created_at", "verdict IS NULL AND dialect IS NOT NULL"),  # checks a crash or outage lost
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(100))  # the round's question when answered
    revision: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    dialect: Mapped[str | None] = mapped_column(String(16))
    verdict: Mapped[str | None] = mapped_column(String(16))  # SQL only; None while being checked
    feedback: Mapped[str | None] = mapped_column(Text)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    via: Mapped[str] = mapped_column(String(16), default="private")  # thread | private
    message_ref: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class HintUse(Base):
    __tablename__ = "hint_uses"
    __table_args__ = (UniqueConstraint("round_id", "member_id", "question_id", "hint_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(100))
    hint_index: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Review(Base):
    """One member's rubric review of another member's answer in a round."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("round_id", "author_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"))
    points_met: Mapped[list] = mapped_column(JSON, default=list)  # rubric indexes
    rubric_size: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ScoreEntry(Base):
    """Points one member holds from one round, by kind; rebuilt whenever its facts change."""

    __tablename__ = "score_entries"
    __table_args__ = (
        UniqueConstraint("round_id", "member_id", "kind"),
        Index("ix_score_entries_leaderboard", "group_id", "study_date", "member_id", "points"),
        Index("ix_score_entries_member", "member_id", "points"),  # a member's total, in /study stats
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    study_date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))  # answer | review
    points: Mapped[int] = mapped_column(Integer)


class Digest(Base):
    """A group's weekly digest: claimed by insert, so it is built once, and sent again
    until the platform confirms it (`delivered_at`), like posts and reveals."""

    __tablename__ = "digests"
    __table_args__ = (
        UniqueConstraint("group_id", "week_start"),
        partial_index("ix_digests_undelivered", "created_at", "delivered_at IS NULL"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    week_start: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Clock(Base):
    """A simulated clock (the console's), kept so a restart resumes at the same moment."""

    __tablename__ = "clocks"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    now: Mapped[dt.datetime] = mapped_column(UTCDateTime)
