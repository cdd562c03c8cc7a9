"""py-testing-daily-job-with-fixtures: the published tests pass, and fail on the prompt's bug."""

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/python/py-testing-daily-job-with-fixtures.yaml").read_text(encoding="utf-8"))["answer"]
CODE = re.search(r"```python\n(.*?)```", ANSWER, re.S).group(1)


def run_pytest(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """The answer as its own test file, in a bare pytest (no project config or plugins)."""
    path = tmp_path / "test_published_answer.py"
    path.write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", os.devnull,
                           "--rootdir", str(tmp_path), str(path)], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=60)


def test_the_printed_numbers():
    assert round((100 - 20) * 1.08, 2) == 86.4 and "**86.4**" in ANSWER
    assert round(10 * 1.27, 2) == 12.7 and "**12.7**" in ANSWER


def test_the_published_tests_pass(tmp_path):
    result = run_pytest(CODE, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 passed" in result.stdout, result.stdout


def test_the_published_tests_catch_a_silently_missing_rate(tmp_path):
    buggy = CODE.replace('''        if row["currency"] not in rates:
            raise ValueError(f"no rate for {row['currency']}")
        usd = float(row["amount"]) * rates[row["currency"]]''', '''        usd = float(row["amount"]) * rates.get(row["currency"], 0)''')
    assert buggy != CODE
    result = run_pytest(buggy, tmp_path)
    assert result.returncode == 1 and "1 failed, 5 passed" in result.stdout, result.stdout
