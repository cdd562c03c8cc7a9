"""The `studybot` command line.

Each command group lives in its own module under `bot/cli/` and adds itself to the
parser with `register(subparsers)`; a command's handler returns the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys

from bot import __version__

# Command modules, in the order `studybot --help` lists them.
COMMAND_MODULES = [
    "bot.cli.check",
    "bot.cli.content",
    "bot.cli.console",
    "bot.cli.db",
    "bot.cli.run",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studybot",
        description="Daily interview-prep study groups: run the bot, try it in a console, check SQL answers.",
    )
    parser.add_argument("--version", action="version", version=f"studybot {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    if hasattr(signal, "SIGPIPE"):  # `studybot content stats | head` ends quietly
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
