"""The loader: every bad file is one `file: field: problem` line per root cause, never a traceback."""

import os
import re
import shutil
from pathlib import Path

import pytest
from support import FIXTURE_BANK

from bot.bank import BankError, load_bank, read_question

STAT = "questions/statistics/stat-p-value-meaning.yaml"
SQL = "questions/sql/sql-customers-without-orders.yaml"
ONE_LINE = re.compile(r"^[^\n]+: [^\n]+: [^\n]+$")


@pytest.fixture
def bank(tmp_path) -> Path:
    """A copy of the fixture bank to break."""
    root = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANK, root)
    return root


def refusal(root: Path) -> list[str]:
    with pytest.raises(BankError) as caught:
        load_bank(root)
    lines = [str(p) for p in caught.value.problems]
    assert lines and all(ONE_LINE.match(line) for line in lines), lines
    return lines


def refusal_of_file(path: Path) -> list[str]:
    with pytest.raises(BankError) as caught:
        read_question(path)
    lines = [str(p) for p in caught.value.problems]
    assert lines and all(ONE_LINE.match(line) for line in lines), lines
    return lines


def add(root: Path, relative: str, content: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


# ---- the findings ------------------------------------------------------------------


@pytest.mark.parametrize("nesting", ["[" * 2000 + "]" * 2000, "\n  " + "- " * 2000 + "x", "{a: " * 2000 + "}" * 2000], ids=["flow-lists", "block-lists", "flow-maps"])
def test_deep_nesting_is_refused_before_it_recurses(bank, nesting):
    add(bank, "questions/statistics/stat-deep.yaml", "id: stat-deep\nextra: " + nesting + "\n")
    [line] = refusal(bank)
    assert line.startswith("questions/statistics/stat-deep.yaml: extra: nested deeper than")


def test_a_dangling_symlink_is_named(bank):
    (bank / "questions/statistics/stat-gone.yaml").symlink_to(bank / "nowhere.yaml")
    [line] = refusal(bank)
    assert line.startswith("questions/statistics/stat-gone.yaml: (file): is a broken symbolic link")


def test_a_symlink_loop_is_named(bank):
    loop = bank / "questions/statistics/stat-loop.yaml"
    loop.symlink_to(loop)
    [line] = refusal(bank)
    assert line.startswith("questions/statistics/stat-loop.yaml: (file): is a symbolic link loop")


def test_a_bank_root_that_is_a_symlink_loop_is_named(tmp_path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    [line] = refusal(tmp_path / "loop")
    assert "symbolic link loop" in line


def test_a_symlinked_question_file_that_resolves_loads(bank, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    (bank / STAT).rename(outside)
    (bank / STAT).symlink_to(outside)
    assert load_bank(bank).get("stat-p-value-meaning") is not None


def test_a_misnamed_file_is_reported_with_its_other_problems(bank):
    text = (bank / STAT).read_text()
    (bank / STAT).unlink()
    add(bank, "questions/statistics/stat-renamed.yaml", text.replace("difficulty: easy", "difficulty: trivial"))
    lines = refusal(bank)
    assert sorted(line.split(": ")[1] for line in lines) == ["difficulty", "id"], lines
    assert "questions/statistics/stat-renamed.yaml: id: is 'stat-p-value-meaning' but the file is named stat-renamed.yaml" in lines


def test_a_duplicate_key_is_refused_with_both_lines(bank):
    path = bank / STAT
    path.write_text(path.read_text() + "difficulty: hard\n")
    [line] = refusal(bank)
    assert re.fullmatch(rf"{STAT}: difficulty: appears twice \(lines 4 and \d+\); keep one", line), line


def test_a_duplicate_key_inside_a_dataset_names_its_path(bank):
    path = bank / SQL
    path.write_text(path.read_text().replace("  - name: sample\n", "  - name: sample\n    name: sample\n", 1))
    [line] = refusal(bank)
    assert line.startswith(f"{SQL}: datasets[0].name: appears twice"), line


def test_category_SQL_is_one_message_with_the_allowed_values(bank):
    path = bank / SQL
    path.write_text(path.read_text().replace("category: sql", "category: SQL"))
    [line] = refusal(bank)
    assert line.startswith(f"{SQL}: category: 'SQL' is not a category (did you mean 'sql'?); use one of: "), line
    assert "sql, statistics, experimentation, ml, ml-system-design, product-metrics, python, behavioral" in line


def test_an_unknown_category_on_a_written_question_is_one_message(bank):
    path = bank / STAT
    path.write_text(path.read_text().replace("category: statistics", "category: astrology"))
    [line] = refusal(bank)
    assert line.startswith(f"{STAT}: category: 'astrology' is not a category"), line


def test_sql_fields_on_a_written_question_are_one_message(bank):
    path = bank / SQL
    path.write_text(path.read_text().replace("category: sql", "category: python"))
    lines = refusal(bank)
    assert lines == [
        f"{SQL}: category: is 'python', but the file has the sql fields schema, datasets, solution, wrong_answers; "
        "set `category: sql` or remove them"
    ], lines


def test_a_misspelt_field_is_one_message_that_says_the_right_name(bank):
    path = bank / STAT
    path.write_text(path.read_text().replace("answer: |", "answr: |"))
    assert refusal(bank) == [f"{STAT}: answr: unknown field; did you mean answer? (it is missing)"]


# ---- other files the loader must refuse plainly ------------------------------------------


@pytest.mark.parametrize(
    "content, field, says",
    [
        pytest.param(b"id: stat-x\ntitle: caf\xe9\n", "line 2", "not UTF-8 text", id="latin-1"),
        pytest.param(b"", "(file)", "is empty", id="empty"),
        pytest.param(b"# only a comment\n", "(file)", "is empty", id="only-a-comment"),
        pytest.param(b"- id: stat-x\n- title: x\n", "(file)", "is a list, not a mapping of fields", id="top-level-list"),
        pytest.param(b"just words\n", "(file)", "is text, not a mapping of fields", id="top-level-scalar"),
        pytest.param(bytes(range(256)) * 4, "line 2", "not UTF-8 text (byte 0x80)", id="binary"),
        pytest.param(b"id: a\x00b\n", "line 1, column 6", "U+0000 is not allowed", id="nul-character"),
        pytest.param(b"id: stat-x\n---\nid: stat-y\n", "line 2, column 1", "YAML syntax error: expected a single document", id="two-documents"),
        pytest.param(b"id: [unclosed\n", "line 2, column 1", "YAML syntax error", id="unclosed-bracket"),
        pytest.param(b"id: 2026-13-45\n", "line 1, column 5", "cannot read this value: month must be in 1..12", id="bad-date"),
        pytest.param(b"id: !!int abc\n", "line 1, column 5", "cannot read this value", id="bad-int-tag"),
        pytest.param(b"id: " + b"7" * 5000 + b"\n", "line 1, column 5", "cannot read this value", id="huge-integer"),
        pytest.param(b"id: !!python/object:os.system x\n", "line 1, column 5", "YAML syntax error: could not determine a constructor", id="python-tag"),
        pytest.param(b"? [a, b]\n: c\n", "line 1, column 3", "a field name must be text, not a list or mapping", id="list-key"),
        pytest.param(b"a: &x [1, 2]\nb: *x\n", "b", "aliases (*x) are not allowed", id="alias"),
        pytest.param(b"id: stat-x\n1: one\n", "1", "is not a field name; field names are text", id="number-key"),
        pytest.param(b"id: stat-x\ndatasets:\n  - null: x\n", "datasets[0].null", "is not a field name", id="null-key"),
        pytest.param(b"# " + b"x" * 1_100_000 + b"\n", "(file)", "is 1100003 bytes; a question file is at most 1000000", id="huge-file"),
    ],
)
def test_unreadable_files_are_one_line_each(bank, content, field, says):
    add(bank, "questions/statistics/stat-x.yaml", content)
    [line] = refusal(bank)
    prefix = f"questions/statistics/stat-x.yaml: {field}: "
    assert line.startswith(prefix) and says in line, line


def test_a_fifo_named_yaml_is_refused_without_blocking(bank):
    os.mkfifo(bank / "questions/statistics/stat-pipe.yaml")
    [line] = refusal(bank)
    assert line == "questions/statistics/stat-pipe.yaml: (file): is not a regular file (a device, pipe or socket)"


def test_a_directory_named_yaml_is_refused(bank):
    (bank / "questions/statistics/stat-dir.yaml").mkdir()
    [line] = refusal(bank)
    assert line == "questions/statistics/stat-dir.yaml: (file): is a directory, not a question file"


def test_a_file_outside_the_category_folders_is_not_dropped_silently(bank):
    shutil.copy(bank / STAT, bank / "questions/stat-p-value-meaning.yaml")
    [line] = refusal(bank)
    assert line == "questions/stat-p-value-meaning.yaml: (file): is not in a category folder; move it to questions/<category>/"


def test_a_broken_category_folder_link_is_named(bank):
    (bank / "questions/python").symlink_to(bank / "no-such-folder")
    [line] = refusal(bank)
    assert line.startswith("questions/python: (folder): is a broken symbolic link")


def test_every_problem_is_one_line_even_when_a_value_spans_lines(bank):
    path = bank / STAT
    path.write_text(path.read_text().replace("difficulty: easy", "difficulty: |\n  very\n  hard"))
    [line] = refusal(bank)
    assert line.startswith(f"{STAT}: difficulty: ")


def test_a_flood_of_errors_in_one_file_is_capped(bank):
    path = bank / STAT
    path.write_text(path.read_text().replace("tags: [p-values]", "tags: [" + ", ".join(["Not Kebab"] * 500) + "]"))
    lines = refusal(bank)
    assert len(lines) == 21 and lines[-1] == f"{STAT}: (file): 480 more problems not shown", lines[-3:]


# ---- a single file anywhere on disk ------------------------------------------------------


def test_a_single_file_need_not_be_named_for_its_id(tmp_path):
    path = add(tmp_path, "draft.yaml", (FIXTURE_BANK / STAT).read_bytes())
    assert read_question(path).id == "stat-p-value-meaning"


@pytest.mark.parametrize("make", ["dangling", "loop", "directory"])
def test_a_single_file_that_cannot_be_read_is_one_line(tmp_path, make):
    path = tmp_path / "q.yaml"
    if make == "dangling":
        path.symlink_to(tmp_path / "gone.yaml")
    elif make == "loop":
        path.symlink_to(path)
    else:
        path.mkdir()
    [line] = refusal_of_file(path)
    assert line.startswith(f"{path}: (file): ")


# ---- the commands: the same lines, exit 2 --------------------------------------------------


def broken_files(tmp_path: Path) -> list[Path]:
    tmp_path.mkdir(exist_ok=True)
    dangling = tmp_path / "dangling.yaml"
    dangling.symlink_to(tmp_path / "gone.yaml")
    deep = add(tmp_path, "deep.yaml", "id: x\nprompt: " + "[" * 2000)
    sql = (FIXTURE_BANK / SQL).read_text()
    upper = add(tmp_path, "upper.yaml", sql.replace("category: sql", "category: SQL"))
    twice = add(tmp_path, "twice.yaml", sql + "solution: SELECT 1\n")
    return [dangling, deep, upper, twice]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    from bot.__main__ import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_and_lint_print_the_same_problem_lines_and_exit_2(tmp_path, capsys):
    answer = str(Path(__file__).resolve().parents[2] / "examples/answer-left-join.sql")
    expected = []
    for path in broken_files(tmp_path):
        code, out, err = run(capsys, "check", str(path), answer)
        assert (code, out) == (2, ""), err
        [line] = err.splitlines()
        assert line.startswith(f"{path}: ") and ONE_LINE.match(line), line
        expected.append(line)
    code, out, err = run(capsys, "content", "lint", "--workers", "1", *map(str, broken_files(tmp_path / "again")))
    assert code == 2 and out == ""
    assert err.splitlines() == [line.replace(str(tmp_path), str(tmp_path / "again")) for line in expected]


def test_lint_of_a_broken_bank_exits_2_with_its_problem_lines(bank, capsys):
    (bank / "questions/statistics/stat-gone.yaml").symlink_to(bank / "nowhere.yaml")
    code, out, err = run(capsys, "content", "lint", "--workers", "1", "--content", str(bank))
    assert (code, out) == (2, "")
    assert err.splitlines() == ["questions/statistics/stat-gone.yaml: (file): is a broken symbolic link (to {}); point it at a question file or remove it".format(bank / "nowhere.yaml")]


def test_lint_path_reports_a_file_not_named_for_its_id(tmp_path, checker):
    from bot.bank.lint import lint

    path = add(tmp_path, "questions/statistics/stat-renamed.yaml", (FIXTURE_BANK / STAT).read_bytes())
    problems, count = lint([path], checker)
    assert count == 1
    assert f"{path}: id: is 'stat-p-value-meaning' but the file is named stat-renamed.yaml" in map(str, problems)


def test_a_solution_that_does_not_parse_is_reported_once(bank, checker):
    from bot.bank.lint import lint

    path = bank / SQL
    path.write_text(path.read_text().replace("  SELECT c.name FROM customers c\n", "  SELEC c.name FROM customers c\n"))
    problems, _ = lint(None, checker, root=bank)
    about = [str(p) for p in problems if '"SELEC"' in p.message]
    assert about == [f"{SQL}: solution: fails on dataset 'sample': Parser Error: syntax error at or near \"SELEC\""], about


# ---- the cache: one look at the files per call, none within max_age --------------------------


def count_parses(monkeypatch) -> list:
    from bot.bank import loader

    parsed = []
    real = loader._parse
    monkeypatch.setattr(loader, "_parse", lambda path, name: parsed.append(name) or real(path, name))
    return parsed


def test_an_unchanged_bank_is_parsed_once_and_a_changed_file_is_seen(bank, monkeypatch):
    parsed = count_parses(monkeypatch)
    first = load_bank(bank)
    assert load_bank(bank) is first and len(parsed) == len(first)
    path = bank / STAT
    path.write_text(path.read_text().replace("difficulty: easy", "difficulty: hard"))
    os.utime(path, ns=(1, 1))
    assert load_bank(bank).get("stat-p-value-meaning").difficulty == "hard"
    assert len(parsed) == 2 * len(first)  # only a changed fingerprint reparses, and then the whole bank


def test_a_refused_bank_is_not_reparsed_until_it_changes(bank, monkeypatch):
    parsed = count_parses(monkeypatch)
    add(bank, "questions/statistics/stat-x.yaml", b"id: [")
    first = refusal(bank)
    count = len(parsed)
    assert refusal(bank) == first and len(parsed) == count
    (bank / "questions/statistics/stat-x.yaml").unlink()
    assert load_bank(bank).get("stat-p-value-meaning") is not None


def test_within_max_age_the_files_are_not_looked_at(bank):
    first = load_bank(bank)
    (bank / STAT).unlink()
    assert load_bank(bank, max_age=3600) is first  # one check shared by the calls of one answer
    assert load_bank(bank).get("stat-p-value-meaning") is None  # max_age=0: every call checks
