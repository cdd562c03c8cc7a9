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
    wanted = {"sql": 60, "statistics": 18, "experimentation": 18, "product-metrics": 18, "ml": 16,
              "ml-system-design": 10, "python": 10, "behavioral": 10}
    short = {c: (stats["by_category"].get(c, 0), n) for c, n in wanted.items() if stats["by_category"].get(c, 0) < n}
    assert not short, f"categories below their count (have, want): {short}"
    assert stats["sql"]["min_hidden_datasets"] >= 2 and stats["sql"]["min_wrong_answers"] >= 3
    for track in ("product-analytics", "data-analytics", "data-science", "ml-engineering", "ml-research"):
        assert stats["by_track"].get(track, 0) >= 25, f"{track}: {stats['by_track'].get(track, 0)} questions"
    for category, counts in stats["by_category_difficulty"].items():
        assert len(counts) >= 2, f"{category} is all {list(counts)}"
