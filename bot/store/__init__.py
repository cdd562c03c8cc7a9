"""Persistence: SQLAlchemy models and the session factory (alembic/ builds this schema)."""

from .db import Database, DatabaseUnavailable, normalize_url
from .models import Answer, Base, Clock, Digest, Group, HintUse, Member, Review, Round, ScoreEntry

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
    "Review",
    "Round",
    "ScoreEntry",
    "normalize_url",
]
