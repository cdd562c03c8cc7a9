"""Reading question files, one at a time or the whole bank.

Every problem is reported as `file: field: problem`, one line each and one per root
cause, and a bank with any problem is refused whole: a half-loaded bank would post
questions with broken checks. Nothing else escapes: what a file holds (bytes, YAML,
fields) and how it is linked (broken or looping symlinks, FIFOs) end as a Problem.
"""

from __future__ import annotations

import difflib
import os
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from .models import CATEGORIES, AnyQuestion, Question, SqlQuestion, WrittenQuestion
from .reading import FileProblem, dotted, os_problem, read_mapping

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"
YAML_SUFFIXES = (".yaml", ".yml")
MAX_PROBLEMS_PER_FILE = 20

_LINE_BREAKS = re.compile(r"\s*[\r\n\t\v\f\x85\u2028\u2029]+\s*")


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    message: str

    def __post_init__(self):
        # One line, whatever went in (a database's multi-line message, a pasted value).
        for name in ("file", "field", "message"):
            object.__setattr__(self, name, _LINE_BREAKS.sub(" ", str(getattr(self, name))).strip() or "(file)")

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


# ---- one file ----------------------------------------------------------------------------


def read_question(path: Path, display: str | None = None) -> AnyQuestion:
    """One question file anywhere on disk; BankError with every problem in it."""
    question, problems, _ = _parse(Path(path), display or str(path))
    if problems:
        raise BankError(problems)
    return question


def placement_problems(path: Path, name: str, question_id, category) -> list[Problem]:
    """A file in a bank is named `<id>.yaml` and sits in its category's folder."""
    path = Path(path)
    problems = []
    if isinstance(question_id, str) and path.stem != question_id:
        problems.append(Problem(name, "id", f"is {question_id!r} but the file is named {path.name}"))
    in_bank = path.parent.parent.name == "questions"
    if in_bank and category in CATEGORIES and path.parent.name != category:
        problems.append(Problem(name, "category", f"is {category!r} but the file is in {path.parent.name}/"))
    return problems


def _parse(path: Path, name: str) -> tuple[AnyQuestion | None, list[Problem], dict | None]:
    try:
        data = read_mapping(path)
    except FileProblem as problem:
        return None, [Problem(name, problem.field, problem.message)], None
    question, problems = _validate(data, name)
    return question, problems, data


# The fields only a sql question has, by the name a file uses (`schema`, not `schema_sql`).
SQL_ONLY = frozenset(f.alias or n for n, f in SqlQuestion.model_fields.items()) - frozenset(
    f.alias or n for n, f in Question.model_fields.items()
)


_REQUIRED_SQL = tuple(f.alias or n for n, f in SqlQuestion.model_fields.items() if (f.alias or n) in SQL_ONLY and f.is_required())


def _validate(data: dict, name: str) -> tuple[AnyQuestion | None, list[Problem]]:
    category = data.get("category")
    known = isinstance(category, str) and category in CATEGORIES
    sql_fields = [key for key in data if key in SQL_ONLY]
    # `category` picks the model; when it is not a category the fields say which was meant,
    # so the other model's complaints (consequences of the one typo) never appear.
    is_sql = category == "sql" if known else bool(sql_fields)
    try:
        return (SqlQuestion if is_sql else WrittenQuestion).model_validate(data), []
    except ValidationError as error:
        errors = error.errors()
    problems = []
    if is_sql and known and not sql_fields:
        problems.append(Problem(
            name, "category",
            f"is 'sql', but the file has none of the sql fields ({', '.join(_REQUIRED_SQL)}); "
            "add them, or set the category of a written question",
        ))
        errors = [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in {(f,) for f in _REQUIRED_SQL})]
    elif not known:
        problems.append(Problem(name, "category", _category_problem(data)))
        errors = [e for e in errors if tuple(e["loc"][:1]) != ("category",)]
    elif sql_fields and not is_sql:
        many = len(sql_fields) > 1
        problems.append(Problem(
            name, "category",
            f"is {category!r}, but the file has the sql field{'s' if many else ''} {', '.join(sql_fields)}; "
            f"set `category: sql` or remove {'them' if many else 'it'}",
        ))
        errors = [e for e in errors if not (e["type"] == "extra_forbidden" and tuple(e["loc"])[:1] in {(f,) for f in sql_fields})]
    problems += _field_problems(name, errors)
    if len(problems) > MAX_PROBLEMS_PER_FILE:
        hidden = len(problems) - MAX_PROBLEMS_PER_FILE
        problems = problems[:MAX_PROBLEMS_PER_FILE] + [Problem(name, "(file)", f"{hidden} more problems not shown")]
    return None, problems


def _category_problem(data: dict) -> str:
    allowed = f"one of: {', '.join(CATEGORIES)}"
    if "category" not in data:
        return f"missing field; {allowed}"
    value = data["category"]
    if not isinstance(value, str):
        return f"must be {allowed}"
    shown = value if len(value) <= 40 else value[:37] + "..."
    guess = next((c for c in CATEGORIES if c == value.strip().casefold()), None) or next(
        iter(difflib.get_close_matches(value.casefold(), CATEGORIES, n=1)), None
    )
    hint = f" (did you mean {guess!r}?)" if guess else ""
    return f"{shown!r} is not a category{hint}; use {allowed}"


