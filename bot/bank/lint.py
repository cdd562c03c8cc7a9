"""`studybot content lint`: the bank's house style, and proofs that SQL checks work.

For every SQL question the real checker proves that the solution passes on every
dataset and returns rows on the sample, that every wrong answer runs and is rejected
somewhere, that every mutant of the solution is rejected somewhere or listed as
equivalent (and that listed ones still are), and that every hidden dataset rejects
a wrong answer or a mutant.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import combinations
from pathlib import Path

import duckdb

from bot.grading import Checker, TaskError, Verdict

from .coverage import constraint_problems, coverage_problems
from .killers import suggest_killers
from .loader import BankError, Problem, load_bank, placement_problems, read_question
from .models import AnyQuestion, SqlQuestion
from .mutation import Analysis, Cache, analyse, store, unlisted_survivors
from .rows import read_tables

ID_PREFIX = {
    "sql": "sql-",
    "statistics": "stat-",
    "experimentation": "exp-",
    "product-metrics": "pm-",
    "ml": "ml-",
    "ml-system-design": "mlsd-",
    "python": "py-",
    "behavioral": "beh-",
}
MAX_TITLE = 80
MAX_PROMPT = 1500
MAX_ANSWER = 3500
MAX_RUBRIC_POINT = 200
RUBRIC_POINTS = (3, 6)
HINTS = (1, 3)
TAGS = (1, 5)
MIN_HIDDEN_DATASETS = 2
MIN_WRONG_ANSWERS = 3


def house_rules(question: AnyQuestion, file: str) -> list[Problem]:
    """Problems with one question against the bank's style (content/README.md)."""
    problems = []

    def add(field: str, message: str) -> None:
        problems.append(Problem(file, field, message))

    prefix = ID_PREFIX[question.category]
    if not question.id.startswith(prefix):
        add("id", f"{question.category} ids start with {prefix!r}")
    if len(question.title) > MAX_TITLE:
        add("title", f"{len(question.title)} characters; at most {MAX_TITLE}")
    if len(question.prompt) > MAX_PROMPT:
        add("prompt", f"{len(question.prompt)} characters; at most {MAX_PROMPT}")
    if len(question.answer) > MAX_ANSWER:
        add("answer", f"{len(question.answer)} characters; at most {MAX_ANSWER}")
    _count(add, "rubric", len(question.rubric), RUBRIC_POINTS, "points")
    for i, point in enumerate(question.rubric):
        if len(point) > MAX_RUBRIC_POINT:
            add(f"rubric[{i}]", f"{len(point)} characters; a point a peer can tick is at most {MAX_RUBRIC_POINT}")
    _count(add, "hints", len(question.hints), HINTS, "hints")
    _count(add, "tags", len(question.tags), TAGS, "tags")
    if isinstance(question, SqlQuestion):
        if question.sample.name != "sample":
            add("datasets", f"the visible dataset is named {question.sample.name!r}; name it 'sample'")
        hidden = len(question.datasets) - 1
        if hidden < MIN_HIDDEN_DATASETS:
            add("datasets", f"{hidden} hidden dataset{'s' if hidden != 1 else ''}; at least {MIN_HIDDEN_DATASETS}")
        _count(add, "wrong_answers", len(question.wrong_answers), (MIN_WRONG_ANSWERS, 99), "wrong answers")
    return problems


def _count(add, field: str, n: int, bounds: tuple[int, int], what: str) -> None:
    low, high = bounds
    if not low <= n <= high:
        add(field, f"{n} {what}; {low} to {high}" if high < 99 else f"{n} {what}; at least {low}")


_WORD = re.compile(r"[a-z0-9]+")


def _shingles(text: str, size: int = 3) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + size]) for i in range(max(len(words) - size + 1, 1))}


def near_duplicates(questions: Iterable[tuple[AnyQuestion, str]], title_ratio=0.85, prompt_overlap=0.5) -> list[Problem]:
    """Pairs of questions whose titles or prompts say nearly the same thing."""
    items = list(questions)
    shingles = {q.id: _shingles(q.prompt) for q, _ in items}
    problems = []
    for (a, file_a), (b, _) in combinations(items, 2):
        ratio = difflib.SequenceMatcher(None, a.title.lower(), b.title.lower()).ratio()
        if ratio >= title_ratio:
            problems.append(Problem(file_a, "title", f"nearly the same as {b.id!r} ({b.title!r})"))
            continue
        sa, sb = shingles[a.id], shingles[b.id]
        overlap = len(sa & sb) / max(min(len(sa), len(sb)), 1)
        if overlap >= prompt_overlap:
            problems.append(Problem(file_a, "prompt", f"{overlap:.0%} of it repeats the prompt of {b.id!r}"))
    return problems


