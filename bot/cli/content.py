"""`studybot content lint|stats|show`: look after the question bank."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from bot.bank import DEFAULT_CONTENT_DIR, BankError, SqlQuestion, load_bank
from bot.bank.killers import suggest_killers
from bot.bank.lint import lint
from bot.bank.mutation import Cache, analyse, store, tally, unlisted_survivors
from bot.bank.present import question_text
from bot.grading import Checker

from .common import UsageError, add_content_option, fail, refuse, resolve_question


def register(subparsers, helptext: str) -> None:
    parser = subparsers.add_parser("content", help=helptext)
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    lint_parser = verbs.add_parser(
        "lint",
        help="validate question files and prove every SQL check with the real checker",
        description="Validate question files (default: the whole bank). Exit 0 when clean, 1 with the lint's "
        "reasons, 2 when a file does not load (its problems on stderr).",
    )
    lint_parser.add_argument("paths", metavar="PATH", nargs="*", type=Path, help="question files or directories")
    lint_parser.add_argument("--workers", type=int, default=None, help="checker worker processes")
    lint_parser.add_argument("--no-cache", action="store_true", help="rerun every mutation analysis instead of reusing cached results")
    add_content_option(lint_parser)
    lint_parser.set_defaults(handler=run_lint)

    mutate = verbs.add_parser(
        "mutate",
        help="mutate SQL solutions; list mutants no dataset rejects, with a dataset that would",
        description=(
            "Run every mutant of each SQL question's solution against its datasets. For each "
            "survivor no dataset rejects (and the question does not list as equivalent), search "
            "for a small dataset that does and print it as ready-to-paste YAML. Exit 1 when "
            "any survivor is left, 0 when none."
        ),
    )
    mutate.add_argument("ids", metavar="ID", nargs="*", help="question ids (default: every SQL question)")
    mutate.add_argument("--json", action="store_true", help="machine-readable output")
    mutate.add_argument("--workers", type=int, default=None, help="checker worker processes")
    mutate.add_argument("--no-cache", action="store_true", help="rerun instead of reusing cached results")
    add_content_option(mutate)
    mutate.set_defaults(handler=run_mutate)

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
    cache = None if args.no_cache else Cache.default()
    try:
        with Checker(workers=args.workers) as checker:
            problems, count = lint(args.paths, checker, root=args.content, cache=cache)
    except BankError as error:
        return refuse(error)
    for problem in problems:
        print(problem)
    if problems:
        print(f"\n{len(problems)} problem{'s' if len(problems) != 1 else ''} in {len({p.file for p in problems})} file(s).")
        return 1
    print(f"{count} question{'s' if count != 1 else ''}: no problems.")
    return 0


def run_mutate(args) -> int:
    try:
        bank = load_bank(args.content or DEFAULT_CONTENT_DIR)
    except BankError as error:
        return refuse(error)
    sql = [q for q in bank if isinstance(q, SqlQuestion)]
    unknown = [i for i in args.ids if i not in {q.id for q in sql}]
    if unknown:
        return fail(f"no SQL question {', '.join(map(repr, unknown))} in {bank.root}; `studybot content stats --json` lists them")
    chosen = [q for q in sql if not args.ids or q.id in args.ids]
    cache = None if args.no_cache else Cache.default()
    with Checker(workers=args.workers) as checker:
        analyses = analyse(chosen, checker, cache)
        survivors = []
        for question in chosen:
            analysis = analyses[question.id]
            left = unlisted_survivors(question, analysis)
            if left and any(o.description not in analysis.killers for o in left):
                suggest_killers(question, analysis, checker, [o.description for o in left])
                store(question, analysis, cache)
            survivors += [(question, o, analysis.killers.get(o.description)) for o in left]
            if not args.json:
                _print_question(question, bank.files[question.id].relative_to(bank.root), analysis, left)
    figures = tally(chosen, analyses)
    if args.json:
        print(json.dumps({
            "survivors": [
                {"question": q.id, "operator": o.operator, "description": o.description, "mutant_sql": o.sql, "killer_yaml": k}
                for q, o, k in survivors
            ],
            "problems": {q.id: analyses[q.id].problem for q in chosen if analyses[q.id].problem},
            "operators": figures,
        }, indent=2))
    else:
        print(f"\n{'operator':<12}{'generated':>10}{'killed':>8}{'equivalent':>12}{'survived':>10}")
        for operator, row in figures.items():
            print(f"{operator:<12}{row['generated']:>10}{row['killed']:>8}{row['equivalent']:>12}{row['survived']:>10}")
        print(f"\n{len(survivors)} unlisted survivor{'s' if len(survivors) != 1 else ''} in {len({q.id for q, _, _ in survivors})} question(s).")
    broken = any(analyses[q.id].problem for q in chosen)
    return 1 if survivors or broken else 0


def _print_question(question, file, analysis, left) -> None:
    if analysis.problem:
        print(f"{file}: cannot mutate: {analysis.problem}")
        return
    killed = sum(not o.survived for o in analysis.outcomes)
    listed = len(analysis.survivors) - len(left)
    print(f"{file}: {len(analysis.outcomes)} mutants, {killed} killed, {listed} listed as equivalent, {len(left)} surviving")
    for outcome in left:
        print(f"\n  survivor  {outcome.description}")
        print("  " + outcome.sql.replace("\n", "\n  "))
        killer = analysis.killers.get(outcome.description)
        if killer:
            print("  a hidden dataset that rejects it (check it fits the prompt, and rename it for its trap):")
            print("    " + killer.rstrip().replace("\n", "\n    "))
        else:
            print("  no dataset found that rejects it; if it means the same as the solution, list it:")
            print("    equivalent_mutants:")
            print(f"      - mutant: {json.dumps(outcome.description, ensure_ascii=False)}")
            print("        reason: ONE LINE: why no data the prompt allows can tell it apart")


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
