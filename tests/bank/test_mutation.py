"""Mutation analysis of a question: survivors, the killer search and its shrinking, the cache."""

import copy
import json
import subprocess
import sys
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.bank.generate import Generator
from bot.bank.killers import Search
from bot.bank.models import SqlQuestion
from bot.bank.mutation import Cache, analyse, unlisted_survivors
from bot.bank.rows import read_tables, violations
from bot.grading import Dataset, SqlTask, Verdict
from test_lint import SQL, write

ROOT = Path(__file__).resolve().parents[2]
APRIL = "constant: `'2026-04-01'` → `'2026-04-02'`"
DISTINCT = "distinct: `SELECT account_id` → `SELECT DISTINCT account_id`"


def question(change=None) -> SqlQuestion:
    data = copy.deepcopy(SQL)
    if change:
        change(data)
    return SqlQuestion.model_validate(data)


def without_edges(data: dict) -> None:
    data["datasets"] = [d for d in data["datasets"] if d["name"] != "logins-on-the-month-edges"]


def test_the_bundled_fixture_question_has_no_unlisted_survivor(checker):
    q = question()
    analysis = analyse([q], checker)[q.id]
    assert analysis.problem is None and analysis.outcomes
    assert unlisted_survivors(q, analysis) == []
    assert [o.description for o in analysis.survivors] == [DISTINCT]


def test_the_search_finds_and_shrinks_a_killer_for_a_planted_survivor(checker):
    q = question(without_edges)
    analysis = analyse([q], checker)[q.id]
    planted = analysis.by_description()[APRIL]
    assert planted.survived
    killer = Search(q, checker).find([planted])[APRIL]
    assert killer is not None
    logins = killer.rows["logins"]
    assert sum(len(rows) for rows in killer.rows.values()) <= 2, killer.yaml  # one account, one login
    assert [row[1].isoformat() for row in logins] == ["2026-04-01"], killer.yaml
    pasted = yaml.safe_load(killer.yaml)
    assert pasted[0]["name"] == killer.name and killer.name.endswith("on-the-boundary")
    task = SqlTask(q.schema_sql, q.task().datasets + (Dataset(killer.name, pasted[0]["sql"]),), q.solution)
    assert checker.check_sync(task, q.solution).verdict is Verdict.CORRECT
    result = checker.check_sync(task, planted.sql)
    assert result.verdict is Verdict.INCORRECT
    assert [d.name for d in result.datasets if not d.passed] == [killer.name]


def test_no_killer_exists_where_a_constraint_rules_it_out(checker):
    unique = question()
    free = question(lambda d: d.pop("constraints"))
    for q, killable in ((unique, False), (free, True)):
        outcome = analyse([q], checker)[q.id].by_description()[DISTINCT]
        killer = Search(q, checker).find([outcome])[DISTINCT]
        assert (killer is not None) is killable
    accounts = killer.rows["accounts"]
    assert len(accounts) == 2 and accounts[0] == accounts[1]  # the same account twice


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_generated_datasets_keep_the_declared_constraints(seed):
    q = question(lambda d: d["constraints"].update({"logins.account_id": {"references": "accounts.account_id", "not_null": True}}))
    schema, datasets = read_tables(q)
    generator = Generator(q, schema, datasets, seed)
    for _ in range(10):
        assert violations(schema, generator.draw()) == []
        assert violations(schema, generator.perturb()) == []


def test_violations_name_each_broken_constraint():
    q = question(lambda d: d["constraints"].update({
        "logins.account_id": {"references": "accounts.account_id"},
        "logins.logged_on": {"range": ["2026-01-01", "2026-12-31"]},
        "logins": {"not_empty": True},
    }))
    schema, _ = read_tables(q)
    rows = {"accounts": [(1,), (1,), (None,)], "logins": [(7, __import__("datetime").date(2025, 12, 31))]}
    found = violations(schema, rows)
    assert any("accounts.account_id holds NULL" in v for v in found), found
    assert any("accounts.account_id repeats a value" in v for v in found), found
    assert any("logins.account_id holds 7, not in accounts.account_id" in v for v in found), found
    assert any("logins.logged_on holds '2025-12-31', outside its range" in v for v in found), found
    assert violations(schema, {"accounts": [(1,)], "logins": []}) == ["logins is empty (logins: not_empty)"]


def test_the_cache_is_keyed_by_the_checked_content(checker, tmp_path):
    cache = Cache(tmp_path / "cache")
    q = question()
    first = analyse([q], checker, cache)[q.id]
    files = list((tmp_path / "cache").glob("*.json"))
    assert len(files) == 1
    planted = json.loads(files[0].read_text())
    planted["outcomes"][0]["verdict"] = "correct"  # what a run that found a survivor would have stored
    files[0].write_text(json.dumps(planted))
    assert analyse([q], checker, cache)[q.id].outcomes[0].survived  # read back, not rerun
    reworded = question(lambda d: d.update(prompt=d["prompt"] + " Thanks."))
    assert analyse([reworded], checker, cache)[q.id].outcomes[0].survived  # prose is not checked content
    changed = question(lambda d: d["datasets"][1].update(sql=d["datasets"][1]["sql"] + "\nINSERT INTO accounts VALUES (9);"))
    fresh = analyse([changed], checker, cache)[q.id]
    assert fresh.outcomes[0].survived is first.outcomes[0].survived is False


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_mutate_cli_lists_survivors_with_killers_as_json(tmp_path):
    data = copy.deepcopy(SQL)
    without_edges(data)
    write(tmp_path, data)
    done = run_cli("content", "mutate", "--content", str(tmp_path), "--json", "--no-cache", "--workers", "1")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    by_description = {s["description"]: s for s in report["survivors"]}
    april = by_description[APRIL]
    assert april["question"] == "sql-inactive-accounts" and april["operator"] == "constant"
    assert "'2026-04-02'" in april["mutant_sql"]
    assert "INSERT INTO logins" in april["killer_yaml"] and "2026-04-01" in april["killer_yaml"]
    assert report["operators"]["constant"]["survived"] >= 1
    write(tmp_path, SQL)
    clean = run_cli("content", "mutate", "sql-inactive-accounts", "--content", str(tmp_path), "--no-cache", "--workers", "1")
    assert clean.returncode == 0, clean.stdout
    assert "0 unlisted survivors" in clean.stdout
    unknown = run_cli("content", "mutate", "sql-nope", "--content", str(tmp_path))
    assert unknown.returncode == 2 and "no SQL question 'sql-nope'" in unknown.stderr
