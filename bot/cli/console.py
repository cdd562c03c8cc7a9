"""`studybot console`: run one study group in the terminal, no token needed."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.bank import BankError, load_bank
from bot.chat.console import CHANNEL, CLOCK_NAME, NOT_TEXT, PLATFORM, Console, parse_local, run_console
from bot.grading import Checker
from bot.settings import load_settings
from bot.store import Database
from bot.study import Study
from bot.study.core import BANK_RECHECK
from bot.study.group_settings import UTC

from .common import add_content_option, fail, refuse

WELCOME = """studybot console: one study group, a simulated clock, the real checker.
Try, in order:
  /study setup time=09:00 tz=Europe/Berlin days=mon-fri categories=sql
  /study post                      post today's question now
  SELECT ...                       a plain line is your answer in the thread
  /as ada                          speak as another member
  /clock +1d                       move time on; posts and reveals happen as they fall due
  /study leaderboard               and /study help for every verb; /help for the console's own
"""


def register(subparsers, helptext: str) -> None:
    parser = subparsers.add_parser("console", help=helptext)
    parser.add_argument("--db", default=None, help="database URL or SQLite path (default: DATABASE_URL or ./studybot.db)")
    parser.add_argument("--script", type=Path, default=None, help="run the commands in FILE, echoing each with its reply")
    parser.add_argument(
        "--now", default=None,
        help="start the simulated clock at 'YYYY-MM-DD HH:MM', the group's local time (UTC before there is a group); "
             "default: where the console's clock was left, or the real time",
    )
    parser.add_argument("--workers", type=int, default=None, help="SQL checker worker processes")
    add_content_option(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    settings = load_settings(database_url=args.db, content_dir=args.content)
    if args.now and parse_local(args.now) is None:
        return fail(f"--now {args.now!r}: use 'YYYY-MM-DD HH:MM' (the group's local time)")
    try:
        load_bank(settings.content_dir)
    except BankError as error:
        return refuse(error)
    if args.script is not None and not args.script.is_file():
        return fail(f"no such script: {args.script}")
    scripted = args.script is not None or not sys.stdin.isatty()
    return asyncio.run(_main(settings, args.now, args.script, scripted, args.workers))


async def _main(settings, now: str | None, script: Path | None, scripted: bool, workers: int | None) -> int:
    database = Database(settings.database_url)
    await asyncio.to_thread(database.upgrade)
    async with Checker(workers=workers or settings.checker_workers) as checker:
        study = Study(database, lambda: load_bank(settings.content_dir, max_age=BANK_RECHECK), checker, clock=lambda: dt.datetime.now(UTC))
        start = await _start(study, now)
        if start is None:
            database.dispose()
            return fail(f"--now {now!r} is before the console's clock, which only moves forward ({await study.clock_reading(CLOCK_NAME):%Y-%m-%d %H:%M} UTC); leave --now out to carry on, or use a new --db")
        console = Console(study, start)
        await console.keep_time()
        await study.recheck_pending()
        if scripted:
            lines = _script_lines(script) if script else _stdin_lines()
            await run_console(console, lines, echo=True)
        else:
            console.say(WELCOME)
            await run_console(console, _stdin_lines(prompt="› "), echo=False)
    database.dispose()
    return 0


async def _start(study: Study, now: str | None) -> dt.datetime | None:
    """Where the clock starts: --now (in the group's zone), else where it was left, else now."""
    kept = await study.clock_reading(CLOCK_NAME)
    if now is None:
        return kept or dt.datetime.now(UTC).replace(second=0, microsecond=0)
    zone = ZoneInfo(await study.timezone_of(PLATFORM, CHANNEL) or "UTC")
    start = parse_local(now).replace(tzinfo=zone).astimezone(UTC)
    return None if kept and start < kept else start


async def _script_lines(path: Path):
    """A script's lines; a line that is not UTF-8 is told, not fatal."""
    for number, raw in enumerate(path.read_bytes().splitlines(), 1):
        yield _decoded(raw, f"{path.name}, line {number}")


async def _stdin_lines(prompt: str = ""):
    """Lines from standard input, one at a time, read in a thread so the event loop stays free."""
    while True:
        if prompt:
            print(prompt, end="", flush=True)
        raw = await asyncio.to_thread(sys.stdin.buffer.readline)
        if not raw:
            return
        yield _decoded(raw.rstrip(b"\r\n"), "that line")


def _decoded(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return f"{NOT_TEXT} {where} is not UTF-8 text"
