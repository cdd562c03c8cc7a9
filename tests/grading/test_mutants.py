"""Every mutation operator: a pinned query, the mutant it yields, and a dataset that kills it.

The killing dataset runs in the real sandbox: the query passes on it, the mutant does not.
"""

import pytest

from bot.grading import Dataset, SqlTask, Verdict
from bot.grading.mutants import OPERATOR_NAMES, MutationError, mutants, normalise

SCHEMA = """
CREATE TABLE users (user_id INTEGER, name VARCHAR);
CREATE TABLE events (event_id INTEGER, user_id INTEGER, kind VARCHAR, seen_at TIMESTAMP, amount DECIMAL(10,2));
CREATE TABLE sessions (session_id INTEGER, started_at TIMESTAMP, ended_at TIMESTAMP);
"""

# (operator, query, the mutant it must yield, a dataset on which the two differ)
CASES = [
    ("comparison", "SELECT event_id FROM events WHERE seen_at > TIMESTAMP '2024-01-01 10:00:00'",
     "SELECT event_id FROM events WHERE seen_at >= TIMESTAMP '2024-01-01 10:00:00'",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01 10:00:00', 5)"),
    ("comparison", "SELECT event_id FROM events WHERE seen_at BETWEEN TIMESTAMP '2024-01-01' AND TIMESTAMP '2024-01-02'",
     "SELECT event_id FROM events WHERE (seen_at >= TIMESTAMP '2024-01-01' AND seen_at < TIMESTAMP '2024-01-02')",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-02 00:00:00', 5)"),
    ("comparison", "SELECT event_id FROM events WHERE seen_at >= TIMESTAMP '2024-01-01' AND seen_at < TIMESTAMP '2024-01-02'",
     "SELECT event_id FROM events WHERE (seen_at BETWEEN TIMESTAMP '2024-01-01' AND TIMESTAMP '2024-01-02')",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-02 00:00:00', 5)"),
    ("join", "SELECT u.user_id, e.event_id FROM users u LEFT JOIN events e ON e.user_id = u.user_id",
     "SELECT u.user_id, e.event_id FROM users u JOIN events e ON e.user_id = u.user_id",
     "INSERT INTO users VALUES (1, 'Ada')"),
    ("join", "SELECT u.user_id, COUNT(e.event_id) FROM users u LEFT JOIN events e ON e.user_id = u.user_id AND e.kind = 'buy' GROUP BY u.user_id",
     "SELECT u.user_id, COUNT(e.event_id) FROM users u LEFT JOIN events e ON e.user_id = u.user_id WHERE e.kind = 'buy' GROUP BY u.user_id",
     "INSERT INTO users VALUES (1, 'Ada'); INSERT INTO events VALUES (1, 1, 'view', '2024-01-01', 5)"),
    ("join", "SELECT u.user_id, e.event_id FROM users u LEFT JOIN events e ON e.user_id = u.user_id WHERE e.kind = 'buy'",
     "SELECT u.user_id, e.event_id FROM users u LEFT JOIN events e ON e.user_id = u.user_id AND e.kind = 'buy'",
     "INSERT INTO users VALUES (1, 'Ada'); INSERT INTO events VALUES (1, 1, 'view', '2024-01-01', 5)"),
    ("join", "SELECT a.event_id, b.event_id FROM events a JOIN events b ON b.user_id = a.user_id AND b.seen_at > a.seen_at",
     "SELECT a.event_id, b.event_id FROM events a JOIN events b ON b.seen_at > a.seen_at",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5), (2, 2, 'buy', '2024-01-02', 5)"),
    ("aggregate", "SELECT COUNT(amount) FROM events", "SELECT COUNT(*) FROM events",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', NULL)"),
    ("aggregate", "SELECT COUNT(amount) FROM events", "SELECT COUNT(DISTINCT amount) FROM events",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5), (2, 1, 'buy', '2024-01-02', 5)"),
    ("aggregate", "SELECT COUNT(DISTINCT user_id) FROM events", "SELECT COUNT(user_id) FROM events",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5), (2, 1, 'buy', '2024-01-02', 5)"),
    ("aggregate", "SELECT u.user_id, COUNT(*) FROM users u LEFT JOIN events e ON e.user_id = u.user_id GROUP BY u.user_id",
     "SELECT u.user_id, COUNT(e.user_id) FROM users u LEFT JOIN events e ON e.user_id = u.user_id GROUP BY u.user_id",
     "INSERT INTO users VALUES (1, 'Ada')"),
    ("aggregate", "SELECT SUM(amount) FROM events", "SELECT AVG(amount) FROM events",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5), (2, 1, 'buy', '2024-01-02', 7)"),
    ("aggregate", "SELECT MIN(seen_at) FROM events", "SELECT MAX(seen_at) FROM events",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5), (2, 1, 'buy', '2024-01-02', 7)"),
    ("distinct", "SELECT DISTINCT user_id FROM events", "SELECT user_id FROM events",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5), (2, 1, 'buy', '2024-01-02', 7)"),
    ("distinct", "SELECT user_id FROM events", "SELECT DISTINCT user_id FROM events",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5), (2, 1, 'buy', '2024-01-02', 7)"),
    ("distinct", "SELECT user_id FROM users UNION ALL SELECT user_id FROM events",
     "SELECT user_id FROM users UNION SELECT user_id FROM events",
     "INSERT INTO users VALUES (1, 'Ada'); INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5)"),
    ("ranking", "SELECT event_id FROM (SELECT event_id, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY seen_at) AS rn FROM events) WHERE rn = 1",
     "SELECT event_id FROM (SELECT event_id, RANK() OVER (PARTITION BY user_id ORDER BY seen_at) AS rn FROM events) WHERE rn = 1",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5), (2, 1, 'buy', '2024-01-01', 7)"),
    ("window", "SELECT event_id, SUM(amount) OVER (ORDER BY seen_at ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM events",
     "SELECT event_id, SUM(amount) OVER (ORDER BY seen_at ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM events",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5), (2, 1, 'buy', '2024-01-02', 7), (3, 1, 'buy', '2024-01-03', 1)"),
    ("window", "SELECT event_id, LAG(amount) OVER (ORDER BY seen_at) FROM events",
     "SELECT event_id, LAG(amount, 2) OVER (ORDER BY seen_at) FROM events",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5), (2, 1, 'buy', '2024-01-02', 7), (3, 1, 'buy', '2024-01-03', 1)"),
    ("window", "SELECT event_id, LAG(amount) OVER (ORDER BY seen_at) FROM events",
     "SELECT event_id, LEAD(amount) OVER (ORDER BY seen_at) FROM events",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5), (2, 1, 'buy', '2024-01-02', 7)"),
    ("window", "SELECT event_id, SUM(amount) OVER (ORDER BY seen_at) FROM events",
     "SELECT event_id, SUM(amount) OVER (ORDER BY seen_at ROWS UNBOUNDED PRECEDING) FROM events",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5), (2, 1, 'buy', '2024-01-01', 7)"),
    ("window", "SELECT event_id, LAST_VALUE(amount) OVER (ORDER BY seen_at ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM events",
     "SELECT event_id, LAST_VALUE(amount) OVER (ORDER BY seen_at) FROM events",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5), (2, 1, 'buy', '2024-01-02', 7)"),
    ("null", "SELECT COALESCE(SUM(amount), 0) FROM events", "SELECT SUM(amount) FROM events", ""),
    ("null", "SELECT event_id FROM events WHERE amount IS NULL", "SELECT event_id FROM events WHERE NOT amount IS NULL",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', NULL)"),
    ("null", "SELECT event_id FROM events WHERE kind IS DISTINCT FROM 'buy'", "SELECT event_id FROM events WHERE kind <> 'buy'",
     "INSERT INTO events VALUES (1, 1, NULL, '2024-01-01', 5)"),
    ("null", "SELECT event_id, 1.0 / NULLIF(amount, 0) FROM events", "SELECT event_id, 1.0 / amount FROM events",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 0)"),
    ("null", "SELECT user_id FROM users WHERE user_id NOT IN (SELECT user_id FROM events)",
     "SELECT user_id FROM users WHERE NOT EXISTS (SELECT 1 FROM (SELECT user_id FROM events) AS _not_in(_value) WHERE _not_in._value = user_id)",
     "INSERT INTO users VALUES (1, 'Ada'); INSERT INTO events VALUES (1, NULL, 'buy', '2024-01-01', 5)"),
    ("null", "SELECT u.user_id FROM users u WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.user_id = u.user_id)",
     "SELECT u.user_id FROM users u WHERE NOT u.user_id IN (SELECT e.user_id FROM events e)",
     "INSERT INTO users VALUES (1, 'Ada'); INSERT INTO events VALUES (1, NULL, 'buy', '2024-01-01', 5)"),
    ("date", "SELECT session_id, EXTRACT(EPOCH FROM ended_at - started_at) / 60 FROM sessions",
     "SELECT session_id, EXTRACT(MINUTE FROM ended_at - started_at) FROM sessions",
     "INSERT INTO sessions VALUES (1, '2024-01-01 10:00', '2024-01-01 11:30')"),
    ("date", "SELECT session_id, date_diff('day', started_at, ended_at) FROM sessions",
     "SELECT session_id, EXTRACT(DAY FROM ended_at - started_at) FROM sessions",
     "INSERT INTO sessions VALUES (1, '2024-01-01 23:00', '2024-01-02 01:00')"),
    ("date", "SELECT date_trunc('month', seen_at) AS m, COUNT(*) FROM events GROUP BY 1",
     "SELECT date_trunc('week', seen_at) AS m, COUNT(*) FROM events GROUP BY 1",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5), (2, 1, 'buy', '2024-01-20', 7)"),
    ("date", "SELECT COUNT(DISTINCT date_trunc('month', seen_at)) FROM events",
     "SELECT COUNT(DISTINCT EXTRACT(MONTH FROM seen_at)) FROM events",
     "INSERT INTO events VALUES (1, 1, 'buy', '2023-01-10', 5), (2, 1, 'buy', '2024-01-10', 7)"),
    ("date", "SELECT COUNT(DISTINCT strftime(seen_at, '%Y-%m')) FROM events",
     "SELECT COUNT(DISTINCT strftime(seen_at, '%m')) FROM events",
     "INSERT INTO events VALUES (1, 1, 'buy', '2023-01-10', 5), (2, 1, 'buy', '2024-01-10', 7)"),
    ("cast", "SELECT CAST(COUNT(amount) AS DOUBLE) / COUNT(*) FROM events", "SELECT COUNT(amount) // COUNT(*) FROM events",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5), (2, 1, 'buy', '2024-01-02', NULL)"),
    ("cast", "SELECT 100.0 * COUNT(amount) / COUNT(*) FROM events", "SELECT 100 * COUNT(amount) // COUNT(*) FROM events",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5), (2, 1, 'buy', '2024-01-02', 6), (3, 1, 'buy', '2024-01-03', NULL)"),
    ("group", "SELECT name, COUNT(*) FROM users GROUP BY user_id, name", "SELECT name, COUNT(*) FROM users GROUP BY name",
     "INSERT INTO users VALUES (1, 'Ada'), (2, 'Ada')"),
    ("group", "SELECT event_id, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY seen_at) FROM events",
     "SELECT event_id, ROW_NUMBER() OVER (ORDER BY seen_at) FROM events",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5), (2, 2, 'buy', '2024-01-02', 7)"),
    ("order", "SELECT event_id FROM events ORDER BY seen_at DESC LIMIT 1", "SELECT event_id FROM events ORDER BY seen_at LIMIT 1",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5), (2, 1, 'buy', '2024-01-02', 7)"),
    ("order", "SELECT event_id FROM events ORDER BY kind, amount, event_id LIMIT 1",
     "SELECT event_id FROM events ORDER BY kind, event_id LIMIT 1",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 7), (2, 1, 'buy', '2024-01-02', 5)"),
    ("order", "SELECT event_id FROM events ORDER BY event_id LIMIT 1", "SELECT event_id FROM events ORDER BY event_id LIMIT 2",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5), (2, 1, 'buy', '2024-01-02', 7)"),
    ("constant", "SELECT event_id FROM events WHERE amount >= 100", "SELECT event_id FROM events WHERE amount >= 101",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 100)"),
    ("constant", "SELECT event_id FROM events WHERE amount > 9.99", "SELECT event_id FROM events WHERE amount > 10.00",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 10.00)"),
    ("constant", "SELECT event_id FROM events WHERE seen_at < DATE '2024-04-01'", "SELECT event_id FROM events WHERE seen_at < DATE '2024-03-31'",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-03-31 12:00', 5)"),
    ("constant", "SELECT event_id FROM events WHERE seen_at < TIMESTAMP '2024-04-01'",
     "SELECT event_id FROM events WHERE seen_at < TIMESTAMP '2024-03-31 23:59:59'",
     "INSERT INTO events VALUES (1, 1, 'buy', '2024-03-31 23:59:59', 5)"),
    ("constant", "SELECT session_id FROM sessions WHERE ended_at - started_at > INTERVAL 30 MINUTE",
     "SELECT session_id FROM sessions WHERE ended_at - started_at > INTERVAL 31 MINUTE",
     "INSERT INTO sessions VALUES (1, '2024-01-01 10:00', '2024-01-01 10:30:30')"),
]


def _id(case) -> str:
    return f"{case[0]}: {case[2][:60]}"


@pytest.mark.parametrize("operator, query, mutant, killer", CASES, ids=[_id(c) for c in CASES])
def test_the_operator_yields_the_mutant_and_the_dataset_kills_it(checker, operator, query, mutant, killer):
    made = {normalise(m.sql): m for m in mutants(query)}
    assert normalise(mutant) in made, "\n".join(made)
    assert made[normalise(mutant)].operator == operator
    task = SqlTask(SCHEMA, (Dataset("killer", killer, visible=True),), query)
    assert checker.check_sync(task, query).verdict is Verdict.CORRECT
    assert checker.check_sync(task, mutant).verdict is not Verdict.CORRECT


def test_every_operator_has_a_pinned_case():
    assert {c[0] for c in CASES} == set(OPERATOR_NAMES)


@pytest.mark.parametrize(
    "query, unchanged",
    [
        ("SELECT ROUND(AVG(amount), 2) FROM events", "2"),
        ("SELECT COUNT(CASE WHEN kind = 'buy' THEN 1 END) FROM events", "1"),
        ("SELECT user_id FROM users u WHERE EXISTS (SELECT 1 FROM events e WHERE e.user_id = u.user_id)", "1"),
    ],
    ids=["rounding-precision", "counted-value", "exists-select-1"],
)
def test_values_the_result_cannot_depend_on_are_left_alone(query, unchanged):
    constants = [m for m in mutants(query) if m.operator == "constant"]
    assert not any(f"`{unchanged}` →" in m.description for m in constants), [m.description for m in constants]


def test_the_result_order_is_mutated_only_when_it_is_compared():
    query = "SELECT event_id FROM events ORDER BY seen_at DESC"
    assert not [m for m in mutants(query) if m.operator == "order"]
    assert [m for m in mutants(query, order_matters=True) if m.operator == "order"]


def test_mutants_are_distinct_differ_from_the_query_and_survive_reformatting():
    query = CASES[4][1]
    found = mutants(query)
    texts = [normalise(m.sql) for m in found]
    assert len(texts) == len(set(texts)) and normalise(query) not in texts
    assert len({m.description for m in found}) == len(found)
    reformatted = "select u.user_id,\n  count(e.event_id)\nfrom users u\nleft join events e\n  on e.user_id = u.user_id and e.kind = 'buy'\ngroup by u.user_id"
    assert [m.description for m in mutants(reformatted)] == [m.description for m in found]


def test_an_unparseable_query_is_a_clear_error():
    with pytest.raises(MutationError, match="sqlglot cannot parse it"):
        mutants("SELECT FROM WHERE (")


TYPES = {"events": {"event_id": "INTEGER", "user_id": "INTEGER", "kind": "VARCHAR", "seen_at": "TIMESTAMP", "amount": "DECIMAL(10,2)"}}


@pytest.mark.parametrize(
    "query, made",
    [
        ("SELECT SUM(amount) / COUNT(*) FROM events", False),  # a DECIMAL numerator: DuckDB's // divides exactly
        ("SELECT AVG(event_id) / 2 FROM events", False),  # AVG is a DOUBLE
        ("WITH t AS (SELECT user_id, SUM(amount) AS spent FROM events GROUP BY 1) SELECT spent / 3 FROM t", False),
        ("SELECT 100.0 * amount / event_id FROM events", False),  # the cast is dropped, the DECIMAL column stays
        ("SELECT COUNT(amount) / COUNT(*) FROM events", True),
        ("SELECT 100.0 * COUNT(amount) / COUNT(*) FROM events", True),
        ("WITH t AS (SELECT user_id, COUNT(*) AS n FROM events GROUP BY 1) SELECT n / 2 FROM t", True),
    ],
)
def test_integer_division_is_offered_only_where_duckdb_would_truncate(checker, query, made):
    offered = [m for m in mutants(query, types=TYPES) if m.operator == "cast"]
    assert bool(offered) is made, [m.sql for m in offered]
    assert [m for m in mutants(query) if m.operator == "cast"]  # without the types, every division is offered
    if not made:  # and the one left out is the query itself on any data with no zero divisor
        unguarded = next(m for m in mutants(query) if m.operator == "cast")
        task = SqlTask(SCHEMA, (Dataset("any", "INSERT INTO events VALUES (1, 1, 'buy', '2024-01-01', 5.25), (2, 1, 'buy', '2024-01-02', 7)", visible=True),), query)
        assert checker.check_sync(task, unguarded.sql).verdict is Verdict.CORRECT
