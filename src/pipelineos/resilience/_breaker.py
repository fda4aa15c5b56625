"""The circuit breaker: a state machine over a rolling window, safe for threads and tasks.

States and moves (Resilience4j's ``CircuitBreakerStateMachine`` is the reference):

    CLOSED ──(threshold failures in window, or failure rate)──> OPEN
    OPEN ──(reset_timeout elapsed, seen by the next call or read)──> HALF_OPEN
    HALF_OPEN ──(success_threshold successes)──> CLOSED
    HALF_OPEN ──(any failure)──> OPEN
    any ──reset()──> CLOSED     any ──force_open()──> FORCED_OPEN     any ──disable()──> DISABLED

Concurrency: the wrapped call never runs under the lock; every count changes under one
``threading.Lock`` in short critical sections. Each stay in a state is an ``_Epoch``; a call
remembers the epoch that admitted it, so an outcome that arrives after the breaker moved on is
counted in the metrics but cannot close, open or release a permit of a later state.

Shared (``share(store)``, see ``_shared.py``): ``call_async`` records CLOSED failures with the
store and opens when the store says the cluster's failures reached the threshold; a half-open
trial needs the store's lease; the store's answers (and what other processes did, read after a
notification) are applied with ``apply``. A success in CLOSED still touches only a counter.
The synchronous ``call`` keeps to local counting.
"""

from __future__ import annotations

import asyncio
import enum
import functools
import inspect
import logging
import threading
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from typing import Any, ParamSpec, TypeVar, overload

from ._clock import SYSTEM_CLOCK, Clock
from ._listeners import LOGGER_NAME, overridden_hooks
from ._predicates import ErrorFilter, as_predicate
from ._shared import SharedCircuits, Snapshot
from ._window import FailureTimes, OutcomeBuckets
from .exceptions import CallRejected, CallTimeoutError, CircuitOpenError, SlowCallError

P = ParamSpec("P")
T = TypeVar("T")

_logger = logging.getLogger(LOGGER_NAME)


class State(enum.StrEnum):
    """Where a circuit breaker stands; the value is the upper-case name the seed logs."""

    CLOSED = "CLOSED"
    OPEN = "OPEN"
    HALF_OPEN = "HALF_OPEN"
    DISABLED = "DISABLED"
    FORCED_OPEN = "FORCED_OPEN"


_CLOSED = State.CLOSED
_OPEN = State.OPEN
_HALF_OPEN = State.HALF_OPEN
_DISABLED = State.DISABLED
_FORCED_OPEN = State.FORCED_OPEN

_Change = tuple[State, State]


# Hot paths take the lock with acquire()/try/finally/release(): on CPython 3.11 that costs about
# half of a ``with lock:`` block (no __enter__/__exit__ lookups), with the same guarantees.


class _Epoch:
    """One stay in one state; half-open permits and trial successes belong to it."""

    __slots__ = ("state", "in_flight", "successes")

    def __init__(self, state: State) -> None:
        self.state = state
        self.in_flight = 0
        self.successes = 0


def _rate(part: int, total: int) -> str:
    return f"{part / total * 100:.2f}%" if total else "0.00%"


