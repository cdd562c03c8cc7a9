"""Property-based tests of the loader: whatever is on disk, the answer is a bank or BankError.

Real bank files are corrupted (bytes flipped, inserted, deleted, truncated), nested
deeply, given random YAML values, and laid out with random symlinks. Every refusal
is BankError with one-line `file: field: problem` problems, names what is broken,
and leaves nothing behind: the files are as they were and the bank loads again once
they are restored. Seeded by the `ci` profile (tests/conftest.py), and sized to take
a few seconds together; HYPOTHESIS_PROFILE=long runs 50 times as many examples.
"""

import os
import re
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from support import FIXTURE_BANK

from bot.bank import CATEGORIES, BankError, load_bank, read_question
from bot.bank.reading import MAX_DEPTH

SOURCES = sorted(
    (str(path.relative_to(FIXTURE_BANK)), path.read_bytes()) for path in FIXTURE_BANK.glob("questions/*/*.yaml")
)
ONE_LINE = re.compile(r"^[^\n]+: [^\n]+: [^\n]+$")
YAML_BITS = [b":", b": ", b"- ", b"[", b"]", b"{", b"}", b"&a ", b"*a", b"!!", b"!!int ", b"\t", b"'", b'"', b"\n",
             b"---\n", b"? ", b"|", b">", b"%", b"@", b"`", b"#", b"\xff", b"\x00", b"\xc3", "\ufeff".encode(), b"  "]


def examples(n: int) -> settings:
    """n examples under the default profile, scaled with the profile's max_examples."""
    return settings(max_examples=max(1, n * settings.default.max_examples // 100))


def problems_of(call) -> list[str] | None:
    """None when `call` succeeds; its problems when it raises BankError; anything else fails the test."""
    try:
        call()
    except BankError as error:
        lines = [str(p) for p in error.problems]
        assert lines, "a refusal with no reason"
        for problem, line in zip(error.problems, lines):
            assert ONE_LINE.match(line), line
            assert problem.file and problem.field and problem.message, line
        return lines
    return None


def snapshot(root: Path) -> dict:
    """Everything the loader could change: each entry's kind, link target and bytes."""
    state = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            if path.is_symlink():
                state[str(path)] = ("link", os.readlink(path))
            elif path.is_file():
                state[str(path)] = ("file", path.read_bytes())
            else:
                state[str(path)] = ("other", os.lstat(path).st_mode)
    return state


# ---- corrupted and truncated files ---------------------------------------------------------


@st.composite
def corrupted(draw):
    name, original = draw(st.sampled_from(SOURCES))
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "repeat-line"]))
        if kind == "flip" and at < len(data):
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "truncate":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(YAML_BITS) | st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "repeat-line":
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            end = len(data) if end < 0 else end + 1
            data[end:end] = data[start:end]
    return name, bytes(data)


@examples(60)
@given(corrupted())
def test_a_corrupted_file_is_loaded_or_refused_plainly_and_the_same_by_both_loaders(case):
    name, data = case
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / name
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        single = problems_of(lambda: read_question(path, display=name))
        before = snapshot(root)
        whole = problems_of(lambda: load_bank(root))
        assert snapshot(root) == before  # the loader never writes
        # The bank reports what the single file does, plus only where the file sits.
        assert set(single or ()) <= set(whole or ()), (single, whole)
        extra = set(whole or ()) - set(single or ())
        assert all(": id: is " in p or ": category: is " in p for p in extra), extra
        if whole is not None:
            # A refusal leaves nothing behind: restored, the file loads as it always did.
            original = dict(SOURCES)[name]
            path.write_bytes(original)
            os.utime(path, ns=(1, 1))  # a different stat than the corrupted file's, even within a clock tick
            assert load_bank(root).get(yaml.safe_load(original)["id"]) is not None


# ---- deep nesting ------------------------------------------------------------------------------


def nested(form: str, depth: int) -> str:
    if form == "flow-list":
        return "[" * depth + "1" + "]" * depth
    if form == "flow-map":
        return "{a: " * depth + "1" + "}" * depth
    if form == "unclosed":
        return "[{" * (depth // 2)
    return "\n" + "".join("  " * (i + 1) + "a:\n" for i in range(depth)) + "  " * (depth + 1) + "1"  # block maps


@examples(20)
@given(st.sampled_from(SOURCES), st.sampled_from(["flow-list", "flow-map", "unclosed", "block-map"]), st.integers(1, 3000))
def test_deep_nesting_is_one_problem_whatever_the_depth(source, form, depth):
    assume(form != "block-map" or depth <= 600)  # ~depth² bytes: past 1 MB it is the size that is refused
    name, original = source
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "q.yaml"
        path.write_bytes(original + b"extra: " + nested(form, depth).encode() + b"\n")
        problems = problems_of(lambda: read_question(path))
    assert problems is not None and len(problems) == 1, problems
    if depth >= MAX_DEPTH:
        assert "nested deeper than" in problems[0] or "YAML syntax error" in problems[0], problems
    elif form != "unclosed":
        assert problems == [f"{path}: extra: unknown field"]


# ---- random YAML values in real questions --------------------------------------------------


SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12) | st.sampled_from(list(CATEGORIES))
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)


