"""Per-call overhead of pipelineos.resilience.CircuitBreaker against pybreaker, in one run.

    python bench/breaker.py [--loops N] [--repeats R]

Each case is a timeit-style loop of N calls to a trivial function, through a breaker or bare;
cases run round-robin R times so drift and noise hit them alike. Overhead is (case - bare) per
call. "best" is the minimum over the repeats (timeit's advice: higher values are other
processes' noise), "median" the median. Rejection cases raise and catch a fresh exception per
call; their bare loop is the same try/except around a call that does not raise.
Targets (issue 3): closed <= 1.0 us sync and <= 1.5 us async, rejection <= 1.5 us, and at most
half of pybreaker's overhead in the same run. The verdict uses "best".
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time
import timeit
from collections.abc import Callable, Coroutine
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import pybreaker  # noqa: E402

from pipelineos.resilience import CircuitBreaker, CircuitOpenError, Snapshot, State  # noqa: E402


def work() -> int:
    return 1


async def async_work() -> int:
    return 1


def failing() -> None:
    raise RuntimeError("vendor down")


def open_ours(name: str) -> CircuitBreaker:
    breaker = CircuitBreaker(name, failure_threshold=5, reset_timeout=1e9)
    for _ in range(5):
        try:
            breaker.call(failing)
        except RuntimeError:
            pass
    assert breaker.state == "OPEN"
    return breaker


def open_pybreaker() -> pybreaker.CircuitBreaker:
    breaker = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=1e9)
    for _ in range(5):
        try:
            breaker.call(failing)
        except (RuntimeError, pybreaker.CircuitBreakerError):
            pass
    assert breaker.current_state == "open"
    return breaker


TRY = "try:\n    {call}\nexcept {error}:\n    pass"


def sync_cases() -> dict[str, Callable[[int], float]]:
    names: dict[str, Any] = {
        "work": work,
        "ours": CircuitBreaker("closed", failure_threshold=5, reset_timeout=60.0),
        "theirs": pybreaker.CircuitBreaker(fail_max=5, reset_timeout=60),
        "ours_open": open_ours("open"),
        "theirs_open": open_pybreaker(),
        "Rejected": CircuitOpenError,
        "TheirRejected": pybreaker.CircuitBreakerError,
    }
    statements = {
        "bare": "work()",
        "ours closed": "ours.call(work)",
        "pybreaker closed": "theirs.call(work)",
        "bare try": TRY.format(call="work()", error="Rejected"),
        "ours rejection": TRY.format(call="ours_open.call(work)", error="Rejected"),
        "pybreaker rejection": TRY.format(call="theirs_open.call(work)", error="TheirRejected"),
    }
    def per_call(timer: timeit.Timer) -> Callable[[int], float]:
        return lambda n: timer.timeit(number=n) / n

    return {label: per_call(timeit.Timer(stmt, globals=names)) for label, stmt in statements.items()}


class NoStore:
    """A shared-state store that must never be asked: the CLOSED path makes no round trip."""

    backend = "none"

    def attach(self, breaker: CircuitBreaker) -> None:
        breaker.share(self)

    async def _never(self, *args: object) -> Snapshot:
        raise AssertionError("a CLOSED success reached the shared store")

    failed = trial = trial_done = move = read = _never


def async_cases(loop: asyncio.AbstractEventLoop) -> dict[str, Callable[[int], float]]:
    closed = CircuitBreaker("closed-async", failure_threshold=5, reset_timeout=60.0)
    # The same breaker shared through a store (issue 18): the success path must not change.
    shared = CircuitBreaker("closed-async-shared", failure_threshold=5, reset_timeout=60.0)
    NoStore().attach(shared)
    assert shared.state is State.CLOSED and shared.shared is not None
    opened = open_ours("open-async")

    async def bare(n: int) -> float:
        began = time.perf_counter()
        for _ in range(n):
            await async_work()
        return (time.perf_counter() - began) / n

    async def ours(n: int) -> float:
        call = closed.call_async
        began = time.perf_counter()
        for _ in range(n):
            await call(async_work)
        return (time.perf_counter() - began) / n

    async def ours_shared(n: int) -> float:
        call = shared.call_async
        began = time.perf_counter()
        for _ in range(n):
            await call(async_work)
        return (time.perf_counter() - began) / n

    async def bare_try(n: int) -> float:
        began = time.perf_counter()
        for _ in range(n):
            try:
                await async_work()
            except CircuitOpenError:
                pass
        return (time.perf_counter() - began) / n

    async def ours_rejection(n: int) -> float:
        call = opened.call_async
        began = time.perf_counter()
        for _ in range(n):
            try:
                await call(async_work)
            except CircuitOpenError:
                pass
        return (time.perf_counter() - began) / n

    coroutines = {
        "async bare": bare, "ours async closed": ours, "ours async closed shared": ours_shared,
        "async bare try": bare_try, "ours async rejection": ours_rejection,
    }
    def per_call(coroutine: Callable[[int], Coroutine[Any, Any, float]]) -> Callable[[int], float]:
        return lambda n: loop.run_until_complete(coroutine(n))

    return {label: per_call(c) for label, c in coroutines.items()}


def machine() -> list[str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else ()
    return [
        f"python     {platform.python_implementation()} {platform.python_version()} ({sys.executable})",
        f"platform   {platform.platform()}",
        f"cpu        {cpu}, {os.cpu_count()} logical cores, load average {' '.join(f'{x:.2f}' for x in load) or '?'}",
        f"pybreaker  {metadata.version('pybreaker')}, tenacity {metadata.version('tenacity')}",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loops", type=int, default=100_000, help="calls per timed loop")
    parser.add_argument("--repeats", type=int, default=15, help="round-robin repeats")
    args = parser.parse_args()

    loop = asyncio.new_event_loop()
    cases = {**sync_cases(), **async_cases(loop)}
    samples: dict[str, list[float]] = {label: [] for label in cases}
    for run in cases.values():  # warm up
        run(args.loops // 10)
    for _ in range(args.repeats):
        for label, run in cases.items():
            samples[label].append(run(args.loops))
    loop.close()

    best = {label: min(s) * 1e6 for label, s in samples.items()}
    median = {label: statistics.median(s) * 1e6 for label, s in samples.items()}

    def overhead(label: str, baseline: str) -> tuple[float, float]:
        return best[label] - best[baseline], median[label] - median[baseline]

    rows = [
        ("CLOSED call, sync", "ours closed", "pybreaker closed", "bare", 1.0),
        ("OPEN rejection, sync", "ours rejection", "pybreaker rejection", "bare try", 1.5),
        ("CLOSED call, async", "ours async closed", None, "async bare", 1.5),
        ("CLOSED, async, shared", "ours async closed shared", None, "async bare", 1.5),
        ("OPEN rejection, async", "ours async rejection", None, "async bare try", 1.5),
    ]
    print("\n".join(machine()))
    print(f"loops      {args.loops:,} calls x {args.repeats} repeats per case, round-robin\n")
    print(f"bare call: {best['bare'] * 1000:.0f} ns sync, {best['async bare'] * 1000:.0f} ns async (best)\n")
    header = f"{'overhead per call (us)':<24}{'ours best':>10}{'median':>9}{'pybreaker best':>16}{'median':>9}{'ours/pyb':>10}  {'target':<16}verdict"
    print(header)
    print("-" * len(header))
    failures = 0
    for title, ours, theirs, baseline, target in rows:
        ours_best, ours_median = overhead(ours, baseline)
        verdict_ok = ours_best <= target
        if theirs is not None:
            theirs_best, theirs_median = overhead(theirs, baseline)
            ratio = ours_best / theirs_best
            verdict_ok = verdict_ok and ratio <= 0.5
            theirs_cols = f"{theirs_best:>16.3f}{theirs_median:>9.3f}{ratio:>10.2f}"
        else:
            theirs_cols = f"{'-':>16}{'-':>9}{'-':>10}"
        failures += not verdict_ok
        limit = f"<= {target:g}" + (", <= 0.5x" if theirs else "")
        print(f"{title:<24}{ours_best:>10.3f}{ours_median:>9.3f}{theirs_cols}  {limit:<16}{'ok' if verdict_ok else 'MISSED'}")
    print("\nall targets met" if not failures else f"\n{failures} target(s) missed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
