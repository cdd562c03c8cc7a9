"""The bank's loader and `studybot content lint`: every kind of defect is caught and named."""

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.bank import BankError, load_bank
from bot.bank.lint import lint

ROOT = Path(__file__).resolve().parents[2]

SQL = {
    "id": "sql-inactive-accounts",
    "title": "Accounts with no login in March",
    "category": "sql",
    "difficulty": "easy",
    "tags": ["anti-join", "nulls"],
    "tracks": ["data-analytics"],
    "prompt": "Return the `account_id` of every account with no login in March 2026. Each account appears once in `accounts`.",
    "schema": "CREATE TABLE accounts (account_id INTEGER);\nCREATE TABLE logins (account_id INTEGER, logged_on DATE);",
    "datasets": [
        {"name": "sample", "visible": True, "sql": "INSERT INTO accounts VALUES (1), (2), (3);\nINSERT INTO logins VALUES (1, '2026-03-04'), (2, '2026-02-27');"},
        {"name": "null-account-login", "sql": "INSERT INTO accounts VALUES (1), (2);\nINSERT INTO logins VALUES (1, '2026-03-04'), (NULL, '2026-03-05');"},
        {"name": "login-on-march-31", "sql": "INSERT INTO accounts VALUES (1), (2);\nINSERT INTO logins VALUES (1, '2026-03-31');"},
        {"name": "logins-on-the-month-edges", "sql": "INSERT INTO accounts VALUES (1), (2), (3);\nINSERT INTO logins VALUES (1, '2026-04-01'), (2, '2026-03-01'), (3, '2026-02-28');"},
        {"name": "march-a-year-earlier", "sql": "INSERT INTO accounts VALUES (1), (2);\nINSERT INTO logins VALUES (1, '2025-03-10'), (1, '2026-03-10'), (2, '2025-03-10'), (2, NULL);"},
        {"name": "nothing-yet", "sql": ""},
    ],
    "solution": "SELECT account_id FROM accounts a WHERE NOT EXISTS (\n  SELECT 1 FROM logins l WHERE l.account_id = a.account_id\n  AND l.logged_on >= DATE '2026-03-01' AND l.logged_on < DATE '2026-04-01')",
    "wrong_answers": [
        {"why": "NOT IN finds nothing once a login has a NULL account", "sql": "SELECT account_id FROM accounts WHERE account_id NOT IN (SELECT account_id FROM logins WHERE logged_on >= DATE '2026-03-01' AND logged_on < DATE '2026-04-01')"},
        {"why": "BETWEEN up to March 30 misses the last day of the month", "sql": "SELECT account_id FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM logins l WHERE l.account_id = a.account_id AND l.logged_on BETWEEN DATE '2026-03-01' AND DATE '2026-03-30')"},
        {"why": "an inner join keeps only accounts that did log in", "sql": "SELECT DISTINCT a.account_id FROM accounts a JOIN logins l ON l.account_id = a.account_id WHERE l.logged_on < DATE '2026-03-01'"},
    ],
    "constraints": {"accounts.account_id": {"not_null": True, "unique": True}},
    "equivalent_mutants": [
        {"mutant": "distinct: `SELECT account_id` → `SELECT DISTINCT account_id`", "reason": "account_id is unique, so no account can appear twice"},
    ],
    "hints": ["Which accounts have no matching login row in the month?"],
    "rubric": ["Uses NOT EXISTS or a LEFT JOIN anti-join", "Bounds March with a half-open interval", "Explains why NOT IN fails with NULLs"],
    "answer": "An anti-join with the month as a half-open interval.",
}

WRITTEN = {
    "id": "stat-median-vs-mean",
    "title": "Mean or median for order values",
    "category": "statistics",
    "difficulty": "easy",
    "tags": ["descriptive-statistics"],
    "tracks": ["data-science"],
    "prompt": "Order values are heavily right-skewed. Which summary do you report to the CFO, and why?",
    "hints": ["What does one huge order do to each?"],
    "rubric": ["Says the mean is pulled up by the tail", "Recommends the median for a typical order", "Notes that revenue planning needs the mean"],
    "answer": "Both, for different questions.",
}


