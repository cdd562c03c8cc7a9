"""`studybot check QUESTION ANSWER... [--dialect D] [--json]`: grade SQL answers.

The output is a contract other tools rely on: with --json, one object per answer,
one per line, in the order given; exit 0 when every answer is correct, 1 when any is
not, 2 for a usage error or an invalid question file.
"""

from __future__ import annotations

import json
import sys

from bot.bank import BankError, SqlQuestion
from bot.grading import DIALECTS, Checker, CheckResult, Limits, TaskError, Verdict, normalize_dialect

from .common import UsageError, add_content_option, fail, refuse, resolve_question


def register(subparsers, helptext: str) -> None:
    parser = subparsers.add_parser(
        "check",
        help=helptext,
        description="Grade SQL answers against a question's datasets in the sandboxed checker.",
    )
    parser.add_argument("question", metavar="QUESTION", help="a question YAML file, or a question id in the bank")
    parser.add_argument("answers", metavar="ANSWER", nargs="+", help="a file holding one answer, or - for stdin")
    parser.add_argument("--dialect", default="duckdb", help=f"dialect of answers without a tagged code fence: {', '.join(DIALECTS)} (default: duckdb)")
    parser.add_argument("--json", action="store_true", help="one JSON object per answer, one per line")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core, 2 to 8)")
    parser.add_argument("--timeout", type=float, default=Limits.timeout, help="seconds per answer (default: %(default)s)")
    add_content_option(parser)
    parser.set_defaults(handler=run)


def _read_answers(refs: list[str]) -> list[tuple[str, bytes]]:
    if refs.count("-") > 1:
        raise UsageError("stdin (-) can be given only once")
    answers = []
    for ref in refs:
        if ref == "-":
            answers.append((ref, sys.stdin.buffer.read()))
            continue
        try:
            with open(ref, "rb") as handle:
                answers.append((ref, handle.read()))
        except OSError as error:
            raise UsageError(f"cannot read answer {ref}: {error.strerror}") from None
    return answers


def run(args) -> int:
    try:
        dialect = normalize_dialect(args.dialect)
        question = resolve_question(args.question, args.content)
        if not isinstance(question, SqlQuestion):
            raise UsageError(f"{question.id!r} is a {question.category} question; only sql questions can be checked")
        answers = _read_answers(args.answers)
    except BankError as error:
        return refuse(error)
    except (UsageError, ValueError) as error:
        return fail(str(error))
    if args.workers is not None and args.workers < 1:
        return fail("--workers must be at least 1")

    task = question.task()
    workers = args.workers or min(len(answers), Checker.default_workers())
    with Checker(workers=workers, limits=Limits(timeout=args.timeout)) as checker:
        futures = []
        for _, raw in answers:
            try:
                futures.append(checker.submit_check(task, raw.decode("utf-8"), dialect))
            except UnicodeDecodeError:
                futures.append(CheckResult(Verdict.ERROR, "The answer is not UTF-8 text; save it as UTF-8 and try again.", dialect=dialect))
        all_correct = True
        for (ref, _), pending in zip(answers, futures):
            try:
                result = pending if isinstance(pending, CheckResult) else pending.result()
            except TaskError as error:
                return fail(f"question {question.id!r} cannot be graded: {error}")
            all_correct &= result.correct
            print(_format(ref, result, args.json), flush=True)
    return 0 if all_correct else 1


def _format(ref: str, result: CheckResult, as_json: bool) -> str:
    if as_json:
        return json.dumps({"answer": ref, **result.to_json()}, ensure_ascii=False)
    marks = ", ".join(f"{d.name} {'✓' if d.passed else '✗'}" for d in result.datasets)
    lines = [f"{ref}: {result.verdict.value.upper()} ({result.elapsed_ms} ms, {result.dialect})", f"  {result.message}"]
    if marks:
        lines.append(f"  datasets: {marks}")
    return "\n".join(lines)
