"""Hostile and broken answers: each gets a clear verdict, and the pool keeps grading.

The batch runs on its own pool with a short time limit so the CPU bombs cost 1.5 s
each. Every message must be non-empty, say nothing about the checker's own files, and
never show a hidden row.
"""

import asyncio
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pytest

import bot
from bot.grading import Checker, Dataset, Limits, SqlTask, Verdict
from bot.grading.sandbox import Sandbox

SECRET = "Zelda-Secret"  # a name only the hidden dataset holds

TASK = SqlTask(
    schema="CREATE TABLE members (id INTEGER, name VARCHAR, score INTEGER);",
    datasets=[
        Dataset("sample", "INSERT INTO members VALUES (1, 'ann', 40), (2, 'bob', 70), (3, 'cy', 90);", visible=True),
        Dataset("secret-scores", f"INSERT INTO members VALUES (1, '{SECRET}', 99), (2, 'dee', 10);"),
    ],
    solution="SELECT name, score FROM members WHERE score > 50",
)
CORRECT = "SELECT name, score FROM members WHERE score >= 51"

# Another question with its own table, loaded in the same workers.
OTHER_TASK = SqlTask(
    schema="CREATE TABLE salaries (who VARCHAR, amount INTEGER);",
    datasets=[Dataset("sample", "INSERT INTO salaries VALUES ('boss', 1000000);", visible=True)],
    solution="SELECT who FROM salaries",
)

TIMEOUT = 1.5
BOMB = ("error", "timeout")  # stopped either by a memory limit or by the clock, depending on the machine


def case(id, answer, verdict, *, dialect=None, says=None):
    return pytest.param(answer, verdict, dialect, says, id=id)


