"""Small pieces the command modules share."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.bank import DEFAULT_CONTENT_DIR, AnyQuestion, BankError, load_bank, read_question


class UsageError(Exception):
    """A command was called wrongly; the message says how to call it right (exit 2)."""


def fail(message: str) -> int:
    print(f"studybot: {message}", file=sys.stderr)
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
    """A question from a YAML path anywhere on disk, or an id in the bank."""
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise UsageError(f"no such question file: {ref}")
        try:
            return read_question(path)
        except BankError as error:
            raise UsageError(f"invalid question file {error}") from None
    try:
        bank = load_bank(content or DEFAULT_CONTENT_DIR)
    except BankError as error:
        raise UsageError(f"the question bank is invalid: {error}") from None
    question = bank.get(ref)
    if question is None:
        raise UsageError(f"{ref!r} is neither a question file nor a question id in {bank.root}")
    return question
