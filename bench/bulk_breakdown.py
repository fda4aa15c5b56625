"""Where bulk intake spends its time, per post: analysis, fingerprint, storage.

    python bench/bulk_breakdown.py [--posts 20000] [--database-url URL]

Times each step alone, in this one process, on the posts bench/dedupe.py generates: the local
analyzer (rules and learned model), the fingerprint, and ``batch.store_chunk`` on chunks of
1,000 (what bulk intake stores per transaction) into a fresh database (embedded by default).
Analysis and fingerprint are CPU time (steadier than the clock on a shared machine); the store
is wall time, the database's work included. The garbage collector runs as during a bulk
submit (``bulk._fewer_collections``).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from dedupe import generate  # noqa: E402

from pipelineos.analysis.local import LocalAnalyzer  # noqa: E402
from pipelineos.analysis.model import BusinessProfile  # noqa: E402
from pipelineos.bootstrap import Runtime  # noqa: E402
from pipelineos.config import Settings  # noqa: E402
from pipelineos.ingest import batch, bulk  # noqa: E402
from pipelineos.ingest.fingerprint import fingerprint  # noqa: E402
from pipelineos.ingest.posts import DuplicatePolicy, NewPost, Prepared  # noqa: E402

CHUNK = 1000


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    texts, authors, _ = generate(args.posts, 0.03)

    analyzer = LocalAnalyzer()
    with bulk._fewer_collections():
        started = time.process_time()
        analyses = [analyzer.analyze_sync(text, "Bench Group") for text in texts]
        analysis_us = (time.process_time() - started) / len(texts) * 1e6
        started = time.process_time()
        prints = [fingerprint(text, author) for text, author in zip(texts, authors, strict=True)]
        fingerprint_us = (time.process_time() - started) / len(texts) * 1e6
    items = [Prepared(NewPost(text, "Bench Group", "bench", str(n), author=authors[n]),
                      prints[n], analyses[n], analyses[n]) for n, text in enumerate(texts)]

    work = Path(tempfile.mkdtemp(prefix="pipelineos-breakdown-"))
    work.chmod(0o755)
    settings = Settings(_env_file=None, database_url=args.database_url, log_dir=work / "logs",
                        pipelineos_data_dir=work / "data", jobs_in_serve=False,
                        log_level="WARNING")  # type: ignore[call-arg]
    runtime = await Runtime.start(settings)
    try:
        started = time.perf_counter()
        with bulk._fewer_collections():
            async with runtime.pool.connection() as conn:
                for start in range(0, len(items), CHUNK):
                    await batch.store_chunk(conn, items[start:start + CHUNK],
                                            BusinessProfile(), DuplicatePolicy())
        store_us = (time.perf_counter() - started) / len(items) * 1e6
    finally:
        await runtime.stop()
        shutil.rmtree(work, ignore_errors=True)

    total = analysis_us + fingerprint_us + store_us
    print(f"{len(texts):,} posts, one process, chunks of {CHUNK:,}")
    for name, value in (("local analysis (rules + model)", analysis_us),
                        ("fingerprint", fingerprint_us),
                        ("store_chunk (with the database's own work)", store_us)):
        print(f"  {name:<44} {value:7.0f} µs/post  {value / total:5.0%}")
    print(f"  {'all three, one after another':<44} {total:7.0f} µs/post = "
          f"{1e6 / total:,.0f} posts/s on one core")


if __name__ == "__main__":
    asyncio.run(main())