HOSTILE = [
    # ---- reading files -------------------------------------------------------------------
    case("read_csv-etc-passwd", "SELECT * FROM read_csv('/etc/passwd')", "error", says="disabled"),
    case("read_text", "SELECT content, 1 FROM read_text('/etc/hostname')", "error", says="disabled"),
    case("read_blob", "SELECT content, 1 FROM read_blob('/etc/hostname')", "error", says="disabled"),
    case("glob-root", "SELECT file, 1 FROM glob('/*')", "error", says="disabled"),
    case("path-as-table", "SELECT * FROM '/etc/passwd'", "error"),
    case("parquet-own-source", f"SELECT * FROM parquet_scan('{Path(bot.__file__)}')", "error", says="disabled"),
    case("proc-environ", "SELECT * FROM read_csv_auto('/proc/self/environ')", "error", says="disabled"),
    case("list-extensions-dir", "SELECT * FROM duckdb_extensions()", "error"),
    case("sqlite_scan", "SELECT * FROM sqlite_scan('/tmp/x.db', 'members')", "error"),
    case("getenv", "SELECT getenv('HOME'), 1", "error"),
    # ---- the network ------------------------------------------------------------------------
    case("https-parquet", "SELECT * FROM read_parquet('https://example.com/x.parquet')", "error", says="disabled"),
    case("https-replacement-scan", "SELECT * FROM 'https://example.com/data.csv'", "error", says="disabled"),
    case("s3-json", "SELECT * FROM read_json_auto('s3://bucket/x.json')", "error", says="disabled"),
    # ---- other databases, extensions, settings ---------------------------------------------------
    case("attach-file", "ATTACH '/tmp/evil.db' AS evil", "refused", says="ATTACH"),
    case("attach-memory", "ATTACH ':memory:' AS scratch", "refused", says="ATTACH"),
    case("detach", "DETACH memory", "refused", says="DETACH"),
    case("use", "USE memory", "refused"),
    case("install-httpfs", "INSTALL httpfs", "refused", says="INSTALL"),
    case("load-httpfs", "LOAD httpfs", "refused", says="LOAD"),
    case("force-install", "FORCE INSTALL httpfs FROM community", "refused", says="INSTALL"),
    case("install-in-postgres", "INSTALL httpfs", "refused", dialect="postgres", says="INSTALL"),
    case("set-external-access", "SET enable_external_access = true", "refused", says="SET"),
    case("set-memory-limit", "SET memory_limit = '100GB'", "refused", says="SET"),
    case("set-variable", "SET VARIABLE x = 42", "refused", says="SET"),
    case("reset", "RESET memory_limit", "refused", says="SET"),
    case("pragma", "PRAGMA database_list", "refused", says="PRAGMA"),
    case("pragma-profiling", "PRAGMA enable_profiling", "refused", says="PRAGMA"),
    case("query-function-ddl", "SELECT * FROM query('DROP TABLE members')", "error"),
    case("query-function-unlock", "SELECT * FROM query('SET lock_configuration = false')", "error"),
    # ---- changing the schema or the data -----------------------------------------------------
    case("create-table", "CREATE TABLE z AS SELECT 1", "refused", says="CREATE"),
    case("create-macro", "CREATE MACRO score() AS 100", "refused", says="CREATE"),
    case("create-temp-view", "CREATE TEMP VIEW v AS SELECT 1", "refused", says="CREATE"),
    case("insert", f"INSERT INTO members VALUES (9, '{SECRET}', 1)", "refused", says="INSERT"),
    case("insert-returning", "INSERT INTO members VALUES (9, 'x', 1) RETURNING name, score", "refused", says="INSERT"),
    case("update", "UPDATE members SET score = 0", "refused", says="UPDATE"),
    case("delete", "DELETE FROM members", "refused", says="DELETE"),
    case("drop", "DROP TABLE members", "refused", says="DROP"),
    case("alter", "ALTER TABLE members ADD COLUMN x INTEGER", "refused", says="ALTER"),
    case("truncate", "TRUNCATE members", "refused"),
    case("delete-inside-with", "WITH d AS (DELETE FROM members RETURNING *) SELECT name, score FROM d", "refused", says="DELETE"),
    case("update-inside-with", "WITH u AS (UPDATE members SET score = 100 RETURNING *) SELECT name, score FROM u", "refused", says="UPDATE"),
    case("insert-inside-with-postgres", "WITH i AS (INSERT INTO members VALUES (7, 'x', 70) RETURNING *) SELECT name, score FROM i",
         "refused", dialect="postgres", says="INSERT"),
    case("copy-to-file", "COPY members TO '/tmp/stolen.csv'", "refused", says="COPY"),
    case("copy-query-to-file", "COPY (SELECT * FROM members) TO '/tmp/stolen.parquet' (FORMAT parquet)", "refused", says="COPY"),
    case("copy-from-file", "COPY members FROM '/etc/passwd'", "refused", says="COPY"),
    case("copy-inside-with", "WITH c AS (COPY members TO '/tmp/stolen.csv') SELECT 1, 2", "refused", says="COPY"),
    case("export-database", "EXPORT DATABASE '/tmp/dump'", "refused", says="EXPORT"),
    case("checkpoint", "CHECKPOINT", "refused"),
    case("vacuum", "VACUUM", "refused"),
    # ---- transactions, several statements, procedures ------------------------------------------
    case("begin", "BEGIN TRANSACTION", "refused", says="TRANSACTION"),
    case("commit", "COMMIT", "refused", says="TRANSACTION"),
    case("rollback", "ROLLBACK", "refused", says="TRANSACTION"),
    case("two-selects", "SELECT name, score FROM members; SELECT 1, 2", "refused", says="2 statements"),
    case("select-then-drop", f"{CORRECT}; DROP TABLE members", "refused", says="2 statements"),
    case("commit-then-drop", "COMMIT; DROP TABLE members; BEGIN", "refused", says="3 statements"),
    case("nul-then-drop", f"{CORRECT}\x00; DROP TABLE members", ("refused", "error")),  # never runs either way
    case("call-procedure", "CALL pragma_version()", "refused", says="CALL"),
    case("explain", f"EXPLAIN {CORRECT}", "refused", says="EXPLAIN"),
    case("prepare", "PREPARE p AS SELECT 1", "refused", says="PREPARE"),
    case("execute", "EXECUTE p", "refused", says="EXECUTE"),
    # ---- CPU bombs ------------------------------------------------------------------------------
    case("cross-join-bomb", "SELECT count(*), 1 FROM range(1000000) a, range(1000000000) b", "timeout", says="Timed out"),
    case("recursive-cte-forever", "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*), 1 FROM r",
         "timeout", says="Timed out"),
    case("self-join-bomb", "SELECT a.name, count(*) FROM members a, members b, members c, range(100000000) r GROUP BY 1",
         "timeout", says="Timed out"),
    # ---- memory bombs ---------------------------------------------------------------------------
    case("repeat-2e9", "SELECT repeat('x', 2e9), 1", "error"),
    case("repeat-2e9-bigint", "SELECT repeat('x', 2e9::BIGINT), 1", "error"),
    case("repeat-2-billion", "SELECT length(repeat('x', 2000000000)), 1", "error"),
    case("repeat-per-row", "SELECT name, length(repeat(name, 500000000)) FROM members", BOMB),
    case("string_agg-huge", "SELECT string_agg(repeat('x', 1000), ','), 1 FROM range(100000000)", BOMB),
    case("list-of-huge-ranges", "SELECT [range(100000000), range(100000000), range(100000000)], 1", BOMB),
    case("list-aggregate-huge", "SELECT list(range), 1 FROM range(1000000000)", BOMB),
    case("unnest-huge-in-subquery", "SELECT name, score FROM members WHERE id IN (SELECT unnest(range(1, 2000000000)))", BOMB),
    # ---- huge output ------------------------------------------------------------------------------
    case("range-1e9-rows", "SELECT range, range FROM range(1000000000)", "incorrect", says="row count"),
    case("cross-join-output", "SELECT name, score FROM members CROSS JOIN range(100000000)", "incorrect", says="more than"),
    case("wide-rows", "SELECT repeat('x', 1000000), 1 FROM range(100000)", BOMB),  # 2,048 rows a vector: 2 GB
    # ---- broken SQL -------------------------------------------------------------------------------
    case("typo", "SELEC name, score FROM members", "error", says="syntax error"),
    case("dangling-where", "SELECT name, score FROM members WHERE", "error", says="syntax error"),
    case("unbalanced-parenthesis", "SELECT (name, score FROM members", "error", says="syntax error"),
    case("unknown-column", "SELECT nme, score FROM members", "error", says="nme"),
    case("nested-3000-deep", "SELECT " + "(" * 3000 + "1" + ")" * 3000 + ", 1", "error"),
    case("nested-60-deep-postgres", "SELECT " + "(" * 60 + "1" + ")" * 60 + ", 1", "error", dialect="postgres", says="nested"),
    case("answer-200kb", "SELECT 'a' " + "|| 'xxxxxxx' " * 16_000 + ", 1", "refused", says="characters long"),
    case("non-utf8-bytes", b"SELECT '\xff\xfe', score FROM members".decode("utf-8", "surrogateescape"), "error", says="UTF-8"),
    case("non-utf8-in-postgres", b"SELECT name FROM members -- \xc3\x28".decode("utf-8", "surrogateescape"), "error",
         dialect="postgres", says="UTF-8"),
    case("latin1-mojibake", b"SELECT 'caf\xe9', 1".decode("latin-1"), "incorrect"),
    case("empty", "", "refused", says="no SQL"),
    case("whitespace", " \n\t ", "refused", says="no SQL"),
    case("comment-only", "-- SELECT name, score FROM members", "refused", says="no SQL"),
    case("block-comment-only", "/* nothing here */", "refused", says="no SQL"),
    case("semicolons-only", ";;;", "refused"),
    case("empty-code-fence", "```sql\n```", "refused", says="no SQL"),
    case("fence-hides-a-drop", "```sql\nDROP TABLE members\n```", "refused", says="DROP"),
    # ---- names that are not this question's ------------------------------------------------------
    case("dataset-name-as-catalog", 'SELECT name, score FROM "secret-scores".members', "error"),
    case("dataset-name-as-table", 'SELECT * FROM "secret-scores"', "error"),
    case("information-schema", "SELECT table_name, 1 FROM information_schema.tables", "incorrect"),
]


