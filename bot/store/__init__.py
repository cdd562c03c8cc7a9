"""Persistence: SQLAlchemy models and the session factory (alembic/ builds this schema)."""

from .db import Database, DatabaseUnavailable, normalize_url
from .models import Answer, Base, Clock, Digest, Group, HintUse, Member, Review, Round, ScoreEntry
from .personal import MemberSetting, Practice, PracticeAnswer, PracticeItem, Progress, Reminder

__all__ = [
    "Answer",
    "Base",
    "Clock",
    "Database",
    "DatabaseUnavailable",
    "Digest",
    "Group",
    "HintUse",
    "Member",
    "MemberSetting",
    "Practice",
    "PracticeAnswer",
    "PracticeItem",
    "Progress",
    "Reminder",
    "Review",
    "Round",
    "ScoreEntry",
    "normalize_url",
]