def prove_sql(question: SqlQuestion, file: str, checker: Checker) -> tuple[list[Future], Future]:
    """Queue the checks that prove a SQL question: futures of problems, and one of the
    datasets the wrong answers fail on (None when the question cannot be graded)."""
    task = question.task()

    def problems_of(fn):
        def wrapped(future: Future) -> list[Problem]:
            try:
                return fn(future.result())
            except TaskError as error:
                return [_task_problem(file, error)]

        return wrapped

    def solution_passes(result) -> list[Problem]:
        if result.verdict is Verdict.CORRECT:
            return []
        return [Problem(file, "solution", f"does not pass its own check: {result.message}")]

    def sample_has_rows(run) -> list[Problem]:
        if run.error:
            return [Problem(file, "solution", f"fails on the sample: {run.error}")]
        if not run.rows:
            return [Problem(file, "solution", "returns no rows on the sample; members would see an empty example")]
        return []

    def wrong_answer(i: int):
        def verdict(result) -> list[Problem]:
            if result.verdict is Verdict.CORRECT:
                return [Problem(file, f"wrong_answers[{i}]", "passes every dataset; add a dataset that exposes it")]
            if result.verdict is not Verdict.INCORRECT:
                return [Problem(file, f"wrong_answers[{i}]", f"does not run, so it proves nothing: {result.message}")]
            return []

        return verdict

    checks = [
        (checker.submit_check(task, question.solution), problems_of(solution_passes)),
        (checker.submit_run(task, question.solution, max_rows=1), problems_of(sample_has_rows)),
    ]
    wrong = [checker.submit_check(task, w.sql) for w in question.wrong_answers]
    checks += [(future, problems_of(wrong_answer(i))) for i, future in enumerate(wrong)]

    def killed(_) -> set[str] | None:
        found: set[str] = set()
        for future in wrong:
            try:
                result = future.result()
            except TaskError:
                return None
            if result.verdict is Verdict.INCORRECT:
                found |= {d.name for d in result.datasets if not d.passed}
        return found

    return [_mapped(f, fn) for f, fn in checks], _after(wrong, killed)


def mutation_problems(question: SqlQuestion, file: str, analysis: Analysis) -> list[Problem]:
    """Unlisted survivors, and listed equivalents that are not (or no longer exist)."""
    if analysis.problem:
        return [Problem(file, "solution", f"mutation analysis cannot run: {analysis.problem}")]
    problems = [
        Problem(
            file,
            "datasets",
            f"no dataset rejects the mutant {o.description}; add a hidden dataset that does "
            f"(`studybot content mutate {question.id}` suggests one), or if it means the same as "
            "the solution, list it under equivalent_mutants with the reason",
        )
        for o in unlisted_survivors(question, analysis)
    ]
    outcomes = analysis.by_description()
    for i, entry in enumerate(question.equivalent_mutants):
        where = f"equivalent_mutants[{i}]"
        outcome = outcomes.get(entry.mutant)
        if outcome is None:
            problems.append(Problem(file, where, f"{entry.mutant!r} is not a mutant of the solution (any more); remove the entry"))
        elif not outcome.survived:
            problems.append(Problem(file, where, f"dataset `{outcome.killed_by[0]}` rejects this mutant, so it is not equivalent; remove the entry"))
        elif analysis.killers.get(entry.mutant):
            sql = " ".join(analysis.killers[entry.mutant].split("sql: |", 1)[-1].split())
            problems.append(Problem(file, where, f"not equivalent: this dataset tells it apart from the solution: {sql} Add it as a hidden dataset and remove the entry"))
    return problems


def dead_weight(question: SqlQuestion, file: str, killed: set[str] | None, analysis: Analysis, covering: set[str]) -> list[Problem]:
    """Hidden datasets that reject no wrong answer and no mutant, and alone cover no edge."""
    if killed is None:
        return []
    useful = killed | {name for o in analysis.outcomes for name in o.killed_by} | covering
    return [
        Problem(file, f"datasets.{d.name}", "rejects none of the wrong answers and none of the mutants, and is not the only dataset with some edge of the data (dead weight)")
        for d in question.datasets
        if not d.visible and d.name not in useful
    ]