@pytest.fixture(scope="module")
def pool():
    with Checker(workers=2, limits=Limits(timeout=TIMEOUT)) as checker:
        assert checker.check_sync(TASK, CORRECT).verdict is Verdict.CORRECT
        assert checker.check_sync(OTHER_TASK, "SELECT who FROM salaries").verdict is Verdict.CORRECT
        yield checker


def internal_paths() -> list[str]:
    paths = {str(Path(bot.__file__).resolve().parents[1]), sys.prefix, sys.base_prefix, sys.exec_prefix,
             str(Path.home()), tempfile.gettempdir()}
    return sorted(p for p in paths if len(p) > 1)


def assert_clean(message: str) -> None:
    assert message.strip(), "the verdict has no message"
    for path in internal_paths():
        assert path not in message, f"internal path {path!r} in {message!r}"
    for word in ("site-packages", "Traceback", ".py\"", "/proc/"):
        assert word not in message, f"{word!r} in {message!r}"
    assert SECRET not in message


def test_there_are_at_least_forty_hostile_answers():
    assert len(HOSTILE) >= 40


@pytest.mark.parametrize("answer, verdict, dialect, says", HOSTILE)
def test_hostile_answer(pool, answer, verdict, dialect, says):
    result = pool.check_sync(TASK, answer, dialect=dialect)
    allowed = verdict if isinstance(verdict, tuple) else (verdict,)
    assert result.verdict.value in allowed, result.message
    assert not result.correct
    assert_clean(result.message)
    if says:
        assert says in result.message, result.message
    if result.verdict is Verdict.REFUSED:
        assert result.datasets == ()  # refused answers never ran
        assert "Refused" in result.message or "no SQL" in result.message or "UTF-8" in result.message