class CircuitBreaker:
    """Stops calling a failing service for a while, then lets a few trial calls test it.

    Times are in seconds. ``failure_threshold`` failures within ``window`` open the breaker; so
    does a failure rate of at least ``failure_rate_threshold`` (0-1) once ``minimum_calls`` calls
    are in the window. A call slower than ``slow_call_duration`` counts as a failure (its result
    is still returned). ``timeout`` cancels an awaited call (``call_async`` only: a thread cannot
    be cancelled). An error matching ``ignore``, a ``CallRejected`` (a limiter's refusal) and a
    ``BaseException`` such as cancellation count as neither success nor failure; an error that
    matches ``record`` is a failure; any other error is a success (the service answered).
    ``fallback(error)`` supplies the result when a call is rejected or fails.
    """

    def __init__(
        self,
        name: str,
        *,
        failure_threshold: int | None = 5,
        window: float = 120.0,
        failure_rate_threshold: float | None = None,
        minimum_calls: int = 10,
        slow_call_duration: float | None = None,
        reset_timeout: float = 60.0,
        success_threshold: int = 2,
        half_open_max_calls: int = 1,
        timeout: float | None = None,
        record: ErrorFilter = Exception,
        ignore: ErrorFilter = (),
        fallback: Callable[[BaseException], Any] | None = None,
        listeners: Iterable[object] = (),
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        if failure_threshold is None and failure_rate_threshold is None:
            raise ValueError("give a failure_threshold, a failure_rate_threshold or both")
        if failure_threshold is not None and failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        if failure_rate_threshold is not None and not 0 < failure_rate_threshold <= 1:
            raise ValueError("failure_rate_threshold is a fraction in (0, 1]")
        if window <= 0 or reset_timeout < 0 or minimum_calls < 1:
            raise ValueError("window must be positive, reset_timeout >= 0, minimum_calls >= 1")
        if success_threshold < 1 or half_open_max_calls < 1:
            raise ValueError("success_threshold and half_open_max_calls must be at least 1")
        if (timeout is not None and timeout <= 0) or (
            slow_call_duration is not None and slow_call_duration <= 0
        ):
            raise ValueError("timeout and slow_call_duration must be positive when given")

        self.name = name
        self._failure_threshold = failure_threshold
        self._window = window
        self._failure_rate_threshold = failure_rate_threshold
        self._minimum_calls = minimum_calls
        self._slow = slow_call_duration
        self._reset_timeout = reset_timeout
        self._success_threshold = success_threshold
        self._half_open_max_calls = half_open_max_calls
        self._timeout = timeout
        self._is_recorded = as_predicate(record)
        self._is_ignored = as_predicate(ignore)
        self._fallback = fallback
        self._now = clock.monotonic

        self._lock = threading.Lock()
        self._failure_times = FailureTimes(failure_threshold, window) if failure_threshold else None
        self._outcomes = OutcomeBuckets(window) if failure_rate_threshold is not None else None
        self._epoch = _Epoch(_CLOSED)
        self._open_until = 0.0
        self._successes = 0
        self._failures = 0
        self._rejected = 0
        self._ignored = 0
        self._slow_calls = 0

        self._on_state_changed: tuple[Callable[..., None], ...] = ()
        self._on_transitioned: tuple[Callable[..., None], ...] = ()
        self._on_succeeded: tuple[Callable[..., None], ...] = ()
        self._on_failed: tuple[Callable[..., None], ...] = ()
        self._on_ignored: tuple[Callable[..., None], ...] = ()
        self._on_rejected: tuple[Callable[..., None], ...] = ()
        # _fast is the current epoch while a call needs nothing but a success count (CLOSED, no
        # timing, no rate window), else None: one attribute read decides the hot path.
        self._timed = False
        self._fast: _Epoch | None = None
        # Shared state: the store, the newest shared generation applied (-1: none yet), the
        # cluster's failures in the window as last answered, and the batching of failures
        # (recorded / answered for by the store; the one flush in flight).
        self._shared: SharedCircuits | None = None
        self._generation = -1
        self._cluster_failures = 0
        self._recorded = 0
        self._answered = 0
        self._flight: asyncio.Future[None] | None = None
        initialized = [self._attach(listener).get("initialized") for listener in listeners]
        self._refresh_fast_path()
        self._dispatch(tuple(hook for hook in initialized if hook is not None), ())

    # -- listeners -----------------------------------------------------------------------

    def add_listener(self, listener: object) -> None:
        """Attach a ``BreakerListener`` (or any object with some of its hook methods)."""
        with self._lock:
            self._attach(listener)
            self._refresh_fast_path()

    def _attach(self, listener: object) -> dict[str, Callable[..., None]]:
        """Add the listener's hooks to the per-event tuples; return them all."""
        hooks = overridden_hooks(listener)
        for hook, bound in hooks.items():
            if hook != "initialized":  # fired once, by the constructor
                attribute = f"_on_{hook}"
                setattr(self, attribute, (*getattr(self, attribute), bound))
        return hooks

    def _refresh_fast_path(self) -> None:
        # Timed: a success needs the clock (slow-call check, listeners, the rate window).
        self._timed = self._slow is not None or bool(self._on_succeeded) or self._outcomes is not None
        simple = not self._timed and self._timeout is None
        epoch = self._epoch
        self._fast = epoch if simple and epoch.state is _CLOSED else None

    def _dispatch(self, hooks: tuple[Callable[..., None], ...], args: tuple[Any, ...]) -> None:
        for hook in hooks:
            try:
                hook(self, *args)
            except Exception:
                _logger.exception(
                    "Circuit breaker listener failed",
                    extra={"fields": {"component": "circuit breaker", "name": self.name}},
                )

    def _announce(self, change: _Change | None, *, moved: bool | None = None) -> None:
        """Tell listeners; ``transitioned`` too when the move is the circuit's own (``moved``;
        by default: every local move while the state is not shared)."""
        if change is None:
            return
        if self._on_state_changed:
            self._dispatch(self._on_state_changed, change)
        if (self._shared is None if moved is None else moved) and self._on_transitioned:
            self._dispatch(self._on_transitioned, change)

    # -- calling -------------------------------------------------------------------------

    def call(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Call ``fn(*args, **kwargs)`` through the breaker (``timeout`` does not apply)."""
        epoch = self._fast
        if epoch is None:
            # Not the plain CLOSED case: admission may reject, the call may need timing.
            admitted = self._admit()
            if isinstance(admitted, CircuitOpenError):
                if self._fallback is None:
                    raise admitted
                return self._fallback(admitted)  # type: ignore[no-any-return]
            epoch = admitted
            started = self._now() if self._timed else None
            try:
                result = fn(*args, **kwargs)
            except BaseException as error:
                if self._settle_error(epoch, error, started) and self._fallback is not None:
                    return self._fallback(error)  # type: ignore[no-any-return]
                raise
            self._settle_success(epoch, started)
            return result
        try:
            result = fn(*args, **kwargs)
        except BaseException as error:
            if self._settle_error(epoch, error, None) and self._fallback is not None:
                return self._fallback(error)  # type: ignore[no-any-return]
            raise
        lock = self._lock
        lock.acquire()
        try:
            self._successes += 1
        finally:
            lock.release()
        return result

    async def call_async(
        self, fn: Callable[P, Awaitable[T]], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Await ``fn(*args, **kwargs)`` through the breaker, cancelling it after ``timeout``."""
        epoch = self._fast
        if epoch is None:
            admitted = self._admit()
            shared = self._shared
            lease = None
            if shared is not None and not isinstance(admitted, CircuitOpenError) \
                    and admitted.state is _HALF_OPEN:
                lease, admitted = await self._lease(shared, admitted)
            if isinstance(admitted, CircuitOpenError):
                if self._fallback is None:
                    raise admitted
                return await _resolve(self._fallback(admitted))  # type: ignore[no-any-return]
            epoch = admitted
            local = shared is None
            started = self._now() if self._timed else None
            timeout = self._timeout
            scope = None
            try:
                if timeout is None:
                    result = await fn(*args, **kwargs)
                else:
                    scope = asyncio.timeout(timeout)
                    async with scope:
                        result = await fn(*args, **kwargs)
            except BaseException as error:
                if scope is not None and scope.expired() and isinstance(error, TimeoutError):
                    timed_out = CallTimeoutError(self.name, timeout)  # type: ignore[arg-type]
                    failed = self._settle_error(epoch, timed_out, started, local)
                    if shared is not None:
                        await self._share_outcome(shared, epoch, lease, self._outcome(timed_out))
                    if failed and self._fallback is not None:
                        return await _resolve(self._fallback(timed_out))  # type: ignore[no-any-return]
                    raise timed_out from error
                failed = self._settle_error(epoch, error, started, local)
                if shared is not None and isinstance(error, Exception):
                    await self._share_outcome(shared, epoch, lease, self._outcome(error))
                if failed and self._fallback is not None:
                    return await _resolve(self._fallback(error))  # type: ignore[no-any-return]
                raise
            succeeded = self._settle_success(epoch, started, local)
            if shared is not None:
                await self._share_outcome(shared, epoch, lease, succeeded)
            return result
        try:
            result = await fn(*args, **kwargs)
        except BaseException as error:
            failed = self._settle_error(epoch, error, None, self._shared is None)
            if failed and self._shared is not None:
                await self._share_failure(self._shared)
            if failed and self._fallback is not None:
                return await _resolve(self._fallback(error))  # type: ignore[no-any-return]
            raise
        lock = self._lock
        lock.acquire()
        try:
            self._successes += 1
        finally:
            lock.release()
        return result

    @overload
    def __call__(
        self, fn: Callable[P, Coroutine[Any, Any, T]]
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...

    @overload
    def __call__(self, fn: Callable[P, T]) -> Callable[P, T]: ...

    def __call__(self, fn: Callable[P, Any]) -> Callable[P, Any]:
        """Decorate a function (sync or ``async def``) so every call goes through the breaker."""
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def async_wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
                return await self.call_async(fn, *args, **kwargs)

            return async_wrapper

        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
            return self.call(fn, *args, **kwargs)

        return wrapper

    # -- the state machine ---------------------------------------------------------------

    def _admit(self) -> _Epoch | CircuitOpenError:
        """Let a call in (returning its epoch) or build the rejection to raise."""
        change = None
        lock = self._lock
        lock.acquire()
        try:
            epoch = self._epoch
            state = epoch.state
            if state is _OPEN:
                now = self._now()
                if now < self._open_until:
                    self._rejected += 1
                    retry_after: float | None = self._open_until - now
                else:
                    change = self._enter(_HALF_OPEN, now)
                    epoch = self._epoch
                    epoch.in_flight = 1
                    retry_after = None
            elif state is _CLOSED or state is _DISABLED:
                return epoch
            elif state is _HALF_OPEN:
                if epoch.in_flight < self._half_open_max_calls:
                    epoch.in_flight += 1
                    return epoch
                self._rejected += 1
                retry_after = 0.0
            else:
                self._rejected += 1
                retry_after = None
        finally:
            lock.release()
        if change is not None:
            self._announce(change)
            return epoch
        error = CircuitOpenError(self.name, retry_after, state)
        if self._on_rejected:
            self._dispatch(self._on_rejected, (error,))
        return error

    def _enter(self, state: State, now: float) -> _Change | None:
        """Move to ``state`` (caller holds the lock); return the change to announce."""
        old = self._epoch.state
        self._epoch = _Epoch(state)
        if state is _OPEN:
            self._open_until = now + self._reset_timeout
        elif state is _CLOSED:
            if self._failure_times is not None:
                self._failure_times.clear()
            if self._outcomes is not None:
                self._outcomes.clear()
        self._refresh_fast_path()
        return None if old is state else (old, state)

    def _tripped(self, now: float, failed: bool) -> bool:
        """Record a CLOSED-state outcome in the windows; return whether the breaker must open."""
        tripped = False
        if failed and self._failure_times is not None:
            tripped = self._failure_times.add(now)
        outcomes = self._outcomes
        if outcomes is not None:
            outcomes.add(now, failed)
            calls, failures = outcomes.calls, outcomes.failures
            if calls >= self._minimum_calls and failures >= calls * self._failure_rate_threshold:  # type: ignore[operator]
                tripped = True
        return tripped

    def _recent_failures(self, now: float) -> int:
        if self._failure_times is not None:
            return self._failure_times.recent(now)
        return self._outcomes.totals(now)[1]  # type: ignore[union-attr]

    def _settle_success(self, epoch: _Epoch, started: float | None, local: bool = True) -> bool:
        """Record a success (False: the call was too slow, a failure); ``started`` is None when
        the call was not timed. Not ``local``: the shared store closes and opens, not this."""
        if started is not None:
            now = self._now()
            elapsed = now - started
            if self._slow is not None and elapsed > self._slow:
                self._record_failure(
                    epoch, SlowCallError(self.name, elapsed, self._slow), now, local)
                return False
        else:
            now = elapsed = 0.0
        change = None
        lock = self._lock
        lock.acquire()
        try:
            self._successes += 1
            if epoch is self._epoch:
                state = epoch.state
                if state is _HALF_OPEN:
                    epoch.in_flight -= 1
                    epoch.successes += 1
                    if epoch.successes >= self._success_threshold and local:
                        change = self._enter(_CLOSED, now)
                elif state is _CLOSED and self._outcomes is not None:
                    if self._tripped(now, failed=False) and local:
                        change = self._enter(_OPEN, now)
        finally:
            lock.release()
        if self._on_succeeded:
            self._dispatch(self._on_succeeded, (elapsed,))
        self._announce(change)
        return True

    def _outcome(self, error: BaseException) -> bool | None:
        """How an error counts: None neither, False a failure, True a success (it answered)."""
        if (
            not isinstance(error, Exception)
            or isinstance(error, CallRejected)
            or self._is_ignored(error)
        ):
            return None
        return not self._is_recorded(error)

    def _settle_error(self, epoch: _Epoch, error: BaseException, started: float | None,
                      local: bool = True) -> bool:
        """Classify and record an error; return whether it was a failure (fallback applies)."""
        outcome = self._outcome(error)
        if outcome is None:
            with self._lock:
                self._ignored += 1
                if epoch is self._epoch and epoch.state is _HALF_OPEN:
                    epoch.in_flight -= 1
            if self._on_ignored:
                self._dispatch(self._on_ignored, (error,))
            return False
        if outcome:
            self._settle_success(epoch, started, local)
            return False
        self._record_failure(epoch, error, self._now(), local)
        return True

    def _record_failure(self, epoch: _Epoch, error: BaseException, now: float,
                        local: bool = True) -> None:
        change = None
        with self._lock:
            self._failures += 1
            if isinstance(error, SlowCallError):
                self._slow_calls += 1
            if epoch is self._epoch:
                state = epoch.state
                if state is _CLOSED:
                    if self._tripped(now, failed=True) and local:
                        change = self._enter(_OPEN, now)
                elif state is _HALF_OPEN:
                    epoch.in_flight -= 1
                    if self._failure_times is not None:
                        self._failure_times.add(now)
                    change = self._enter(_OPEN, now)
            recent = self._recent_failures(now)
        if self._on_failed:
            self._dispatch(self._on_failed, (error, recent))
        self._announce(change)

    def _observe(self) -> tuple[_Epoch, float, _Change | None]:
        """The current epoch, after an expired OPEN became HALF_OPEN (caller holds the lock)."""
        change = None
        now = self._now()
        if self._epoch.state is _OPEN and now >= self._open_until:
            change = self._enter(_HALF_OPEN, now)
        return self._epoch, now, change

    # -- shared state ----------------------------------------------------------------------

    def share(self, store: SharedCircuits) -> None:
        """Keep this breaker's state in ``store``, shared with every process that uses it
        (a count threshold is what is shared: a breaker with only a failure rate stays local)."""
        if self._failure_threshold is None:
            raise ValueError(f"breaker {self.name!r} has no failure_threshold to share")
        with self._lock:
            self._shared = store

    @property
    def shared(self) -> SharedCircuits | None:
        """The store holding this breaker's shared state, if any."""
        return self._shared

    @property
    def generation(self) -> int:
        """The newest shared generation this process has applied (-1: none)."""
        return self._generation

    def apply(self, snapshot: Snapshot) -> None:
        """Take the shared state a store answered or a notification brought. An older
        generation is ignored; the process whose statement made a move (``won``) tells the
        ``transitioned`` listeners."""
        change = None
        with self._lock:
            if snapshot.generation < self._generation:
                return
            self._generation = snapshot.generation
            self._cluster_failures = snapshot.failures
            now = self._now()
            target = snapshot.state
            state = self._epoch.state
            if target is state:
                if target is _OPEN:
                    self._open_until = now + snapshot.open_for
            elif not (state is _HALF_OPEN and target is _OPEN and snapshot.open_for <= 0):
                # (An OPEN whose time is up is what this process already reads as HALF_OPEN.)
                change = self._enter(target, now)
                if target is _OPEN:
                    self._open_until = now + snapshot.open_for
        self._announce(change, moved=False)
        if snapshot.won and snapshot.before is not None and snapshot.before is not target:
            if self._on_transitioned:
                self._dispatch(self._on_transitioned, (snapshot.before, target))

    async def _lease(
        self, shared: SharedCircuits, epoch: _Epoch
    ) -> tuple[str | None, _Epoch | CircuitOpenError]:
        """A cluster-wide half-open permit for a call this process admitted, or its refusal.
        With the store unreachable, the local permit stands alone."""
        try:
            snapshot = await shared.trial(self)
        except Exception as error:
            self._store_failed(error, "trial")
            return None, epoch
        self.apply(snapshot)
        if snapshot.granted:
            return snapshot.lease, epoch
        with self._lock:
            self._rejected += 1
            if epoch is self._epoch and epoch.state is _HALF_OPEN:
                epoch.in_flight -= 1
        retry_after = snapshot.open_for if snapshot.state is _OPEN else (
            None if snapshot.state is _FORCED_OPEN else 0.0)
        rejection = CircuitOpenError(self.name, retry_after, snapshot.state)
        if self._on_rejected:
            self._dispatch(self._on_rejected, (rejection,))
        return None, rejection

    async def _share_outcome(self, shared: SharedCircuits, epoch: _Epoch, lease: str | None,
                             outcome: bool | None) -> None:
        """Tell the store how a call admitted by ``epoch`` ended (None: it did not count)."""
        if lease is not None:
            try:
                snapshot = await shared.trial_done(self, lease, outcome)
            except Exception as error:
                self._store_failed(error, "trial_done")
                return
            self.apply(snapshot)
        elif outcome is False and epoch.state is _CLOSED:
            await self._share_failure(shared)

    async def _share_failure(self, shared: SharedCircuits) -> None:
        """Record one CLOSED failure with the store; failures that arrive while a statement is
        in flight go together in the next one. Returns once the store has counted it."""
        self._recorded += 1
        mine = self._recorded
        while self._answered < mine:
            flight = self._flight
            if flight is not None:
                await asyncio.shield(flight)
                continue
            upto = self._recorded
            flight = self._flight = asyncio.get_running_loop().create_future()
            snapshot = None
            try:
                snapshot = await shared.failed(self, upto - self._answered)
            except Exception as error:
                self._store_failed(error, "failed")
                self._trip_locally()
            finally:
                self._answered = upto
                self._flight = None
                flight.set_result(None)
            if snapshot is not None:
                self.apply(snapshot)

    def _trip_locally(self) -> None:
        """The store is out of reach: open on this process's own count, as without sharing."""
        change = None
        with self._lock:
            now = self._now()
            if self._epoch.state is _CLOSED and self._failure_times is not None \
                    and self._failure_times.recent(now) >= (self._failure_threshold or 0):
                change = self._enter(_OPEN, now)
        self._announce(change, moved=True)

    def _store_failed(self, error: Exception, step: str) -> None:
        _logger.warning("Shared circuit state unavailable", extra={"fields": {
            "component": "circuit breaker", "name": self.name, "step": step,
            "error": type(error).__name__}})

    async def move_to(self, state: State) -> None:
        """An operator's move (CLOSED, FORCED_OPEN, DISABLED) for every process sharing this
        breaker; this process alone when it is not shared or the store is out of reach."""
        if state not in (_CLOSED, _FORCED_OPEN, _DISABLED):
            raise ValueError(f"an operator moves a breaker to CLOSED, FORCED_OPEN or DISABLED, "
                             f"not {state}")
        shared = self._shared
        if shared is not None:
            try:
                snapshot = await shared.move(self, state)
            except Exception as error:
                self._store_failed(error, "move")
            else:
                self.apply(snapshot)
                return
        self._move(state)

    # -- reading and administration ------------------------------------------------------

    @property
    def state(self) -> State:
        """The current state (an expired OPEN reads, and becomes, HALF_OPEN)."""
        with self._lock:
            epoch, _, change = self._observe()
        self._announce(change)
        return epoch.state

    @property
    def recent_failures(self) -> int:
        """Failures recorded within the rolling window."""
        with self._lock:
            return self._recent_failures(self._now())

    def reset(self) -> None:
        """Close the breaker and forget the window (metrics totals are kept)."""
        self._move(_CLOSED)

    def force_open(self) -> None:
        """Reject every call until ``reset()``; an operator's switch."""
        self._move(_FORCED_OPEN)

    def disable(self) -> None:
        """Let every call through and never change state until ``reset()``; metrics still count."""
        self._move(_DISABLED)

    def _move(self, state: State) -> None:
        with self._lock:
            change = self._enter(state, self._now())
        self._announce(change, moved=True)

    def config(self) -> dict[str, Any]:
        """The breaker's settings, in the camelCase of ``status()``."""
        return {
            "failureThreshold": self._failure_threshold,
            "windowSeconds": self._window,
            "failureRateThreshold": self._failure_rate_threshold,
            "minimumCalls": self._minimum_calls,
            "slowCallSeconds": self._slow,
            "resetTimeoutSeconds": self._reset_timeout,
            "successThreshold": self._success_threshold,
            "halfOpenMaxCalls": self._half_open_max_calls,
            "timeoutSeconds": self._timeout,
        }

    def status(self) -> dict[str, Any]:
        """The seed's status shape plus ignored/slow counts, retry-after seconds and config."""
        with self._lock:
            epoch, now, change = self._observe()
            state = epoch.state
            recent = self._recent_failures(now)
            successes, failures = self._successes, self._failures
            rejected, ignored, slow = self._rejected, self._ignored, self._slow_calls
            open_until = self._open_until
            in_flight, trial_successes = epoch.in_flight, epoch.successes
            generation, cluster_failures = self._generation, self._cluster_failures
        self._announce(change)
        total = successes + failures + rejected + ignored
        if state is _OPEN:
            retry_after: float | None = max(0.0, open_until - now)
        elif state is _FORCED_OPEN:
            retry_after = None
        else:
            retry_after = 0.0
        return {
            "name": self.name,
            "state": str(state),
            "isOpen": state is _OPEN or state is _FORCED_OPEN,
            "recentFailures": recent,
            "retryAfterSeconds": retry_after,
            "halfOpen": {"inFlight": in_flight, "successes": trial_successes}
            if state is _HALF_OPEN
            else None,
            "metrics": {
                "totalRequests": total,
                "successfulRequests": successes,
                "failedRequests": failures,
                "rejectedRequests": rejected,
                "ignoredRequests": ignored,
                "slowRequests": slow,
                "successRate": _rate(successes, total),
                "failureRate": _rate(failures, total),
            },
            "config": self.config(),
            **({} if self._shared is None else {"shared": {
                "backend": self._shared.backend, "generation": generation,
                "clusterFailures": cluster_failures}}),
        }

    def __repr__(self) -> str:
        return f"<CircuitBreaker {self.name!r} {self._epoch.state}>"


async def _resolve(value: Any) -> Any:
    """A fallback may be sync or async."""
    if inspect.isawaitable(value):
        return await value
    return value
