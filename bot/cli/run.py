"""`studybot run discord|slack`: run the bot on a chat platform.

Each platform's adapter lives in `bot/chat/<platform>/` and offers
`serve(settings, **options) -> int`; it is imported only when asked for, so the
console and the checker never load a chat library.
"""

from __future__ import annotations

import importlib
import logging

from bot.settings import load_settings

from .common import add_content_option


def register(subparsers, helptext: str) -> None:
    parser = subparsers.add_parser("run", help=helptext)
    platforms = parser.add_subparsers(dest="platform", metavar="PLATFORM", required=True)

    discord = platforms.add_parser("discord", help="a Discord bot (DISCORD_TOKEN)")
    slack = platforms.add_parser(
        "slack",
        help="a Slack app: Socket Mode (SLACK_BOT_TOKEN, SLACK_APP_TOKEN) or --http (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)",
    )
    slack.add_argument("--http", action="store_true", help="serve Slack's HTTP requests instead of Socket Mode")
    slack.add_argument("--port", type=int, default=None, help="HTTP port with --http (default: $PORT or 3000)")
    for parser in (discord, slack):
        parser.add_argument("--db", default=None, help="database URL or SQLite path (default: DATABASE_URL or ./studybot.db)")
        parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
        add_content_option(parser)
        parser.set_defaults(handler=run)


def run(args) -> int:
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = load_settings(database_url=args.db, content_dir=args.content)
    adapter = importlib.import_module(f"bot.chat.{args.platform}")
    options = {"http": args.http, "port": args.port} if args.platform == "slack" else {}
    return adapter.serve(settings, **options)