def data_problems(question: SqlQuestion, file: str) -> tuple[list[Problem], set[str]]:
    """Declared constraints against the schema and the datasets, and the data coverage."""
    try:
        schema, datasets = read_tables(question)
    except duckdb.Error:  # a schema or dataset that does not load is reported by the proofs
        return [], set()
    problems = constraint_problems(question, file, schema, datasets)
    if problems:
        return problems, set()
    return coverage_problems(question, file, schema, datasets)


_TASK_FIELD = re.compile(r"^(?:(?P<part>schema|solution) |dataset '(?P<dataset>[^']+)' )")


def _task_problem(file: str, error: TaskError) -> Problem:
    """The checker cannot load the question: one problem at the part at fault.

    Every check of the question fails with the same error; `lint` keeps one of them.
    """
    message = str(error).split("\n\n")[0]  # DuckDB's `LINE 1: ... ^^^` context means nothing on one line
    match = _TASK_FIELD.match(message)
    if not match:
        return Problem(file, "schema/datasets/solution", message)
    field = match["part"] or f"datasets.{match['dataset']}"
    return Problem(file, field, message[match.end():])


def _mapped(future: Future, fn) -> Future:
    out: Future = Future()
    future.add_done_callback(lambda f: out.set_result(fn(f)))
    return out


def _after(futures: list[Future], fn) -> Future:
    out: Future = Future()
    remaining = [len(futures)]

    def one_done(_):
        remaining[0] -= 1
        if remaining[0] == 0:
            out.set_result(fn(None))

    if not futures:
        out.set_result([])
    for f in futures:
        f.add_done_callback(one_done)
    return out


def lint(
    paths: list[Path] | None, checker: Checker, root: Path | None = None, cache: Cache | None = None
) -> tuple[list[Problem], int]:
    """Every problem in the given files (default: the whole bank), and how many questions loaded.

    Files that do not load are the loader's refusal: BankError, before anything is proved.
    """
    problems: list[Problem] = []
    found: list[tuple[AnyQuestion, str]] = []
    if not paths:
        bank = load_bank(root) if root else load_bank()
        found = [(q, str(bank.files[q.id].relative_to(bank.root))) for q in bank]
    else:
        invalid: list[Problem] = []
        for path in _expand(paths):
            try:
                question = read_question(path)
            except BankError as error:
                invalid += error.problems
                continue
            found.append((question, str(path)))
            problems += placement_problems(path, str(path), question.id, question.category)
        if invalid:
            raise BankError(invalid)
    for question, file in found:
        problems += house_rules(question, file)
    problems += near_duplicates(found)
    sql = [(q, file) for q, file in found if isinstance(q, SqlQuestion)]
    proofs = [(q, file, *prove_sql(q, file, checker)) for q, file in sql]
    analyses = analyse([q for q, _ in sql], checker, cache)

    def in_process(item: tuple[SqlQuestion, str]) -> tuple[list[Problem], set[str]]:
        question, file = item
        _verify_equivalents(question, analyses[question.id], checker, cache)
        return data_problems(question, file)

    with ThreadPoolExecutor(max(1, checker.workers)) as pool:  # DuckDB lets go of the GIL while it runs
        data_results = list(pool.map(in_process, sql))
    for (question, file, pending, killed), (data, covering) in zip(proofs, data_results):
        for future in pending:
            problems += future.result()
        analysis = analyses[question.id]
        problems += mutation_problems(question, file, analysis)
        problems += data
        problems += dead_weight(question, file, killed.result(), analysis, covering)
    return list(dict.fromkeys(problems)), len(found)  # one line per root cause, however many checks hit it


def _verify_equivalents(question: SqlQuestion, analysis: Analysis, checker: Checker, cache: Cache | None) -> None:
    """Search for a dataset that tells each listed equivalent apart (once per content: cached)."""
    survivors = {o.description for o in analysis.survivors}
    unproven = [e.mutant for e in question.equivalent_mutants if e.mutant in survivors and e.mutant not in analysis.killers]
    if unproven:
        suggest_killers(question, analysis, checker, unproven)
        store(question, analysis, cache)


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
        else:
            files.append(path)
    return files

