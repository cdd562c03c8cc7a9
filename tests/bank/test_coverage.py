"""Data coverage: each edge of the data a solution reads is demanded, found, or ruled out."""

import copy

import pytest

from bot.bank.coverage import coverage_problems, demands
from bot.bank.lint import lint
from bot.bank.models import SqlQuestion
from bot.bank.models import Constraint
from bot.bank.rows import read_tables, violations
from test_lint import SQL, write

SCHEMA = "CREATE TABLE t (id INTEGER, g VARCHAR, seen TIMESTAMP, ended TIMESTAMP, x INTEGER);"


def question(solution: str, datasets: list[str], constraints: dict | None = None) -> SqlQuestion:
    data = copy.deepcopy(SQL)
    data.update(schema=SCHEMA, solution=solution, constraints=constraints or {}, equivalent_mutants=[])
    data["datasets"] = [{"name": "sample", "visible": True, "sql": datasets[0]}] + [
        {"name": f"hidden-{i}", "sql": sql} for i, sql in enumerate(datasets[1:])
    ]
    return SqlQuestion.model_validate(data)


def problems(q: SqlQuestion) -> list[str]:
    schema, datasets = read_tables(q)
    return [p.message for p in coverage_problems(q, "q.yaml", schema, datasets)[0]]


BASE = "INSERT INTO t VALUES (1, 'a', '2024-03-05 10:00', '2024-03-05 10:20', 3);"

# (solution, what the report says is missing, a dataset that holds it)
EDGES = [
    ("SELECT COUNT(x) FROM t", "a NULL in t.x", "INSERT INTO t VALUES (2, 'a', '2024-03-05 11:00', NULL, NULL);"),
    ("SELECT COUNT(DISTINCT g) FROM t", "two rows sharing a value of t.g", "INSERT INTO t VALUES (2, 'a', '2024-03-06', NULL, 1), (3, 'a', '2024-03-07', NULL, 1);"),
    ("SELECT id, ROW_NUMBER() OVER (PARTITION BY g ORDER BY seen) FROM t", "two rows of one (g) tied on t.seen",
     "INSERT INTO t VALUES (2, 'b', '2024-03-06', NULL, 1), (3, 'b', '2024-03-06', NULL, 1);"),
    ("SELECT id FROM t WHERE seen >= TIMESTAMP '2024-03-01' AND seen < TIMESTAMP '2024-04-01'", "t.seen = '2024-03-31 23:59:59'",
     "INSERT INTO t VALUES (2, 'b', '2024-03-31 23:59:59', NULL, 1);"),
    ("SELECT id FROM t WHERE seen >= TIMESTAMP '2024-03-01' AND seen < TIMESTAMP '2024-04-01'", "t.seen = '2024-04-01 00:00:00'",
     "INSERT INTO t VALUES (2, 'b', '2024-04-01 00:00:00', NULL, 1);"),
    ("SELECT date_trunc('month', seen), COUNT(*) FROM t GROUP BY 1", "t.seen in one month of two different years",
     "INSERT INTO t VALUES (1, 'a', '2024-03-05', NULL, 1), (2, 'b', '2023-03-10', NULL, 1);"),
    ("SELECT CAST(seen AS DATE), COUNT(*) FROM t GROUP BY 1", "t.seen on one day of two different months",
     "INSERT INTO t VALUES (1, 'a', '2024-03-05', NULL, 1), (2, 'b', '2024-04-05', NULL, 1);"),
    ("SELECT id FROM t WHERE ended - seen > INTERVAL 30 MINUTE", "t.ended and t.seen more than an hour apart",
     "INSERT INTO t VALUES (2, 'b', '2024-03-05 10:00', '2024-03-05 11:30', 1);"),
    ("SELECT id FROM t WHERE ended - seen > INTERVAL 30 MINUTE", "t.ended and t.seen more than a month apart",
     "INSERT INTO t VALUES (2, 'b', '2024-03-05 10:00', '2024-05-05 11:30', 1);"),
    ("SELECT COALESCE(SUM(x), 0) FROM t", "t empty", ""),
]


@pytest.mark.parametrize("solution, missing, holder", EDGES, ids=[e[1] for e in EDGES])
def test_an_edge_no_dataset_holds_is_reported_until_one_does(solution, missing, holder):
    assert any(f"no dataset has {missing};" in p for p in problems(question(solution, [BASE]))), problems(question(solution, [BASE]))
    assert not any(f"no dataset has {missing};" in p for p in problems(question(solution, [BASE, holder])))


