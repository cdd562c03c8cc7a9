"""`studybot console`: run one study group in the terminal, no token needed."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from pathlib import Path

from bot.bank import BankError, load_bank
from bot.chat.console import Console, run_console
from bot.grading import Checker
from bot.settings import load_settings
from bot.store import Database
from bot.study import Study
from bot.study.group_settings import UTC

from .common import add_content_option, fail

WELCOME = """studybot console: one study group, a simulated clock, the real checker.
Try, in order:
  /study setup time=09:00 tz=Europe/Berlin days=mon-fri categories=sql
  /study post                      post today's question now
  SELECT ...                       a plain line is your answer in the thread
  /as ada                          speak as another member
  /clock +1d                       move time on; posts and reveals happen as they fall due
  /study leaderboard               and /study help for every verb; /help for the console's own
"""


def register(subparsers) -> None:
    parser = subparsers.add_parser("console", help="run one study group in the terminal (no token needed)")
    parser.add_argument("--db", default=None, help="database URL or SQLite path (default: DATABASE_URL or ./studybot.db)")
    parser.add_argument("--script", type=Path, default=None, help="run the commands in FILE, echoing each with its reply")
    parser.add_argument("--now", default=None, help="start the simulated clock at 'YYYY-MM-DD HH:MM' UTC (default: the real time)")
    parser.add_argument("--workers", type=int, default=None, help="SQL checker worker processes")
    add_content_option(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    settings = load_settings(database_url=args.db, content_dir=args.content)
    if args.now:
        try:
            start = dt.datetime.strptime(args.now, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
        except ValueError:
            return fail(f"--now {args.now!r}: use 'YYYY-MM-DD HH:MM' (UTC)")
    else:
        start = dt.datetime.now(UTC).replace(second=0, microsecond=0)
    try:
        load_bank(settings.content_dir)
    except BankError as error:
        return fail(f"the question bank at {settings.content_dir} is invalid: {error}")
    if args.script is not None and not args.script.is_file():
        return fail(f"no such script: {args.script}")
    scripted = args.script is not None or not sys.stdin.isatty()
    return asyncio.run(_main(settings, start, args.script, scripted, args.workers))


async def _main(settings, start, script: Path | None, scripted: bool, workers: int | None) -> int:
    database = Database(settings.database_url)
    await asyncio.to_thread(database.upgrade)
    async with Checker(workers=workers or settings.checker_workers) as checker:
        study = Study(database, lambda: load_bank(settings.content_dir), checker, clock=lambda: start)
        console = Console(study, start)
        await study.recheck_pending()
        if scripted:
            lines = script.read_text(encoding="utf-8").splitlines() if script else sys.stdin.read().splitlines()
            await run_console(console, lines, echo=True)
        else:
            console.say(WELCOME)
            await run_console(console, _interactive_lines(), echo=False)
    database.dispose()
    return 0


async def _interactive_lines():
    """Prompted input lines, read in a thread so the event loop stays free."""
    while True:
        try:
            yield await asyncio.to_thread(input, "› ")
        except EOFError:
            return
