"""`studybot content lint|stats|show`: look after the question bank."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from bot.bank import DEFAULT_CONTENT_DIR, BankError, SqlQuestion, load_bank
from bot.bank.lint import lint
from bot.bank.present import question_text
from bot.grading import Checker

from .common import UsageError, add_content_option, fail, refuse, resolve_question


def register(subparsers) -> None:
    parser = subparsers.add_parser("content", help="lint, count and show the question bank")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    lint_parser = verbs.add_parser(
        "lint",
        help="validate question files and prove every SQL check with the real checker",
        description="Validate question files (default: the whole bank). Exit 0 when clean, 1 with the lint's "
        "reasons, 2 when a file does not load (its problems on stderr).",
    )
    lint_parser.add_argument("paths", metavar="PATH", nargs="*", type=Path, help="question files or directories")
    lint_parser.add_argument("--workers", type=int, default=None, help="checker worker processes")
    add_content_option(lint_parser)
    lint_parser.set_defaults(handler=run_lint)

    stats = verbs.add_parser("stats", help="counts by category, difficulty, track and tag")
    stats.add_argument("--json", action="store_true", help="machine-readable output")
    add_content_option(stats)
    stats.set_defaults(handler=run_stats)

    show = verbs.add_parser("show", help="print a question as a member would see it")
    show.add_argument("question", metavar="ID", help="a question id in the bank, or a question file")
    show.add_argument("--reveal", action="store_true", help="also print the hints, rubric and model answer")
    add_content_option(show)
    show.set_defaults(handler=run_show)


def run_lint(args) -> int:
    missing = [str(p) for p in args.paths if not os.path.lexists(p)]  # a broken link is the loader's to name
    if missing:
        return fail(f"no such file or directory: {', '.join(missing)}")
    try:
        with Checker(workers=args.workers) as checker:
            problems, count = lint(args.paths, checker, root=args.content)
    except BankError as error:
        return refuse(error)
    for problem in problems:
        print(problem)
    if problems:
        print(f"\n{len(problems)} problem{'s' if len(problems) != 1 else ''} in {len({p.file for p in problems})} file(s).")
        return 1
    print(f"{count} question{'s' if count != 1 else ''}: no problems.")
    return 0


def bank_stats(bank) -> dict:
    questions = list(bank)
    sql = [q for q in questions if isinstance(q, SqlQuestion)]
    by_cat_diff: dict[str, Counter] = {}
    for q in questions:
        by_cat_diff.setdefault(q.category, Counter())[q.difficulty] += 1
    return {
        "questions": len(questions),
        "by_category": dict(Counter(q.category for q in questions).most_common()),
        "by_difficulty": dict(Counter(q.difficulty for q in questions).most_common()),
        "by_category_difficulty": {c: dict(sorted(v.items())) for c, v in sorted(by_cat_diff.items())},
        "by_track": dict(Counter(t for q in questions for t in q.tracks).most_common()),
        "by_tag": dict(Counter(t for q in questions for t in q.tags).most_common()),
        "sql": {
            "questions": len(sql),
            "min_hidden_datasets": min((len(q.datasets) - 1 for q in sql), default=0),
            "min_wrong_answers": min((len(q.wrong_answers) for q in sql), default=0),
            "per_question": {
                q.id: {"hidden_datasets": len(q.datasets) - 1, "wrong_answers": len(q.wrong_answers)} for q in sql
            },
        },
    }


def run_stats(args) -> int:
    try:
        bank = load_bank(args.content or DEFAULT_CONTENT_DIR)
    except BankError as error:
        return refuse(error)
    stats = bank_stats(bank)
    if args.json:
        print(json.dumps(stats, indent=2))
        return 0
    print(f"{stats['questions']} questions in {bank.root}\n")
    print("by category and difficulty:")
    for category, counts in stats["by_category_difficulty"].items():
        detail = ", ".join(f"{n} {d}" for d, n in counts.items())
        print(f"  {category:<18} {sum(counts.values()):>4}   ({detail})")
    print("\nby track:")
    for track, n in stats["by_track"].items():
        print(f"  {track:<18} {n:>4}")
    print("\ntop tags:")
    print("  " + ", ".join(f"{t} {n}" for t, n in list(stats["by_tag"].items())[:20]))
    s = stats["sql"]
    print(f"\nsql: {s['questions']} questions; at least {s['min_hidden_datasets']} hidden datasets and {s['min_wrong_answers']} wrong answers each")
    return 0


def run_show(args) -> int:
    try:
        question = resolve_question(args.question, args.content)
    except BankError as error:
        return refuse(error)
    except UsageError as error:
        return fail(str(error))
    print(question_text(question))
    if args.reveal:
        if question.hints:
            print("\nHints:\n" + "\n".join(f"{i}. {h}" for i, h in enumerate(question.hints, 1)))
        print("\nRubric:\n" + "\n".join(f"- {p}" for p in question.rubric))
        print("\nModel answer:\n" + question.answer.strip())
    return 0