@pytest.mark.parametrize(
    "solution, constraints, ruled_out",
    [
        ("SELECT COUNT(x) FROM t", {"t.x": {"not_null": True}}, "a NULL in t.x"),
        ("SELECT COUNT(DISTINCT g) FROM t", {"t.g": {"unique": True}}, "two rows sharing a value of t.g"),
        ("SELECT id, ROW_NUMBER() OVER (PARTITION BY g ORDER BY seen) FROM t", {"t.seen": {"unique": ["g"]}}, "tied on t.seen"),
        ("SELECT id FROM t WHERE x >= 5", {"t.x": {"range": [5, None]}}, "t.x = 4"),
        ("SELECT date_trunc('month', seen), COUNT(*) FROM t GROUP BY 1", {"t.seen": {"range": ["2024-01-01", "2024-12-31 23:59:59"]}}, "two different years"),
        ("SELECT COALESCE(SUM(x), 0) FROM t", {"t": {"not_empty": True}}, "t empty"),
    ],
    ids=["not-null", "unique", "unique-within-partition", "range-boundary", "range-one-year", "not-empty"],
)
def test_a_declared_constraint_rules_the_edge_out(solution, constraints, ruled_out):
    for q, demanded in ((question(solution, [BASE], constraints), False), (question(solution, [BASE]), True)):
        schema, _ = read_tables(q)
        assert any(ruled_out in e.describe() for e in demands(q, schema)) is demanded


def test_a_constraint_on_no_column_and_a_dataset_that_breaks_one_are_reported(checker, tmp_path):
    broken = copy.deepcopy(SQL)
    broken["constraints"]["accounts.acount_id"] = {"not_null": True}
    write(tmp_path, broken)
    found = [str(p) for p in lint(None, checker, root=tmp_path)[0]]
    assert "questions/sql/sql-inactive-accounts.yaml: constraints.accounts.acount_id: no such column in the schema" in found, found
    breaking = copy.deepcopy(SQL)
    breaking["constraints"]["logins.logged_on"] = {"range": ["2026-01-01", None]}
    write(tmp_path, breaking)
    found = [str(p) for p in lint(None, checker, root=tmp_path)[0]]
    expected = "questions/sql/sql-inactive-accounts.yaml: datasets.march-a-year-earlier: breaks a declared constraint: logins.logged_on holds '2025-03-10', outside its range"
    assert expected in found, found


def test_a_dataset_that_alone_holds_an_edge_is_not_dead_weight(checker, tmp_path):
    write(tmp_path, SQL)
    assert lint(None, checker, root=tmp_path)[0] == []  # `nothing-yet` rejects nothing, but holds the empty tables
    without = copy.deepcopy(SQL)
    without["datasets"] = [d for d in without["datasets"] if d["name"] != "nothing-yet"]
    write(tmp_path, without)
    found = [str(p) for p in lint(None, checker, root=tmp_path)[0]]
    assert any("datasets: no dataset has accounts empty;" in p for p in found), found


def test_a_question_with_constraints_is_hashable_like_any_question():
    """The study core caches views by question: a dict field must not make it unhashable."""
    with_rules = question("SELECT COUNT(x) FROM t", [BASE], {"t.x": {"not_null": True}})
    same = question("SELECT COUNT(x) FROM t", [BASE], {"t.x": {"not_null": True}})
    assert hash(with_rules) == hash(same) and with_rules == same
    assert len({with_rules, same, question("SELECT COUNT(x) FROM t", [BASE])}) == 2



def test_list_and_struct_columns_are_compared_by_value_not_refused_as_unhashable():
    data = copy.deepcopy(SQL)
    rows = "INSERT INTO t VALUES (1, ['a', 'b'], {'k': 1}), (2, ['a', 'b'], {'k': 1}), (3, NULL, NULL);"
    data.update(schema="CREATE TABLE t (id INTEGER, tags VARCHAR[], meta STRUCT(k INTEGER));", solution="SELECT DISTINCT tags, meta FROM t",
                constraints={}, equivalent_mutants=[], datasets=[{"name": "sample", "visible": True, "sql": rows}, {"name": "none", "sql": ""}])
    q = SqlQuestion.model_validate(data)
    schema, datasets = read_tables(q)
    found = problems(q)  # before: TypeError: unhashable type: 'list'
    assert not any("sharing a value of t.tags" in p or "sharing a value of t.meta" in p for p in found), found
    schema.constraints.update({"t.tags": Constraint(unique=True), "t.meta": Constraint(unique=True)})
    assert violations(schema, datasets[0]) == ["t.tags repeats a value (unique)", "t.meta repeats a value (unique)"]
