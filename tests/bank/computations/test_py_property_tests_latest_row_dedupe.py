"""py-property-tests-latest-row-dedupe: the published properties catch the tie bug, and only it."""

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import Phase

ROOT = Path(__file__).resolve().parents[3]
QUESTION = yaml.safe_load((ROOT / "content/questions/python/py-property-tests-latest-row-dedupe.yaml").read_text(encoding="utf-8"))
TESTS = ["test_one_row_per_id_in_id_order", "test_output_rows_come_from_the_input",
         "test_no_row_is_newer_than_its_ids_output", "test_idempotent", "test_matches_the_oracle"]


def code_of(text: str) -> str:
    return re.search(r"```python\n(.*?)```", text, re.S).group(1)


def properties_against(implementation) -> dict:
    """The answer's tests, bound to `implementation`, with fewer examples to stay fast."""
    code = code_of(QUESTION["answer"])
    assert "max_examples=200, deadline=None" in code
    namespace = {"latest_per_id": implementation, "Phase": Phase}
    quick = "max_examples=40, database=None, phases=[Phase.explicit, Phase.generate]"  # no shrinking
    exec(code.replace("max_examples=200", quick), namespace)
    return namespace


def prompt_version():
    namespace: dict = {}
    exec(code_of(QUESTION["prompt"]), namespace)
    return namespace["latest_per_id"]


def fixed_version():
    source = code_of(QUESTION["prompt"]).replace('row["updated_at"] > current', 'row["updated_at"] >= current')
    namespace: dict = {}
    exec(source, namespace)
    return namespace["latest_per_id"]


@pytest.mark.parametrize("name", TESTS)
def test_every_property_passes_on_the_fixed_version(name):
    properties_against(fixed_version())[name]()


def test_only_the_oracle_catches_the_tie_bug():
    namespace = properties_against(prompt_version())
    for name in TESTS[:-1]:
        namespace[name]()
    with pytest.raises(AssertionError):
        namespace["test_matches_the_oracle"]()


def test_the_shrunk_example_is_a_real_failure():
    rows = [{"id": 0, "updated_at": 0, "value": 0}, {"id": 0, "updated_at": 0, "value": 1}]
    assert "rs=[{'id': 0, 'updated_at': 0, 'value': 0}, {'id': 0, 'updated_at': 0, 'value': 1}]" in QUESTION["answer"]
    assert prompt_version()(rows) == [rows[0]]
    assert fixed_version()(rows) == [rows[1]]
