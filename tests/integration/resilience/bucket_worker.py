"""One OS process taking tokens from a shared PostgreSQL bucket (run by test_postgres_bucket).

Usage: python bucket_worker.py URL NAME CAPACITY RATE ATTEMPTS MODE START_AT
MODE is "try" (try_acquire, count refusals) or "acquire" (wait up to 30 s for each token).
Prints one JSON object: {"granted": [wall-clock times], "refused": n}.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from psycopg_pool import AsyncConnectionPool

from pipelineos.resilience import PostgresTokenBucket, RateLimitExceeded


async def main(url: str, name: str, capacity: float, rate: float, attempts: int, mode: str, start_at: float) -> None:
    async with AsyncConnectionPool(url, min_size=1, max_size=1, open=False) as pool:
        await pool.wait()
        bucket = PostgresTokenBucket(pool, name, capacity=capacity, refill_per_second=rate)
        granted: list[float] = []
        refused = 0
        await asyncio.sleep(max(0.0, start_at - time.time()))
        for _ in range(attempts):
            try:
                if mode == "try":
                    await bucket.try_acquire()
                else:
                    await bucket.acquire(timeout=30.0)
                granted.append(time.time())
            except RateLimitExceeded:
                refused += 1
    print(json.dumps({"granted": granted, "refused": refused}))


if __name__ == "__main__":
    url, name, capacity, rate, attempts, mode, start_at = sys.argv[1:]
    asyncio.run(main(url, name, float(capacity), float(rate), int(attempts), mode, float(start_at)))
