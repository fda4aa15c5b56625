"""Precision and recall of the local analyzer on the labeled set (tests/data/labeled_posts.jsonl).

    python bench/analyzer_quality.py [--mistakes]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from pipelineos.analysis import evaluate
from pipelineos.analysis.local import LocalAnalyzer

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "labeled_posts.jsonl"


def main() -> None:
    items = evaluate.load(DATA)
    analyzer = LocalAnalyzer()
    started = time.perf_counter()
    report = evaluate.evaluate(analyzer.analyze_sync, items)
    elapsed = time.perf_counter() - started
    print(f"local analyzer on {DATA.name}")
    for line in report.lines():
        print(line)
    print(f"speed: {elapsed / len(items) * 1e6:.0f} µs per post")
    if "--mistakes" in sys.argv:
        for mistake in report.mistakes:
            label = "MISSED LEAD" if mistake["labeled"] else "FALSE ALARM"
            print(f"\n{label} [{mistake['id']} {mistake['kind']}] {mistake['text'][:300]!r}")
            print("   ", "; ".join(mistake["reasons"]))


if __name__ == "__main__":
    main()
