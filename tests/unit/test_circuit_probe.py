"""The circuit probe makes a due circuit's trials, and only a due circuit's, on a manual clock."""

from __future__ import annotations

import asyncio

import pytest

from pipelineos.integrations.probe import CircuitProbe, ProbeTarget
from pipelineos.resilience import CircuitBreaker, ManualClock, State

INTERVAL = 5.0


class VendorDown(Exception):
    """What the vendor's cheap request raises while it is down."""


class Vendor:
    """A stand-in for the vendor's cheap request, counting how often it is reached."""

    def __init__(self) -> None:
        self.up = True
        self.calls = 0
        self.hold: asyncio.Event | None = None  # set: the next call waits for it

    async def check(self) -> None:
        self.calls += 1
        if self.hold is not None:
            await self.hold.wait()
        if not self.up:
            raise VendorDown("503")


def claude_breaker(clock: ManualClock) -> CircuitBreaker:
    """The seed's Claude breaker: 5 failures open it for 120 s, 3 trial successes close it."""
    return CircuitBreaker("claude-api", failure_threshold=5, window=180.0, reset_timeout=120.0,
                          success_threshold=3, clock=clock)


def opened(breaker: CircuitBreaker) -> CircuitBreaker:
    for _ in range(5):
        with pytest.raises(VendorDown):
            breaker.call(_raise)
    assert breaker.state == State.OPEN
    return breaker


def _raise() -> None:
    raise VendorDown("401")


def probe_for(breaker: CircuitBreaker, vendor: Vendor, clock: ManualClock) -> CircuitProbe:
    async def trial() -> None:
        await breaker.call_async(vendor.check)

    return CircuitProbe([ProbeTarget(breaker, trial)], clock=clock, interval=INTERVAL)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=1000.0)


async def test_an_open_circuit_is_left_alone_until_its_reset_timeout_and_interval_pass(
    clock: ManualClock,
) -> None:
    """Before the reset timeout, and during the interval after it (traffic's turn), the probe
    calls nothing; then its trials close the circuit: three calls for Claude's breaker."""
    breaker, vendor = claude_breaker(clock), Vendor()
    probe = probe_for(breaker, vendor, clock)
    opened(breaker)
    assert await probe.run_once() == INTERVAL
    clock.advance(119)
    await probe.run_once()
    clock.advance(1 + INTERVAL - 0.1)
    await probe.run_once()
    assert (vendor.calls, breaker.state) == (0, State.HALF_OPEN)
    clock.advance(0.1)
    await probe.run_once()
    assert (vendor.calls, breaker.state) == (3, State.CLOSED)
    await probe.run_once()
    assert vendor.calls == 3, "a closed circuit is not probed"


async def test_a_failed_trial_reopens_the_circuit_for_a_fresh_reset_timeout(
    clock: ManualClock,
) -> None:
    """The vendor is still down: one trial, the circuit opens again, and the next trial waits
    for the whole reset timeout once more."""
    breaker, vendor = claude_breaker(clock), Vendor()
    probe = probe_for(breaker, vendor, clock)
    opened(breaker)
    vendor.up = False
    clock.advance(120 + INTERVAL)
    await probe.run_once()
    assert (vendor.calls, breaker.state) == (1, State.OPEN)
    clock.advance(120 + INTERVAL - 1)
    await probe.run_once()
    assert vendor.calls == 1
    vendor.up = True
    clock.advance(1)
    await probe.run_once()
    assert (vendor.calls, breaker.state) == (4, State.CLOSED)


async def test_a_circuit_opened_before_the_probe_watched_it_waits_an_interval(
    clock: ManualClock,
) -> None:
    """A circuit the probe first sees HALF_OPEN, not knowing when it opened, is due from that
    moment, so traffic still gets its turn."""
    breaker, vendor = opened(claude_breaker(clock)), Vendor()
    probe = probe_for(breaker, vendor, clock)
    clock.advance(120 + INTERVAL)
    assert breaker.state == State.HALF_OPEN
    await probe.run_once()
    assert vendor.calls == 0
    clock.advance(INTERVAL)
    await probe.run_once()
    assert breaker.state == State.CLOSED


async def test_a_trial_in_flight_is_not_doubled(clock: ManualClock) -> None:
    """While traffic holds the half-open permit, the probe waits instead of being rejected."""
    breaker, vendor = claude_breaker(clock), Vendor()
    probe = probe_for(breaker, vendor, clock)
    opened(breaker)
    clock.advance(120 + INTERVAL)
    vendor.hold = asyncio.Event()
    traffic = asyncio.create_task(breaker.call_async(vendor.check))
    await asyncio.sleep(0)
    await probe.run_once()
    assert (vendor.calls, breaker.status()["metrics"]["rejectedRequests"]) == (1, 0)
    vendor.hold.set()
    await traffic
    vendor.hold = None
    clock.advance(INTERVAL)
    await probe.run_once()
    assert (vendor.calls, breaker.state) == (3, State.CLOSED), "one by traffic, two by the probe"


@pytest.mark.parametrize("move", ["force_open", "disable"])
async def test_an_operator_s_state_is_never_probed(clock: ManualClock, move: str) -> None:
    """FORCED_OPEN and DISABLED are an operator's choice: the probe calls nothing."""
    breaker, vendor = claude_breaker(clock), Vendor()
    getattr(breaker, move)()
    probe = probe_for(breaker, vendor, clock)
    clock.advance(1000)
    await probe.run_once()
    assert vendor.calls == 0


async def test_the_background_task_closes_the_circuit_and_stops(clock: ManualClock) -> None:
    """Started, the probe looks every interval (here 10 ms) and closes a due circuit; stopped,
    it is gone."""
    breaker, vendor = claude_breaker(clock), Vendor()
    probe = CircuitProbe([ProbeTarget(breaker, lambda: breaker.call_async(vendor.check))],
                         clock=clock, interval=0.01)
    opened(breaker)
    clock.advance(121)
    probe.start()
    try:
        async with asyncio.timeout(5):
            while breaker.state != State.CLOSED:
                await asyncio.sleep(0.01)
    finally:
        await probe.stop()
    assert not probe.running and vendor.calls == 3
