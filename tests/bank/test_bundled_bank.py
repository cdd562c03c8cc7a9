"""The bundled bank's shape: the counts the product promises, every track served."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_bundled_bank_meets_the_issue_counts():
    result = subprocess.run([sys.executable, "-m", "bot", "content", "stats", "--json"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    wanted = {"sql": 100, "statistics": 34, "experimentation": 35, "product-metrics": 22, "ml": 38,
              "ml-system-design": 19, "python": 19, "behavioral": 13}
    short = {c: (stats["by_category"].get(c, 0), n) for c, n in wanted.items() if stats["by_category"].get(c, 0) < n}
    assert not short, f"categories below their count (have, want): {short}"
    written = sum(n for c, n in stats["by_category"].items() if c != "sql")
    assert written >= 170, f"{written} written questions"
    assert stats["sql"]["min_hidden_datasets"] >= 2 and stats["sql"]["min_wrong_answers"] >= 3
    for track in ("product-analytics", "data-analytics", "data-science", "ml-engineering", "ml-research"):
        assert stats["by_track"].get(track, 0) >= 60, f"{track}: {stats['by_track'].get(track, 0)} questions"
    for category, counts in stats["by_category_difficulty"].items():
        assert len(counts) >= 2, f"{category} is all {list(counts)}"
