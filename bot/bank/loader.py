"""Reading question files, one at a time or the whole bank.

Every problem is reported as `file: field: problem`, and a bank with any problem is
refused whole: a half-loaded bank would post questions with broken checks.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from .models import CATEGORIES, AnyQuestion, SqlQuestion, WrittenQuestion

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


class BankError(Exception):
    """The bank (or one file) is invalid; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}:\n{lines}")


@dataclass(frozen=True)
class Bank:
    """The loaded question bank, keyed by id."""

    root: Path
    questions: dict[str, AnyQuestion] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)  # id -> file

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self):
        return iter(self.questions.values())

    def get(self, question_id: str) -> AnyQuestion | None:
        return self.questions.get(question_id)


def read_question(path: Path, display: str | None = None) -> AnyQuestion:
    """One question file; BankError with every problem in it."""
    question, problems = _parse(Path(path), display or str(path))
    if problems:
        raise BankError(problems)
    return question


def _parse(path: Path, name: str) -> tuple[AnyQuestion | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(name, "(file)", "not UTF-8 text")]
    except OSError as error:
        return None, [Problem(name, "(file)", f"cannot read: {error.strerror}")]
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(yaml)"
        what = getattr(error, "problem", None) or str(error)
        return None, [Problem(name, where, f"YAML syntax error: {what}")]
    if not isinstance(data, dict):
        return None, [Problem(name, "(file)", "expected a mapping of fields (key: value)")]
    model = SqlQuestion if data.get("category") == "sql" else WrittenQuestion
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        return None, [_problem(name, e, data) for e in error.errors()]


def _problem(name: str, error: dict, data: dict) -> Problem:
    loc = error.get("loc", ())
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        sql_only = {"schema", "datasets", "solution", "order_matters", "tolerance", "wrong_answers", "equivalent_mutants", "constraints"}
        if loc and loc[-1] in sql_only and data.get("category") != "sql":
            return Problem(name, where, "only sql questions have this field")
        return Problem(name, where, "unknown field")
    if kind == "missing":
        return Problem(name, where, "missing field")
    if kind == "literal_error" and loc == ("category",):
        return Problem(name, where, f"must be one of: {', '.join(CATEGORIES)}")
    message = error.get("msg", "invalid").removeprefix("Value error, ")
    return Problem(name, where or "(file)", message)


def question_files(root: Path) -> list[Path]:
    return sorted((Path(root) / "questions").glob("*/*.yaml")) + sorted(
        (Path(root) / "questions").glob("*/*.yml")
    )


def load_bank(root: Path | str = DEFAULT_CONTENT_DIR) -> Bank:
    """Read and validate every question under `root/questions/<category>/<id>.yaml`.

    Blocking: call it from a thread (`asyncio.to_thread`) when on an event loop.
    Results are cached until a file under `root` changes.
    """
    root = Path(root).resolve()
    files = question_files(root)
    fingerprint = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    with _cache_lock:
        cached = _cache.get(root)
        if cached and cached[0] == fingerprint:
            return cached[1]
    bank = _load(root, files)
    with _cache_lock:
        _cache[root] = (fingerprint, bank)
    return bank


_cache: dict[Path, tuple[tuple, Bank]] = {}
_cache_lock = threading.Lock()


def _load(root: Path, files: list[Path]) -> Bank:
    if not (root / "questions").is_dir():
        raise BankError([Problem(str(root), "(bank)", "no questions/ directory here")])
    problems: list[Problem] = []
    questions: dict[str, AnyQuestion] = {}
    where: dict[str, Path] = {}
    for path in files:
        name = str(path.relative_to(root))
        question, found = _parse(path, name)
        problems += found
        if question is None:
            continue
        if path.parent.name != question.category:
            problems.append(Problem(name, "category", f"is {question.category!r} but the file is in {path.parent.name}/"))
        if path.stem != question.id:
            problems.append(Problem(name, "id", f"is {question.id!r} but the file is named {path.name}"))
        if question.id in questions:
            first = where[question.id].relative_to(root)
            problems.append(Problem(name, "id", f"{question.id!r} is also the id of {first}"))
            continue
        questions[question.id] = question
        where[question.id] = path
    titles = Counter(q.title.casefold() for q in questions.values())
    for qid, question in questions.items():
        if titles[question.title.casefold()] > 1:
            problems.append(Problem(str(where[qid].relative_to(root)), "title", f"{question.title!r} is used by another question"))
    if problems:
        raise BankError(problems)
    return Bank(root, questions, where)
