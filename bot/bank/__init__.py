"""The question bank: pydantic models of the content format, the loader and the linter."""

from .loader import DEFAULT_CONTENT_DIR, Bank, BankError, Problem, load_bank, read_question
from .models import CATEGORIES, DIFFICULTIES, TRACKS, AnyQuestion, Question, SqlQuestion, WrittenQuestion

__all__ = [
    "CATEGORIES",
    "DEFAULT_CONTENT_DIR",
    "DIFFICULTIES",
    "TRACKS",
    "AnyQuestion",
    "Bank",
    "BankError",
    "Problem",
    "Question",
    "SqlQuestion",
    "WrittenQuestion",
    "load_bank",
    "read_question",
]
