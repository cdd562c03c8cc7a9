"""The `studybot` command line.

Each command group lives in its own module under `bot/cli/` and adds itself to the
parser with `register(subparsers, helptext)`; a command's handler returns the exit code. Only
the module of the command being run is imported (the others' imports, the database
and chat libraries among them, cost a cold start half a second).
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys

from bot import __version__

# Commands, in the order `studybot --help` lists them: name, module, the line shown there.
COMMANDS = {
    "check": ("bot.cli.check", "grade SQL answers against a question"),
    "content": ("bot.cli.content", "lint, count and show the question bank"),
    "console": ("bot.cli.console", "run one study group in the terminal (no token needed)"),
    "db": ("bot.cli.db", "create or migrate the database schema"),
    "run": ("bot.cli.run", "run the bot on Discord or Slack (tokens from the environment or .env)"),
}


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for `argv`: the command it names in full, the others by name and help
    line only. Without `argv`, every command in full."""
    parser = argparse.ArgumentParser(
        prog="studybot",
        description="Daily interview-prep study groups: run the bot, try it in a console, check SQL answers.",
    )
    parser.add_argument("--version", action="version", version=f"studybot {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    command = None if argv is None else next((a for a in argv if not a.startswith("-")), "")
    for name, (module, helptext) in COMMANDS.items():
        if command is None or name == command:
            importlib.import_module(module).register(subparsers, helptext)
        else:
            subparsers.add_parser(name, help=helptext, add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    if hasattr(signal, "SIGPIPE"):  # `studybot content stats | head` ends quietly
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
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
