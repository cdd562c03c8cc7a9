"""The command line: a command loads only its own module."""

import subprocess
import sys

from bot.__main__ import COMMANDS


def loaded_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", f"import sys\n{code}\nprint(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_a_command_imports_no_other_command_module():
    loaded = loaded_after("from bot.__main__ import build_parser\nbuild_parser(['check', 'q.yaml', 'a.sql'])")
    assert "bot.cli.check" in loaded
    assert not {module for module, _ in COMMANDS.values()} - {"bot.cli.check"} & loaded
    assert "sqlalchemy" not in loaded  # the database is not the checker's business


def test_help_lists_every_command_without_importing_one():
    loaded = loaded_after("from bot.__main__ import build_parser\nbuild_parser(['--help']).format_help()")
    assert not {module for module, _ in COMMANDS.values()} & loaded
    result = subprocess.run([sys.executable, "-m", "bot", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for name, (_, helptext) in COMMANDS.items():
        assert name in result.stdout and helptext.split()[0] in result.stdout


def test_a_command_parses_as_before():
    result = subprocess.run([sys.executable, "-m", "bot", "db", "upgrade", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "--db" in result.stdout
