"""Small pieces the command modules share."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bot.bank import DEFAULT_CONTENT_DIR, AnyQuestion, BankError, load_bank, read_question


class UsageError(Exception):
    """A command was called wrongly; the message says how to call it right (exit 2)."""


def fail(message: str) -> int:
    print(f"studybot: {message}", file=sys.stderr)
    return 2


def refuse(error: BankError) -> int:
    """An invalid question file or bank: one `file: field: problem` line each on stderr (exit 2)."""
    for problem in error.problems:
        print(problem, file=sys.stderr)
    return 2


def add_content_option(parser) -> None:
    parser.add_argument(
        "--content",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"question bank directory (default: the bundled bank, {DEFAULT_CONTENT_DIR})",
    )


def resolve_question(ref: str, content: Path | None) -> AnyQuestion:
    """A question from a YAML path anywhere on disk, or an id in the bank.

    UsageError for a reference that names nothing; BankError (the loader's problems)
    for a file or bank that does not load.
    """
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or os.path.lexists(path):
        if not os.path.lexists(path):
            raise UsageError(f"no such question file: {ref}")
        return read_question(path)  # a broken link or a directory is the loader's to name
    bank = load_bank(content or DEFAULT_CONTENT_DIR)
    question = bank.get(ref)
    if question is None:
        raise UsageError(f"{ref!r} is neither a question file nor a question id in {bank.root}")
    return question