def write(root: Path, question: dict, name: str | None = None) -> Path:
    path = root / "questions" / question["category"] / f"{name or question['id']}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(question, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def problems_of(checker, root: Path) -> list[str]:
    problems, _ = lint(None, checker, root=root)
    return [str(p) for p in problems]


def test_a_clean_bank_has_no_problems(checker, tmp_path):
    write(tmp_path, SQL)
    write(tmp_path, WRITTEN)
    problems, count = lint(None, checker, root=tmp_path)
    assert (problems, count) == ([], 2)


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda q: q["wrong_answers"].append({"why": "is actually right", "sql": q["solution"]}), "wrong_answers[3]: passes every dataset"),
        (lambda q: q["datasets"].append({"name": "harmless", "sql": "INSERT INTO accounts VALUES (1);\nINSERT INTO logins VALUES (1, '2026-03-10');"}), "datasets.harmless: rejects none of the wrong answers"),
        (lambda q: q.update(solution="SELECT account_id FROM acounts"), "solution"),
        (lambda q: q["wrong_answers"].append({"why": "typo", "sql": "SELEC 1"}), "wrong_answers[3]: does not run"),
        (lambda q: q["datasets"][0].update(sql="INSERT INTO accounts VALUES (1);\nINSERT INTO logins VALUES (1, '2026-03-04');"), "returns no rows on the sample"),
        (lambda q: q.update(wrong_answers=q["wrong_answers"][:2]), "wrong_answers: 2 wrong answers; at least 3"),
        (lambda q: q.update(datasets=q["datasets"][:2]), "datasets: 1 hidden dataset; at least 2"),
        (lambda q: q["datasets"][0].update(name="example"), "name it 'sample'"),
        (lambda q: q.update(id="inactive-accounts"), "id: sql ids start with 'sql-'"),
    ],
    ids=["wrong-answer-passes", "dead-dataset", "solution-errors", "wrong-answer-errors",
         "empty-sample", "too-few-wrong-answers", "too-few-hidden-datasets", "sample-name", "id-prefix"],
)
def test_lint_names_the_file_and_the_defect(checker, tmp_path, change, expected):
    question = copy.deepcopy(SQL)
    change(question)
    write(tmp_path, question, name=question["id"])
    problems = problems_of(checker, tmp_path)
    assert any(expected in p for p in problems), problems
    assert all(p.startswith(f"questions/sql/{question['id']}.yaml: ") for p in problems), problems


def test_a_rubric_point_over_200_characters_is_rejected(checker, tmp_path):
    question = copy.deepcopy(WRITTEN)
    question["rubric"][1] = "Recommends the median " + "x" * 190
    write(tmp_path, question)
    assert any("rubric[1]:" in p and "at most 200" in p for p in problems_of(checker, tmp_path))


@pytest.mark.parametrize("points", [2, 7])
def test_a_rubric_needs_three_to_six_points(checker, tmp_path, points):
    question = copy.deepcopy(WRITTEN)
    question["rubric"] = [f"Names reason {i}" for i in range(points)]
    write(tmp_path, question)
    problems = problems_of(checker, tmp_path)
    assert any(f"rubric: {points} points; 3 to 6" in p for p in problems), problems


def test_near_duplicate_titles_and_prompts_are_flagged(checker, tmp_path):
    write(tmp_path, WRITTEN)
    same_title = {**copy.deepcopy(WRITTEN), "id": "stat-median-or-mean", "title": "Mean or median for order value", "prompt": "A different prompt about means of latency."}
    write(tmp_path, same_title)
    same_prompt = {**copy.deepcopy(WRITTEN), "id": "stat-skewed-orders", "title": "Summarising skewed order values", "prompt": WRITTEN["prompt"] + " Keep it short."}
    write(tmp_path, same_prompt)
    problems = problems_of(checker, tmp_path)
    assert any("title: nearly the same as" in p for p in problems), problems
    assert any("prompt:" in p and "repeats the prompt of" in p for p in problems), problems


