"""`studybot check`: the contract other tools rely on, run as the real command.

    studybot check QUESTION ANSWER... [--dialect D] [--json]

--json prints one object per answer, one per line, in the order given; exit 0 when
every answer is correct, 1 when any is not, 2 for a usage error or an invalid question.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import FIXTURE_BANK

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "examples/customers-without-orders.yaml"
LEFT_JOIN = "examples/answer-left-join.sql"  # correct, in a ```postgresql fence
NOT_IN = "examples/answer-not-in.sql"  # right on the sample, wrong on the hidden dataset
HIDDEN = "order-without-customer"
HIDDEN_NAMES = ("Grace",)  # the hidden dataset's rows: Ada and Grace, 'Grace' expected
KEYS = {"answer", "verdict", "message", "datasets", "elapsed_ms"}


def studybot(*args, stdin: bytes | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "check", *map(str, args)],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=180,
    )


def json_lines(done: subprocess.CompletedProcess) -> list[dict]:
    lines = done.stdout.decode().splitlines()
    return [json.loads(line) for line in lines]


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def test_json_is_one_object_per_answer_in_the_order_given():
    done = studybot(QUESTION, NOT_IN, LEFT_JOIN, NOT_IN, "--json")
    assert done.returncode == 1, done.stderr
    results = json_lines(done)
    assert [r["answer"] for r in results] == [NOT_IN, LEFT_JOIN, NOT_IN]  # the paths as given
    assert [r["verdict"] for r in results] == ["incorrect", "correct", "incorrect"]
    for result in results:
        assert set(result) == KEYS
        assert isinstance(result["message"], str) and result["message"]
        assert isinstance(result["elapsed_ms"], int) and result["elapsed_ms"] >= 0
        assert [set(d) for d in result["datasets"]] == [{"name", "passed"}] * 2
    assert results[0]["datasets"] == [{"name": "sample", "passed": True}, {"name": HIDDEN, "passed": False}]
    assert results[1]["datasets"] == [{"name": "sample", "passed": True}, {"name": HIDDEN, "passed": True}]


def test_exit_0_when_every_answer_is_correct():
    done = studybot(QUESTION, LEFT_JOIN, LEFT_JOIN, "--json")
    assert done.returncode == 0, done.stderr
    assert [r["verdict"] for r in json_lines(done)] == ["correct", "correct"]


def test_readable_text_without_json():
    done = studybot(QUESTION, LEFT_JOIN, NOT_IN)
    assert done.returncode == 1
    text = done.stdout.decode()
    assert f"{LEFT_JOIN}: CORRECT" in text
    assert f"{NOT_IN}: INCORRECT" in text
    assert text.index(LEFT_JOIN) < text.index(NOT_IN)
    assert "postgres" in text  # the fence's dialect
    with pytest.raises(json.JSONDecodeError):
        json.loads(text.splitlines()[0])


def test_many_answers_keep_their_order(tmp_path):
    # Graded in parallel on the pool; printed in the order given.
    answers = []
    for i in range(30):
        good = i % 3 != 0
        sql = (
            f"SELECT c.name FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id) -- {i}"
            if good
            else f"SELECT name FROM customers WHERE id > {i}"
        )
        answers.append((write(tmp_path, f"answer-{i:02}.sql", sql), good))
    done = studybot(QUESTION, *[a for a, _ in answers], "--json", "--workers", "3")
    assert done.returncode == 1
    results = json_lines(done)
    assert [r["answer"] for r in results] == [str(a) for a, _ in answers]
    assert [r["verdict"] == "correct" for r in results] == [good for _, good in answers]


def test_stdin_is_read_for_dash():
    sql = (ROOT / LEFT_JOIN).read_bytes()
    done = studybot(QUESTION, NOT_IN, "-", "--json", stdin=sql)
    results = json_lines(done)
    assert [r["answer"] for r in results] == [NOT_IN, "-"]
    assert [r["verdict"] for r in results] == ["incorrect", "correct"]
    assert done.returncode == 1


def test_dialect_option_applies_to_answers_without_a_fence(tmp_path):
    ratio = write(tmp_path, "ratio.sql", "SELECT name FROM customers WHERE 1 / 2 = 0 AND id NOT IN (SELECT customer_id FROM orders WHERE customer_id IS NOT NULL)")
    fenced = write(tmp_path, "fenced.sql", "```duckdb\n" + ratio.read_text() + "\n```")
    as_postgres = json_lines(studybot(QUESTION, ratio, fenced, "--dialect", "postgres", "--json"))
    # 1 / 2 is 0 in PostgreSQL (the answer is right) and 0.5 in DuckDB (it returns nothing).
    assert [r["verdict"] for r in as_postgres] == ["correct", "incorrect"]
    as_default = json_lines(studybot(QUESTION, ratio, "--json"))
    assert [r["verdict"] for r in as_default] == ["incorrect"]


def test_a_question_id_from_the_bank():
    sql = b"WITH t AS (SELECT customer_id, SUM(amount) s FROM orders GROUP BY 1) SELECT customer_id FROM t WHERE s = (SELECT MAX(s) FROM t)"
    done = studybot("sql-top-spender", "-", "--content", FIXTURE_BANK, "--json", stdin=sql)
    assert done.returncode == 0, done.stderr
    [result] = json_lines(done)
    assert result["verdict"] == "correct"
    assert [d["name"] for d in result["datasets"]] == ["sample", "tie-at-the-top"]
    wrong = studybot("sql-top-spender", "-", "--content", FIXTURE_BANK, "--json",
                     stdin=b"SELECT customer_id FROM orders GROUP BY customer_id ORDER BY SUM(amount) DESC LIMIT 1")
    assert wrong.returncode == 1
    assert json_lines(wrong)[0]["datasets"] == [{"name": "sample", "passed": True}, {"name": "tie-at-the-top", "passed": False}]


def test_hidden_data_is_named_never_shown(tmp_path):
    leak = write(
        tmp_path,
        "leak.sql",
        # Right on the 3-customer sample; on the hidden dataset it renames the row it returns.
        "SELECT CASE WHEN (SELECT COUNT(*) FROM customers) = 2 THEN 'leaked-' || c.name ELSE c.name END "
        "FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)",
    )
    crash = write(
        tmp_path,
        "crash.sql",
        # Fails only on hidden data, with the hidden value in DuckDB's own message.
        "SELECT CASE WHEN (SELECT COUNT(*) FROM customers) = 2 THEN CAST(c.name AS INTEGER)::VARCHAR ELSE c.name END "
        "FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)",
    )
    sample_wrong = write(tmp_path, "sample-wrong.sql", "SELECT name FROM customers")
    done = studybot(QUESTION, NOT_IN, leak, crash, sample_wrong, "--json")
    results = json_lines(done)
    not_in, leaked, crashed, on_sample = results
    for result in (not_in, leaked, crashed):
        assert f"`{HIDDEN}`" in result["message"], result["message"]
        for name in HIDDEN_NAMES + ("leaked",):
            assert name not in result["message"], result["message"]
    assert not_in["verdict"] == leaked["verdict"] == "incorrect"
    assert "row count" in not_in["message"]
    assert "values" in leaked["message"]
    assert crashed["verdict"] == "error" and "details hidden" in crashed["message"]
    # On the visible sample the first unexpected row may be shown.
    assert on_sample["verdict"] == "incorrect"
    assert "the sample" in on_sample["message"] and "(Ada)" in on_sample["message"]
    assert done.returncode == 1


def test_non_utf8_answer_is_an_error_verdict(tmp_path):
    bad = write(tmp_path, "latin1.sql", b"SELECT name FROM customers WHERE name = 'Andr\xe9'")
    done = studybot(QUESTION, bad, LEFT_JOIN, "--json")
    first, second = json_lines(done)
    assert first["verdict"] == "error" and "UTF-8" in first["message"]
    assert second["verdict"] == "correct"
    assert done.returncode == 1


def test_refused_and_timeout_answers_in_json(tmp_path):
    drop = write(tmp_path, "drop.sql", "DROP TABLE customers")
    bomb = write(tmp_path, "bomb.sql", "SELECT count(*)::VARCHAR FROM range(1000000) a, range(1000000000) b")
    done = studybot(QUESTION, drop, bomb, LEFT_JOIN, "--json", "--timeout", "1")
    results = json_lines(done)
    assert [r["verdict"] for r in results] == ["refused", "timeout", "correct"]
    assert results[0]["datasets"] == []
    assert "DROP" in results[0]["message"]
    assert done.returncode == 1


# ---- exit 2: usage errors and invalid questions ----------------------------------------------


def stderr_of(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert done.stdout == b""
    return done.stderr.decode()


@pytest.mark.parametrize(
    "args, says",
    [
        pytest.param([], "required", id="no-arguments"),
        pytest.param([QUESTION], "required", id="no-answer"),
        pytest.param([QUESTION, LEFT_JOIN, "--dialect", "db2"], "unknown SQL dialect 'db2'", id="unknown-dialect"),
        pytest.param([QUESTION, "examples/no-such-answer.sql"], "cannot read answer examples/no-such-answer.sql", id="missing-answer"),
        pytest.param([QUESTION, "-", "-"], "stdin (-) can be given only once", id="stdin-twice"),
        pytest.param([QUESTION, LEFT_JOIN, "--workers", "0"], "--workers", id="zero-workers"),
        pytest.param([QUESTION, LEFT_JOIN, "--frobnicate"], "unrecognized arguments", id="unknown-option"),
        pytest.param(["examples/no-such-question.yaml", LEFT_JOIN], "no such question file: examples/no-such-question.yaml", id="missing-question-file"),
        pytest.param(["no-such-question-id", LEFT_JOIN, "--content", FIXTURE_BANK], "'no-such-question-id' is neither", id="unknown-id"),
        pytest.param(["beh-disagree-and-commit", LEFT_JOIN, "--content", FIXTURE_BANK], "only sql questions", id="written-question"),
    ],
)
def test_usage_errors_exit_2(args, says):
    message = stderr_of(studybot(*args))
    assert says in message


def test_an_invalid_question_file_names_file_field_and_problem(tmp_path):
    text = (ROOT / QUESTION).read_text()
    broken = text.replace("difficulty: easy", "difficulty: impossible").replace("solution: |", "solutoin: |")
    path = write(tmp_path, "broken.yaml", broken)
    message = stderr_of(studybot(path, LEFT_JOIN))
    assert f"{path}: difficulty:" in message
    assert f"{path}: solutoin: unknown field; did you mean solution? (it is missing)" in message  # one line for the typo


def test_a_yaml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, "syntax.yaml", "id: x\ncategory: sql\nprompt: [unclosed\n")
    message = stderr_of(studybot(path, LEFT_JOIN))
    assert str(path) in message and "line" in message and "YAML" in message


def test_a_question_whose_sql_does_not_run_exits_2(tmp_path):
    text = (ROOT / QUESTION).read_text()
    path = write(tmp_path, "bad-schema.yaml", text.replace("CREATE TABLE orders", "CREATE TABLEE orders"))
    message = stderr_of(studybot(path, LEFT_JOIN, "--json"))
    assert "cannot be graded" in message and "schema" in message
