"""Mutation analysis: do a SQL question's datasets reject the mistakes a machine can make?

Every mutant of the solution (`bot.grading.mutants`) is graded by the real checker, in
the same sandbox and under the same time limit as an answer. A mutant no dataset
rejects is a survivor: either a dataset is missing (`bot.bank.killers` searches for
one) or it means the same as the solution, and the question lists it under
`equivalent_mutants` with the reason. Results are cached by the question's checked
content and this tool's own source, so an unchanged bank lints fast.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections import Counter
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import sqlglot

from bot.grading import Checker, CheckResult, TaskError, Verdict
from bot.grading.mutants import Mutant, MutationError, mutants, parse

from .models import SqlQuestion
from .rows import column_types

_SOURCES = ("grading/mutants/*.py", "bank/mutation.py", "bank/killers.py", "bank/generate.py", "bank/rows.py")


@functools.cache
def tool_version() -> str:
    """Changes whenever the operators, the runner or the search change."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"{sqlglot.__version__} {duckdb.__version__}".encode())
    for pattern in _SOURCES:
        for path in sorted(root.glob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Outcome:
    operator: str
    description: str
    sql: str
    verdict: str  # the checker's verdict on the mutant: "correct" means it survived
    killed_by: tuple[str, ...] = ()  # the datasets that reject it
    focus: str = ""  # the column the edit is about

    @property
    def survived(self) -> bool:
        return self.verdict == Verdict.CORRECT.value


@dataclass
class Analysis:
    """One question's mutants and what became of them."""

    outcomes: list[Outcome] = field(default_factory=list)
    problem: str | None = None  # why the analysis could not run
    killers: dict[str, str | None] = field(default_factory=dict)  # survivor -> killer YAML (None: none found)

    @property
    def survivors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.survived]

    def by_description(self) -> dict[str, Outcome]:
        return {o.description: o for o in self.outcomes}

    def to_json(self) -> dict:
        return {"outcomes": [asdict(o) for o in self.outcomes], "problem": self.problem, "killers": self.killers}

    @classmethod
    def from_json(cls, data: dict) -> Analysis:
        outcomes = [Outcome(**{**o, "killed_by": tuple(o["killed_by"])}) for o in data["outcomes"]]
        return cls(outcomes, data.get("problem"), dict(data.get("killers", {})))


def cache_key(question: SqlQuestion) -> str:
    """What the outcomes depend on: the checked content, not the prose."""
    checked = {
        "schema": question.schema_sql,
        "datasets": [(d.name, d.sql, d.visible) for d in question.datasets],
        "solution": question.solution,
        "order_matters": question.order_matters,
        "tolerance": question.tolerance,
        "constraints": {k: c.model_dump(mode="json") for k, c in sorted(question.constraints.items())},
    }
    payload = json.dumps(checked, sort_keys=True, default=str)
    return hashlib.sha256(f"{tool_version()}\x00{payload}".encode()).hexdigest()[:32]


class Cache:
    """Analyses on disk, one JSON file per key; a corrupt or foreign file is a miss."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    @classmethod
    def default(cls) -> Cache:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        return cls(Path(base) / "studybot" / "mutation")

    def get(self, key: str) -> Analysis | None:
        try:
            return Analysis.from_json(json.loads((self.directory / f"{key}.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, analysis: Analysis) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            temporary = self.directory / f".{key}.{os.getpid()}.tmp"
            temporary.write_text(json.dumps(analysis.to_json()), encoding="utf-8")
            temporary.replace(self.directory / f"{key}.json")
        except OSError:
            pass  # a read-only home only costs speed


_NAMED = re.compile(r"(?:hidden dataset `([^`]+)`|(the sample))")


def rejecting(result: CheckResult, sample: str) -> tuple[str, ...]:
    """The datasets on which an answer is not accepted."""
    if result.verdict is Verdict.CORRECT:
        return ()
    if result.verdict is Verdict.INCORRECT:
        return tuple(d.name for d in result.datasets if not d.passed)
    match = _NAMED.search(result.message)  # an error stops at the dataset it names
    if match:
        return (match.group(1) or sample,)
    return tuple(d.name for d in result.datasets) or (sample,)


class Pending:
    """A question's mutants queued on the checker; `result()` waits for them."""

    def __init__(self, question: SqlQuestion, checker: Checker):
        self.question = question
        self.task = question.task()
        self.problem: str | None = None
        self.mutants: list[Mutant] = []
        self.futures: list[Future] = []
        self.identity: Future | None = None
        try:
            types = column_types(question)
        except duckdb.Error:
            types = None  # the schema's own error is the identity check's to report
        try:
            tree = parse(question.solution)
            self.mutants = mutants(question.solution, question.order_matters, types)
        except MutationError as error:
            self.problem = str(error)
            return
        self.identity = checker.submit_check(self.task, tree.sql(dialect="duckdb"))
        self.futures = [checker.submit_check(self.task, m.sql) for m in self.mutants]

    def result(self) -> Analysis:
        if self.problem:
            return Analysis(problem=self.problem)
        try:
            identity = self.identity.result()
            if identity.verdict is not Verdict.CORRECT:
                return Analysis(problem=f"sqlglot's rewrite of the solution does not pass its own check ({identity.message})")
            sample = self.question.sample.name
            outcomes = [
                Outcome(m.operator, m.description, m.sql, r.verdict.value, rejecting(r, sample), m.focus)
                for m, r in zip(self.mutants, (f.result() for f in self.futures))
            ]
        except TaskError as error:
            return Analysis(problem=str(error))
        return Analysis(outcomes)


def analyse(questions: list[SqlQuestion], checker: Checker, cache: Cache | None = None) -> dict[str, Analysis]:
    """Every question's analysis, from the cache where it is fresh; all mutants run together."""
    found: dict[str, Analysis] = {}
    pending: dict[str, tuple[str, Pending]] = {}
    for question in questions:
        key = cache_key(question)
        cached = cache.get(key) if cache else None
        if cached is not None:
            found[question.id] = cached
        else:
            pending[question.id] = (key, Pending(question, checker))
    for question_id, (key, job) in pending.items():
        found[question_id] = job.result()
        if cache:
            cache.put(key, found[question_id])
    return found


def store(question: SqlQuestion, analysis: Analysis, cache: Cache | None) -> None:
    """Write back an analysis that has gained killers."""
    if cache:
        cache.put(cache_key(question), analysis)


def unlisted_survivors(question: SqlQuestion, analysis: Analysis) -> list[Outcome]:
    listed = {e.mutant for e in question.equivalent_mutants}
    return [o for o in analysis.survivors if o.description not in listed]


def tally(questions: list[SqlQuestion], analyses: dict[str, Analysis]) -> dict[str, dict[str, int]]:
    """Per operator: mutants generated, killed, listed as equivalent, surviving unlisted."""
    counts: dict[str, Counter] = {}
    for question in questions:
        analysis = analyses.get(question.id)
        if analysis is None:
            continue
        listed = {e.mutant for e in question.equivalent_mutants}
        for outcome in analysis.outcomes:
            row = counts.setdefault(outcome.operator, Counter())
            row["generated"] += 1
            if not outcome.survived:
                row["killed"] += 1
            elif outcome.description in listed:
                row["equivalent"] += 1
            else:
                row["survived"] += 1
    keys = ("generated", "killed", "equivalent", "survived")
    return {op: {k: row[k] for k in keys} for op, row in sorted(counts.items())}