def test_a_broken_bank_lists_every_problem_with_file_and_field(tmp_path):
    write(tmp_path, {**WRITTEN, "colour": "blue"})  # unknown field
    missing = {k: v for k, v in WRITTEN.items() if k != "answer"}
    write(tmp_path, {**missing, "id": "stat-no-answer", "title": "No answer here"})
    write(tmp_path, {**copy.deepcopy(WRITTEN), "id": "stat-bad-category", "title": "Bad category", "category": "astrology"}, name="stat-bad-category")
    write(tmp_path, {**copy.deepcopy(SQL), "datasets": [dict(d, visible=True) for d in SQL["datasets"]]})
    (tmp_path / "questions" / "statistics" / "stat-broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(BankError) as caught:
        load_bank(tmp_path)
    message = str(caught.value)
    for expected in (
        "questions/statistics/stat-median-vs-mean.yaml: colour:",
        "questions/statistics/stat-no-answer.yaml: answer:",
        "stat-bad-category.yaml: category:",
        "questions/sql/sql-inactive-accounts.yaml: datasets: exactly one dataset must have",
        "questions/statistics/stat-broken.yaml:",
    ):
        assert expected in message, message


def test_two_files_with_one_id_are_refused(tmp_path):
    write(tmp_path, WRITTEN)
    write(tmp_path, WRITTEN, name="stat-median-vs-mean-copy")
    with pytest.raises(BankError, match="stat-median-vs-mean"):
        load_bank(tmp_path)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_lint_cli_exit_codes(tmp_path):
    write(tmp_path, SQL)
    clean = run_cli("content", "lint", "--content", str(tmp_path), "--workers", "1")
    assert clean.returncode == 0 and "1 question: no problems." in clean.stdout
    broken = copy.deepcopy(SQL)
    broken["wrong_answers"][0]["sql"] = SQL["solution"]
    write(tmp_path, broken)
    dirty = run_cli("content", "lint", "--content", str(tmp_path), "--workers", "1")
    assert dirty.returncode == 1
    assert "questions/sql/sql-inactive-accounts.yaml: wrong_answers[0]: passes every dataset" in dirty.stdout
    assert run_cli("content", "lint", str(tmp_path / "nope.yaml")).returncode == 2


def test_an_unlisted_survivor_fails_lint_naming_the_file_and_the_mutant(checker, tmp_path):
    question = copy.deepcopy(SQL)
    question["datasets"] = [d for d in question["datasets"] if d["name"] != "logins-on-the-month-edges"]
    write(tmp_path, question)
    problems = problems_of(checker, tmp_path)
    mutant = "constant: `'2026-04-01'` → `'2026-04-02'`"
    expected = f"questions/sql/sql-inactive-accounts.yaml: datasets: no dataset rejects the mutant {mutant}"
    assert any(p.startswith(expected) for p in problems), problems
    assert any("`studybot content mutate sql-inactive-accounts` suggests one" in p for p in problems), problems


@pytest.mark.parametrize(
    "entry, expected",
    [
        ({"mutant": "comparison: `x < 1` → `x <= 1`", "reason": "made up"}, "is not a mutant of the solution (any more); remove the entry"),
        ({"mutant": "comparison: `l.logged_on < CAST('2026-04-01' AS DATE)` → `l.logged_on <= CAST('2026-04-01' AS DATE)`", "reason": "wrong"},
         "dataset `logins-on-the-month-edges` rejects this mutant, so it is not equivalent"),
    ],
    ids=["not-generated", "killed"],
)
def test_a_listed_equivalent_that_is_not_one_is_reported(checker, tmp_path, entry, expected):
    question = copy.deepcopy(SQL)
    question["equivalent_mutants"].append(entry)
    write(tmp_path, question)
    problems = problems_of(checker, tmp_path)
    assert any(p.startswith("questions/sql/sql-inactive-accounts.yaml: equivalent_mutants[1]: ") and expected in p for p in problems), problems


def test_a_listed_equivalent_the_search_tells_apart_is_reported_with_the_dataset(checker, tmp_path):
    question = copy.deepcopy(SQL)
    del question["constraints"]  # nothing now says an account appears once
    write(tmp_path, question)
    problems = problems_of(checker, tmp_path)
    found = [p for p in problems if p.startswith("questions/sql/sql-inactive-accounts.yaml: equivalent_mutants[0]: not equivalent")]
    assert found and "INSERT INTO accounts VALUES" in found[0], problems