@examples(40)
@given(st.sampled_from(SOURCES), st.data())
def test_a_field_given_any_value_is_blamed_alone(source, data):
    name, original = source
    question = yaml.safe_load(original)
    field = data.draw(st.sampled_from(sorted(question) + ["source", "order_matters", "tolerance"]), label="field")
    question[field] = data.draw(VALUES, label="value")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "q.yaml"
        path.write_text(yaml.safe_dump(question, allow_unicode=True), encoding="utf-8")
        problems = problems_of(lambda: read_question(path))
    # One changed field is one root cause: no other field is blamed for it. (A new
    # category changes which fields belong, and that is said once, at `category`.)
    blamed = {line.removeprefix(f"{path}: ").split(": ")[0] for line in problems or ()}
    assert all(b == field or b.startswith((f"{field}.", f"{field}[")) or b == "category" for b in blamed), (field, problems)
    if field == "category" and problems:
        assert blamed == {"category"}, problems


@examples(30)
@given(st.sampled_from(SOURCES), st.text(min_size=1, max_size=20))
def test_any_unknown_category_is_exactly_one_problem_with_the_allowed_values(source, category):
    assume(category not in CATEGORIES)
    name, original = source
    question = yaml.safe_load(original)
    question["category"] = category
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "q.yaml"
        path.write_text(yaml.safe_dump(question, allow_unicode=True), encoding="utf-8")
        problems = problems_of(lambda: read_question(path))
    assert problems is not None and len(problems) == 1, problems
    assert problems[0].startswith(f"{path}: category: ") and ", ".join(CATEGORIES) in problems[0]


# ---- random symlink layouts -------------------------------------------------------------------


KINDS = ["copy", "link-to-copy", "dangling", "self-loop", "two-link-loop", "directory", "link-to-directory", "dev-null", "fifo"]
PLACES = ["in-category", "top-level", "folder"]


def make(path: Path, kind: str, outside: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    stat_file = FIXTURE_BANK / "questions/statistics/stat-p-value-meaning.yaml"
    if kind == "copy":
        shutil.copy(stat_file, path)
    elif kind == "link-to-copy":
        target = outside / f"{path.name}.target"
        shutil.copy(stat_file, target)
        path.symlink_to(target)
    elif kind == "dangling":
        path.symlink_to(outside / "missing")
    elif kind == "self-loop":
        path.symlink_to(path)
    elif kind == "two-link-loop":
        other = outside / f"{path.name}.other"
        other.symlink_to(path)
        path.symlink_to(other)
    elif kind == "directory":
        path.mkdir()
    elif kind == "link-to-directory":
        target = outside / f"{path.name}.dir"
        target.mkdir()
        path.symlink_to(target)
    elif kind == "dev-null":
        path.symlink_to("/dev/null")
    elif kind == "fifo":
        os.mkfifo(path)


@examples(50)
@given(st.lists(st.tuples(st.sampled_from(PLACES), st.sampled_from(KINDS)), min_size=1, max_size=5))
def test_random_symlink_layouts_never_drop_a_question_file_silently(extras):
    with tempfile.TemporaryDirectory() as tmp:
        root, outside = Path(tmp) / "bank", Path(tmp) / "outside"
        outside.mkdir()
        (root / "questions/sql").mkdir(parents=True)
        shutil.copy(FIXTURE_BANK / "questions/sql/sql-top-spender.yaml", root / "questions/sql")
        must_be_named = set()
        for i, (place, kind) in enumerate(extras):
            relative = {"in-category": f"questions/statistics/x{i}.yaml", "top-level": f"questions/x{i}.yaml", "folder": f"questions/x{i}"}[place]
            make(root / relative, kind, outside)
            # An entry that could hold questions and does not load is named; an empty or
            # non-YAML entry beside the category folders is not a question file.
            if place != "folder" or kind in ("dangling", "self-loop", "two-link-loop"):
                must_be_named.add(relative)
        before = snapshot(Path(tmp))
        problems = problems_of(lambda: load_bank(root))
        assert snapshot(Path(tmp)) == before
    named = {line.split(": ")[0] for line in problems or ()}
    assert must_be_named <= named, (extras, problems)