_MESSAGES = {
    "string_type": "must be text",
    "string_pattern_mismatch": "must be kebab-case: lowercase letters and digits joined by hyphens, like 'window-functions'",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    "model_type": "must be a mapping of fields",
    "model_attributes_type": "must be a mapping of fields",
    "dict_type": "must be a mapping of fields",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
}


def _field_problems(name: str, errors: list[dict]) -> list[Problem]:
    """pydantic's errors as problems; a misspelt field is one problem, not 'unknown' plus 'missing'."""
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    renamed: dict[tuple, tuple] = {}  # the misspelt loc -> the missing loc it stands for
    for e in errors:
        loc = tuple(e["loc"])
        if e["type"] == "extra_forbidden" and loc and isinstance(loc[-1], str):
            siblings = [m[-1] for m in missing if m[:-1] == loc[:-1] and m not in renamed.values()]
            close = difflib.get_close_matches(loc[-1], [str(s) for s in siblings], n=1, cutoff=0.75)
            if close:
                renamed[loc] = loc[:-1] + (close[0],)
    problems = []
    for e in errors:
        loc = tuple(e["loc"])
        if loc in renamed.values() and e["type"] == "missing":
            continue
        where = dotted(loc) or "(file)"
        if loc in renamed:
            problems.append(Problem(name, where, f"unknown field; did you mean {renamed[loc][-1]}? (it is missing)"))
        elif e["type"] == "extra_forbidden":
            problems.append(Problem(name, where, "unknown field"))
        elif e["type"] == "missing":
            problems.append(Problem(name, where, "missing field"))
        else:
            message = _MESSAGES.get(e["type"]) or e.get("msg", "invalid").removeprefix("Value error, ")
            problems.append(Problem(name, where, message))
    return problems


# ---- the bank ------------------------------------------------------------------------------


def load_bank(root: Path | str = DEFAULT_CONTENT_DIR, *, max_age: float = 0.0) -> Bank:
    """Read and validate every question under `root/questions/<category>/<id>.yaml`.

    Blocking: call it from a thread (`asyncio.to_thread`) when on an event loop.
    Results (a bank or its refusal) are cached until a file under `root/questions`
    changes: each call lists the folders and stats each file once. With `max_age`,
    a result checked less than `max_age` seconds ago is returned without touching the
    disk, so the callers within one answer can share one check.
    """
    root = _resolve(root)
    with _cache_lock:
        cached = _cache.get(root)
    if cached and time.monotonic() - cached.checked < max_age:
        return cached.result()
    files, problems = _scan(root)
    fingerprint = (tuple(files), tuple(problems))
    if cached and cached.fingerprint == fingerprint:
        cached.checked = time.monotonic()
        return cached.result()
    try:
        outcome: Bank | BankError = _load(root, [path for path, _ in files], problems)
    except BankError as error:
        outcome = error
    entry = _Cached(fingerprint, time.monotonic(), outcome)
    with _cache_lock:
        _cache[root] = entry
    return entry.result()


@dataclass
class _Cached:
    fingerprint: tuple
    checked: float  # time.monotonic() of the last look at the files
    outcome: Bank | BankError

    def result(self) -> Bank:
        if isinstance(self.outcome, BankError):
            raise BankError(list(self.outcome.problems))
        return self.outcome


_cache: dict[Path, _Cached] = {}
_cache_lock = threading.Lock()


def _resolve(root: Path | str) -> Path:
    try:
        return Path(root).resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a symlink loop
        raise BankError([Problem(str(root), "(bank)", "is a symbolic link loop; point it at a question bank")]) from None


def _scan(root: Path) -> tuple[list[tuple[Path, tuple]], list[Problem]]:
    """The question files (each with its stat, for the cache) and what is wrong with the folders."""
    questions = root / "questions"
    try:
        entries = sorted(os.scandir(questions), key=lambda e: e.name)
    except OSError:
        raise BankError([Problem(str(root), "(bank)", "no questions/ directory here")]) from None
    files: list[tuple[Path, tuple]] = []
    problems: list[Problem] = []
    for entry in entries:
        name = f"questions/{entry.name}"
        if entry.name.endswith(YAML_SUFFIXES):
            problems.append(Problem(name, "(file)", "is not in a category folder; move it to questions/<category>/"))
            continue
        try:
            if not entry.is_dir():
                if entry.is_symlink():
                    os.stat(entry.path)  # raises for a broken link, which would hide a category
                continue
            inside = sorted(os.scandir(entry.path), key=lambda e: e.name)
        except OSError as error:
            problems.append(Problem(name, "(folder)", os_problem(Path(entry.path), error, "a folder")))
            continue
        for item in inside:
            if item.name.endswith(YAML_SUFFIXES):
                try:
                    info = item.stat()
                    files.append((Path(item.path), (info.st_mtime_ns, info.st_size, info.st_ino)))
                except OSError as error:  # broken or looping link: _parse names it
                    files.append((Path(item.path), ("unreadable", error.errno)))
    return files, problems


def _load(root: Path, files: list[Path], problems: list[Problem]) -> Bank:
    problems = list(problems)
    questions: dict[str, AnyQuestion] = {}
    where: dict[str, Path] = {}
    for path in files:
        name = str(path.relative_to(root))
        question, found, data = _parse(path, name)
        problems += found
        if data is not None:
            blamed = {p.field for p in found}
            problems += [
                p
                for p in placement_problems(path, name, data.get("id"), data.get("category"))
                if p.field not in blamed  # an invalid id or category is one problem, not two
            ]
        if question is None:
            continue
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