def test_the_pool_survives_the_batch(pool):
    # Every worker grades a correct answer right after the batch.
    futures = [pool.submit_check(TASK, CORRECT) for _ in range(4 * pool.workers)]
    results = [f.result(timeout=60) for f in futures]
    assert all(r.verdict is Verdict.CORRECT for r in results), [r.message for r in results]
    assert all(r.datasets and all(d.passed for d in r.datasets) for r in results)
    assert pool.check_sync(OTHER_TASK, "SELECT who FROM salaries").verdict is Verdict.CORRECT


def test_an_error_on_hidden_data_hides_the_data(pool):
    # Converting the names to numbers fails only on the hidden row: its value must not show.
    answer = f"SELECT name, CASE WHEN name = '{SECRET}' THEN name::INTEGER ELSE score END FROM members WHERE score > 50"
    result = pool.check_sync(TASK, answer)
    assert result.verdict is Verdict.ERROR
    assert "secret-scores" in result.message
    assert "details hidden" in result.message
    assert_clean(result.message)


def test_an_incorrect_answer_on_hidden_data_hides_the_rows(pool):
    answer = f"SELECT CASE WHEN name = '{SECRET}' THEN 'leaked' ELSE name END, score FROM members WHERE score > 50"
    result = pool.check_sync(TASK, answer)
    assert result.verdict is Verdict.INCORRECT
    assert "secret-scores" in result.message
    assert "leaked" not in result.message
    assert_clean(result.message)


async def test_a_bomb_holds_one_slot_while_others_are_graded(pool):
    finished: list[str] = []

    async def grade(label, answer):
        result = await pool.check(TASK, answer)
        finished.append(label)
        return result

    bomb = asyncio.ensure_future(grade("bomb", "SELECT count(*), 1 FROM range(1000000) a, range(1000000000) b"))
    await asyncio.sleep(0.05)  # the bomb is queued, and taken, first
    quick = [asyncio.ensure_future(grade(f"quick-{i}", CORRECT)) for i in range(3)]
    await asyncio.gather(bomb, *quick)
    assert all(q.result().verdict is Verdict.CORRECT for q in quick)
    assert bomb.result().verdict is Verdict.TIMEOUT
    # The correct answers went through the other worker while the bomb ran.
    assert finished[-1] == "bomb", finished


# ---- a killed worker ---------------------------------------------------------------------------


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def test_killing_a_worker_mid_check_gives_a_clean_verdict():
    with Checker(workers=1, limits=Limits(timeout=10)) as checker:
        assert checker.check_sync(TASK, CORRECT).verdict is Verdict.CORRECT  # loaded and warm
        slot = checker._slots[0]  # the pool does not expose workers publicly
        pid = slot.process.pid
        before = _cpu_ticks(pid)
        pending = checker.submit_check(TASK, "SELECT count(*), 1 FROM range(1000000) a, range(1000000000) b")
        deadline = time.monotonic() + 5
        while _cpu_ticks(pid) - before < 30 and time.monotonic() < deadline:  # running, past its 0.1 s quick pass
            time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)
        result = pending.result(timeout=30)
        assert result.verdict is Verdict.ERROR
        assert "stopped" in result.message
        assert_clean(result.message)
        assert checker.restarts == 1
        # The next answers are graded normally by a new worker.
        assert slot.process.pid != pid
        after = checker.check_sync(TASK, CORRECT)
        assert after.verdict is Verdict.CORRECT, after.message
        assert checker.check_sync(TASK, "SELECT name FROM members").verdict is Verdict.INCORRECT


def test_killing_an_idle_worker_is_noticed_before_the_next_answer():
    with Checker(workers=1, limits=Limits(timeout=5)) as checker:
        assert checker.check_sync(TASK, CORRECT).verdict is Verdict.CORRECT
        process = checker._slots[0].process
        os.kill(process.pid, signal.SIGKILL)
        process.join(5)
        result = checker.check_sync(TASK, CORRECT)
        assert result.verdict is Verdict.CORRECT, result.message


# ---- answers cannot change what other answers see ------------------------------------------------

