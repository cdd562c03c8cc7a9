"""py-generator-large-log-file: the published pipeline on a small gzipped log."""

import gzip
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
QUESTION = yaml.safe_load((ROOT / "content/questions/python/py-generator-large-log-file.yaml").read_text(encoding="utf-8"))
TEXT = " ".join(QUESTION["answer"].split())


def published():
    namespace: dict = {}
    exec(re.search(r"```python\n(.*?)```", QUESTION["answer"], re.S).group(1), namespace)
    return namespace["hourly_error_rate"], namespace["parse_lines"]


def write_log(path: Path, text: str) -> str:
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(text)
    return str(path)


def test_the_stated_result_on_the_sample_lines(tmp_path):
    sample = re.search(r"```text\n(.*?)```", QUESTION["prompt"], re.S).group(1)  # header and the two sample lines
    log = write_log(tmp_path / "day.csv.gz", sample + "2024-05-01T14:00:03Z,GET,/api/cart,200,20\nnot,a,line\n")
    hourly_error_rate, _ = published()
    assert hourly_error_rate(log) == ({"2024-05-01T13": (2, 0.5), "2024-05-01T14": (1, 0.0)}, 1)
    assert '`({"2024-05-01T13": (2, 0.5), "2024-05-01T14": (1, 0.0)}, 1)`' in TEXT


def test_empty_and_header_only_files_and_a_second_pass(tmp_path):
    hourly_error_rate, parse_lines = published()
    for name, text in (("empty.csv.gz", ""), ("header.csv.gz", "ts,method,path,status,ms\n")):
        assert hourly_error_rate(write_log(tmp_path / name, text)) == ({}, 0)
    assert "returns `({}, 0)`" in TEXT
    from collections import Counter
    stream = parse_lines(write_log(tmp_path / "one.csv.gz", "h\n2024-05-01T13:00:00Z,GET,/,503,1\n"), Counter())
    assert list(stream) == [("2024-05-01T13", 503)] and list(stream) == []  # exhausted after one pass
