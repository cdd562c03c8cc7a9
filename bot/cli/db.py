"""`studybot db upgrade|downgrade`: build or change the schema with Alembic."""

from __future__ import annotations

from bot.settings import load_settings
from bot.store import Database


def register(subparsers, helptext: str) -> None:
    parser = subparsers.add_parser("db", help=helptext)
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    for name, helptext, default in (("upgrade", "migrate up (default: to the newest schema)", "head"), ("downgrade", "migrate down to a revision (base: drop everything)", None)):
        verb = verbs.add_parser(name, help=helptext)
        verb.add_argument("revision", nargs="?" if default else None, default=default, help="an Alembic revision, head or base")
        verb.add_argument("--db", dest="database_url", default=None, help="database URL or SQLite path (default: DATABASE_URL or ./studybot.db)")
        verb.set_defaults(handler=run, verb_name=name)


def run(args) -> int:
    database = Database(load_settings(database_url=args.database_url).database_url)
    try:
        if args.verb_name == "upgrade":
            database.upgrade(args.revision)
        else:
            database.downgrade(args.revision)
    finally:
        database.dispose()
    print(f"database {args.verb_name}d to {args.revision}: {database.engine.url.render_as_string(hide_password=True)}")
    return 0