FINGERPRINT = "SELECT count(*), sum(score), string_agg(name, ',' ORDER BY id) FROM members"


def test_an_answer_never_changes_the_data_another_answer_sees():
    task = SqlTask(TASK.schema, TASK.datasets, FINGERPRINT)
    attempts = [
        "DELETE FROM members",
        "UPDATE members SET score = 0",
        "INSERT INTO members VALUES (9, 'x', 9)",
        "COPY members FROM '/etc/hostname'",
        "PRAGMA disable_optimizer",
        "DROP TABLE members",
        "WITH d AS (DELETE FROM members RETURNING *) SELECT count(*), 0, '' FROM d",
        "WITH u AS (UPDATE members SET name = 'x' RETURNING *) SELECT count(*), 0, '' FROM u",
        "TRUNCATE members",
        "SELECT * FROM query('DELETE FROM members')",
        "COMMIT; DELETE FROM members",
        "CREATE OR REPLACE TABLE members AS SELECT 1 AS id, 'x' AS name, 1 AS score",
        "CREATE TEMP TABLE members AS SELECT 1 AS id, 'x' AS name, 1 AS score",
        "CREATE MACRO sum(x) AS 0",
        "ATTACH ':memory:' AS members",
        "SET search_path = 'nowhere'",
        "SELECT setseed(0.5), 0, ''",
        "SELECT * FROM query('CREATE TEMP TABLE members AS SELECT 1 AS id, ''x'' AS name, 1 AS score')",
        "WITH t AS (SELECT 1) CREATE TEMP TABLE members AS SELECT 1 AS id, 'x' AS name, 1 AS score",
        "USE temp",
        "SELECT count(*), 1, '' FROM range(1000000) a, range(1000000000) b",  # interrupted mid-run
    ]
    with Checker(workers=1, limits=Limits(timeout=1.5)) as checker:  # one worker sees every answer
        assert checker.check_sync(task, FINGERPRINT).verdict is Verdict.CORRECT
        for attempt in attempts:
            result = checker.check_sync(task, attempt)
            assert not result.correct, attempt
            after = checker.check_sync(task, FINGERPRINT)
            assert after.verdict is Verdict.CORRECT, (attempt, after.message)
        # Another question loaded in the same worker is out of reach.
        assert checker.check_sync(OTHER_TASK, "SELECT who FROM salaries").verdict is Verdict.CORRECT
        reach = checker.check_sync(task, "SELECT who, amount, '' FROM salaries")
        assert reach.verdict is Verdict.ERROR
        assert "salaries" in reach.message and "does not exist" in reach.message
        assert "boss" not in reach.message


def test_the_read_only_data_refuses_what_the_first_fence_would_miss():
    # Below the refusal: each dataset is opened read-only, so even a mutation that
    # reached DuckDB fails and leaves no trace, for the next dataset and the next answer.
    sandbox = Sandbox(Limits())
    loaded = sandbox.load(TASK)
    con = loaded.connections[0]
    deadline = time.monotonic() + 10
    before = sandbox._run(con, FINGERPRINT, deadline)
    for mutation in (
        "WITH d AS (DELETE FROM members RETURNING *) SELECT count(*) FROM d",
        "UPDATE members SET score = -1",
        "INSERT INTO members VALUES (9, 'x', 9)",
        "DROP TABLE members",
        "CREATE TABLE members2 AS SELECT 1",
        "CREATE MACRO score(x) AS 0",
        "ATTACH ':memory:' AS other",
        # Read-only data still takes temporary objects and variables, which would outlive
        # the answer on its connection: the sandbox runs nothing DuckDB does not parse as one SELECT.
        "CREATE TEMP TABLE members AS SELECT 0 AS id, 'x' AS name, 0 AS score",
        "CREATE TEMP VIEW members AS SELECT 0 AS id, 'x' AS name, 0 AS score",
        "CREATE TEMP MACRO sum(x) AS 0",
        "SET VARIABLE score = 0",
        "SELECT 1; CREATE TEMP TABLE members AS SELECT 0 AS id, 'x' AS name, 0 AS score",
    ):
        with pytest.raises(duckdb.Error):
            sandbox._run(con, mutation, deadline)
    with pytest.raises(duckdb.ConversionException):  # a query that fails mid-run leaves nothing either
        sandbox._run(con, "SELECT CAST(name AS INTEGER) FROM members", deadline)
    assert sandbox._run(con, FINGERPRINT, deadline) == before
    for c in loaded.connections:
        c.close()
