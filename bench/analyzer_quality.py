"""Precision and recall of the local analyzer on every labeled set under tests/.

    python bench/analyzer_quality.py [--mistakes]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from pipelineos.analysis import evaluate
from pipelineos.analysis.local import LocalAnalyzer

TESTS = Path(__file__).resolve().parent.parent / "tests"
SETS = ["data/labeled_posts.jsonl", "holdout/holdout_posts.jsonl", "final/final_posts.jsonl",
        "blind2/blind2_posts.jsonl"]


def main() -> None:
    analyzer = LocalAnalyzer()
    total_posts, total_seconds = 0, 0.0
    for name in SETS:
        items = evaluate.load(TESTS / name)
        started = time.perf_counter()
        report = evaluate.evaluate(analyzer.analyze_sync, items)
        total_seconds += time.perf_counter() - started
        total_posts += len(items)
        print(f"\n== {name}")
        for line in report.lines():
            print(line)
        if "--mistakes" in sys.argv:
            for mistake in report.mistakes:
                label = "MISSED LEAD" if mistake["labeled"] else "FALSE ALARM"
                print(f"\n{label} [{mistake['id']} {mistake['kind']}] {mistake['text'][:300]!r}")
                print("   ", "; ".join(mistake["reasons"]))
    print(f"\nspeed: {total_seconds / total_posts * 1e6:.0f} µs per post over {total_posts} posts")


if __name__ == "__main__":
    main()
