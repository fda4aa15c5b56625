"""Sources: posts that arrive by themselves.

A polled source (``rss``, ``imap``) is read by the ``poll-sources`` job (every few seconds it
takes the sources whose interval has passed) or on demand (API, CLI). A poll:

1. takes a session advisory lock for the source (``pg_try_advisory_lock(7315, id)``), so one
   poll of a source runs at a time across every process; a second is skipped;
2. fetches through the source's own circuit breaker (five failures in a row open it for five
   intervals; its timeout is ``SOURCE_POLL_TIMEOUT_SECONDS``);
3. drops the items already in the source's seen-set, hands the others to bulk intake (the
   same analysis, duplicate detection and alerts as ``POST /api/posts``; a post's source is
   ``<kind>:<name>`` and its source id the item's key);
4. in one transaction, marks the items seen and keeps the new cursor; then tells the source
   (a mailbox marks its messages seen).

A crash between 3 and 4 loses nothing and doubles nothing: the cursor did not move, so the
items are fetched again, and the posts' ``(source, source_id)`` index answers "repeat" for
those already stored. A bad item is reported (log, ``items_rejected``) and skipped; it never
stops the source. A ``webhook`` source is not polled: its items arrive at its secret URL and
take steps 3 and 4.

A source with no new item for ``SOURCE_QUIET_INTERVALS`` intervals, or failing for more than
five intervals, shows as ``quiet`` in ``/health`` and sends one critical alert (once,
cluster-wide; again only after it was well in between).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import hmac
import logging
import secrets as token_source
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import psycopg
from psycopg_pool import AsyncConnectionPool

from pipelineos.alerts.notifier import Notifier
from pipelineos.clock import Clock
from pipelineos.errors import Conflict, InvalidInput, MalformedBody, NotFound, ServiceUnavailable
from pipelineos.ingest import items as item_reader
from pipelineos.ingest.bulk import BulkIntake, ItemResult
from pipelineos.ingest.items import Rejected
from pipelineos.ingest.posts import NewPost
from pipelineos.inputs import InvalidJson, read_json
from pipelineos.integrations.sources import Entry, Fetched, SourceFetchError
from pipelineos.resilience import CallTimeoutError, CircuitBreaker, CircuitOpenError
from pipelineos.sources import model, store
from pipelineos.sources.model import Source

log = logging.getLogger(__name__)

MAX_WEBHOOK_ITEMS = 5000


class DatasetItems(Protocol):
    """Reads a finished Apify run's dataset (integrations/apify)."""

    async def items(self, token: str, dataset_id: str) -> list[Any]: ...


APIFY_SUCCEEDED = "ACTOR.RUN.SUCCEEDED"


class Fetcher(Protocol):
    """Reads one kind of source. ``trial``: for ``sources test``, read without conditions and
    change nothing at the source."""

    async def fetch(self, source: Source, *, trial: bool = False) -> Fetched: ...

    async def aclose(self) -> None: ...


@dataclass(frozen=True)
class PollResult:
    name: str
    outcome: str  # 'polled', 'not_modified', 'skipped', 'failed'
    fetched: int = 0
    new: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Preview:
    """An item a poll would take (``new``), has taken (``seen``) or would refuse
    (``invalid``, with the reason)."""

    key: str
    status: str
    text: str
    group_name: str | None
    url: str | None
    reason: str | None = None


@dataclass(frozen=True)
class Added:
    source: Source
    token: str | None  # a webhook source's token: shown once, stored only as a hash


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SourceService:
    def __init__(self, pool: AsyncConnectionPool, bulk: BulkIntake, *,
                 fetchers: Mapping[str, Fetcher], notifier: Notifier, clock: Clock,
                 apify: DatasetItems | None = None,
                 default_interval: int = 300, min_interval: int = 10,
                 quiet_intervals: float = 24.0, poll_timeout: float = 60.0,
                 concurrency: int = 4) -> None:
        self.pool = pool
        self.bulk = bulk
        self.fetchers = dict(fetchers)
        self.apify = apify
        self.notifier = notifier
        self.clock = clock
        self.default_interval = default_interval
        self.min_interval = min_interval
        self.quiet_intervals = quiet_intervals
        self.poll_timeout = poll_timeout
        self.concurrency = concurrency
        self._breakers: dict[str, tuple[int, CircuitBreaker]] = {}

    async def aclose(self) -> None:
        for fetcher in self.fetchers.values():
            await fetcher.aclose()

    # --- managing -------------------------------------------------------------------------
    async def add(self, body: Mapping[str, Any]) -> Added:
        new = model.new_source(body, default_interval=self.default_interval,
                               min_interval=self.min_interval)
        token = token_source.token_urlsafe(24) if new.kind in model.PUSHED else None
        async with self.pool.connection() as conn:
            source = await store.insert(conn, new, _token_hash(token) if token else None)
        if source is None:
            raise Conflict(f"a source named {new.name!r} already exists")
        log.info("Source added", extra={"fields": {
            "source": source.name, "kind": source.kind, "interval": source.interval_seconds}})
        return Added(source, token)

    async def all(self) -> list[Source]:
        async with self.pool.connection() as conn:
            return await store.all_sources(conn)

    async def get(self, name: str) -> Source:
        async with self.pool.connection() as conn:
            source = await store.get(conn, name)
        if source is None:
            raise NotFound(f"no source named {name!r}")
        return source

    async def update(self, name: str, *, enabled: bool | None = None,
                     interval_seconds: int | None = None) -> Source:
        if interval_seconds is not None:
            model.check_interval(interval_seconds, minimum=self.min_interval)
        async with self.pool.connection() as conn:
            source = await store.update(conn, name, enabled=enabled,
                                        interval_seconds=interval_seconds)
        if source is None:
            raise NotFound(f"no source named {name!r}")
        log.info("Source updated", extra={"fields": {
            "source": name, "enabled": source.enabled, "interval": source.interval_seconds}})
        return source

    async def remove(self, name: str) -> None:
        async with self.pool.connection() as conn:
            if not await store.delete(conn, name):
                raise NotFound(f"no source named {name!r}")
        self._breakers.pop(name, None)
        log.info("Source removed", extra={"fields": {"source": name}})

    def public(self, source: Source, now: datetime | None = None) -> dict[str, Any]:
        return source.public(now or self.clock.now(), self.quiet_intervals)

    # --- polling --------------------------------------------------------------------------
    def _fetcher(self, source: Source) -> Fetcher:
        fetcher = self.fetchers.get(source.kind)
        if fetcher is None:
            raise InvalidInput(f"{source.name} is a {source.kind} source: it is not polled; its "
                               "items arrive at its own URL")
        return fetcher

    def _breaker(self, source: Source) -> CircuitBreaker:
        held = self._breakers.get(source.name)
        if held is None or held[0] != source.id:
            breaker = CircuitBreaker(
                f"source:{source.name}", failure_threshold=5,
                window=source.interval_seconds * 10.0,
                reset_timeout=min(source.interval_seconds * 5.0, 3600.0), success_threshold=1,
                timeout=self.poll_timeout, clock=self.clock)
            held = (source.id, breaker)
            self._breakers[source.name] = held
        return held[1]

    async def poll(self, name: str) -> PollResult:
        """Poll one source now (skipped if another poll of it is running anywhere)."""
        source = await self.get(name)
        fetcher = self._fetcher(source)
        async with self.pool.connection() as lock_conn:
            if not await store.try_lock(lock_conn, source.id):
                return PollResult(name, "skipped", error="a poll of this source is running")
            try:
                return await self._poll_locked(await self.get(name), fetcher)
            finally:
                with contextlib.suppress(psycopg.Error):
                    await store.unlock(lock_conn, source.id)

    async def poll_due(self) -> list[PollResult]:
        """Poll every enabled source whose interval has passed (a few at once), then look for
        sources that went quiet."""
        now = self.clock.now()
        async with self.pool.connection() as conn:
            names = await store.due(conn, now, list(self.fetchers), limit=100)
        gate = asyncio.Semaphore(self.concurrency)

        async def one(name: str) -> PollResult:
            async with gate:
                try:
                    return await self.poll(name)
                except NotFound:  # removed meanwhile
                    return PollResult(name, "skipped", error="removed")

        results = list(await asyncio.gather(*(one(name) for name in names)))
        await self.check_quiet()
        return results

    async def _poll_locked(self, source: Source, fetcher: Fetcher) -> PollResult:
        breaker = self._breaker(source)
        try:
            fetched = await breaker.call_async(fetcher.fetch, source)
        except Exception as error:
            message = source.secrets.scrub(self._describe(source, error))
            async with self.pool.connection() as conn:
                await store.record_failure(conn, source.id, self.clock.now(), message)
            log.warning("Source poll failed", extra={"fields": {
                "source": source.name, "kind": source.kind, "error": message}})
            return PollResult(source.name, "failed", error=message)
        if fetched.not_modified:
            async with self.pool.connection() as conn:
                await store.record_success(conn, source.id, self.clock.now(), cursor=None,
                                           accepted=0, rejected=0)
            log.info("Source polled", extra={"fields": {
                "source": source.name, "kind": source.kind, "not_modified": True}})
            return PollResult(source.name, "not_modified")
        result = await self._take(source, [self._post(source, e) for e in fetched.entries],
                                  cursor=fetched.cursor)
        try:
            await fetched.acknowledge()
        except Exception as error:  # the cursor moved: nothing is taken twice regardless
            log.warning("Source acknowledgement failed", extra={"fields": {
                "source": source.name, "error": source.secrets.scrub(
                    self._describe(source, error))}})
        log.info("Source polled", extra={"fields": {
            "source": source.name, "kind": source.kind, "fetched": result.fetched,
            "new": result.new, "accepted": result.accepted, "duplicates": result.duplicates,
            "rejected": result.rejected}})
        return result

    def _describe(self, source: Source, error: BaseException) -> str:
        if isinstance(error, SourceFetchError):
            return str(error)
        if isinstance(error, CircuitOpenError):
            wait = f"; next try in {error.retry_after:.0f} s" if error.retry_after else ""
            return f"paused after repeated failures{wait}"
        if isinstance(error, CallTimeoutError | TimeoutError):
            return f"no answer within {self.poll_timeout:g} s"
        log.error("Source poll crashed", exc_info=error,
                  extra={"fields": {"source": source.name}})
        return f"unexpected error ({type(error).__name__})"

    def _post(self, source: Source, entry: Entry) -> tuple[str, NewPost | Rejected]:
        if entry.problem is not None:
            return entry.key, Rejected(entry.problem)
        item = {"text": entry.text, "source_id": entry.key, "url": entry.url,
                "author": entry.author,
                "group_name": source.config.get("group_name") or entry.group_name or source.name,
                "posted_at": entry.posted_at.isoformat() if entry.posted_at else None}
        return entry.key, item_reader.read_item(item, default_source=source.post_source)

    async def _take(self, source: Source, items: Sequence[tuple[str, NewPost | Rejected]], *,
                    cursor: Mapping[str, Any] | None) -> PollResult:
        """Store the items not seen before, mark them seen and keep ``cursor``."""
        unique: dict[str, NewPost | Rejected] = {}
        for key, item in items:
            unique.setdefault(key, item)
        async with self.pool.connection() as conn:
            seen = await store.seen(conn, source.id, list(unique))
        fresh = [(key, item) for key, item in unique.items() if key not in seen]
        results: list[ItemResult] = await self.bulk.submit([item for _, item in fresh])
        records: list[tuple[str, int | None, str, str | None]] = []
        for (key, _), outcome in zip(fresh, results, strict=True):
            if outcome.status == "invalid":
                log.warning("Source item rejected", extra={"fields": {
                    "source": source.name, "key": key[:200], "reason": outcome.reason}})
            records.append((key, outcome.post_id,
                            "rejected" if outcome.status == "invalid" else outcome.status,
                            outcome.reason))
        accepted = sum(r.status == "accepted" for r in results)
        rejected = sum(r.status == "invalid" for r in results)
        async with self.pool.connection() as conn, conn.transaction():
            await store.record_items(conn, source.id, records)
            await store.record_success(conn, source.id, self.clock.now(), cursor=cursor,
                                       accepted=accepted, rejected=rejected)
        return PollResult(source.name, "polled", fetched=len(items), new=len(fresh),
                          accepted=accepted, duplicates=len(fresh) - accepted - rejected,
                          rejected=rejected)

    async def preview(self, name: str) -> list[Preview]:
        """What a poll would take now, storing nothing and changing nothing at the source."""
        source = await self.get(name)
        fetcher = self._fetcher(source)
        fetched = await fetcher.fetch(source, trial=True)
        keyed = [self._post(source, entry) for entry in fetched.entries]
        async with self.pool.connection() as conn:
            seen = await store.seen(conn, source.id, [key for key, _ in keyed])
        out = []
        for key, item in keyed:
            if isinstance(item, Rejected):
                out.append(Preview(key, "invalid", "", None, None, item.reason))
            else:
                out.append(Preview(key, "seen" if key in seen else "new", item.text,
                                   item.group_name, item.url))
        return out

    # --- webhook sources ------------------------------------------------------------------
    async def receive(self, name: str, token: str, body: bytes, *,
                      ndjson: bool | None) -> PollResult:
        """Items pushed to a webhook source's URL. A wrong name or token is the same
        :class:`NotFound` (the URL does not exist), so neither can be guessed apart."""
        async with self.pool.connection() as conn:
            source = await store.get(conn, name)
        if (source is None or source.kind not in model.PUSHED or source.token_hash is None
                or not hmac.compare_digest(source.token_hash, _token_hash(token))):
            log.info("Source webhook refused", extra={"fields": {"source": name[:60]}})
            raise NotFound("Not Found")
        if not source.enabled:
            raise NotFound("Not Found")
        if source.kind == "apify":
            raw = await self._run_items(source, body)
        else:
            stripped = body.lstrip()
            if ndjson is not True and stripped.startswith(b"{") and \
                    b"\n{" not in stripped.strip():
                body, ndjson = b"[" + body + b"]", False  # one object: an array of one
            try:
                raw = item_reader.split_items(body, ndjson=ndjson)
            except item_reader.UnreadableBody as error:
                raise MalformedBody(str(error)) from None
        if len(raw) > MAX_WEBHOOK_ITEMS:
            raise InvalidInput(f"at most {MAX_WEBHOOK_ITEMS} items per request; got {len(raw)}")
        group = source.config.get("group_name") or source.name
        keyed: list[tuple[str, NewPost | Rejected]] = []
        for index, value in enumerate(raw):
            item = item_reader.read_item(value, default_group=group,
                                         default_source=source.post_source)
            if isinstance(item, Rejected):
                keyed.append((f"invalid:{hashlib.sha256(repr(value).encode()).hexdigest()}"
                              f":{index}", item))
                continue
            if item.source_id is None:
                digest = hashlib.sha256(f"{item.group_name}\n{item.text}".encode()).hexdigest()
                item = dataclasses.replace(item, source_id=f"sha256:{digest}")
            keyed.append((f"{item.source}:{item.source_id}", item))
        result = await self._take(source, keyed, cursor=None)
        log.info("Source items received", extra={"fields": {
            "source": source.name, "items": result.fetched, "accepted": result.accepted,
            "duplicates": result.duplicates, "rejected": result.rejected}})
        return result

    async def _run_items(self, source: Source, body: bytes) -> list[Any]:
        """The items of the run an Apify webhook announces (none for other events)."""
        try:
            payload = read_json(body)
        except InvalidJson as error:
            raise MalformedBody(str(error)) from None
        if not isinstance(payload, dict):
            raise InvalidInput("expected Apify's webhook payload (a JSON object)")
        event = payload.get("eventType")
        resource = payload.get("resource")
        dataset = resource.get("defaultDatasetId") if isinstance(resource, dict) else None
        if event != APIFY_SUCCEEDED:
            log.info("Source webhook ignored", extra={"fields": {
                "source": source.name, "event": str(event)[:60]}})
            return []
        if not isinstance(dataset, str) or not model.NAME_OR_ID.fullmatch(dataset):
            raise InvalidInput("resource.defaultDatasetId: the run's dataset id is missing or "
                               "not an id")
        if self.apify is None:
            raise ServiceUnavailable("Apify is not configured in this process")
        try:
            return await self.apify.items(source.secrets.get("token") or "", dataset)
        except SourceFetchError as error:
            message = source.secrets.scrub(str(error))
            log.warning("Source poll failed", extra={"fields": {
                "source": source.name, "kind": source.kind, "error": message}})
            async with self.pool.connection() as conn:
                await store.record_failure(conn, source.id, self.clock.now(), message)
            raise ServiceUnavailable(f"{message}; Apify retries the webhook",
                                     retry_after=60) from None

    # --- health ---------------------------------------------------------------------------
    async def check_quiet(self) -> list[str]:
        """Alert once for each source that went quiet; return their names."""
        now = self.clock.now()
        async with self.pool.connection() as conn:
            quiet = await store.newly_quiet(conn, now, self.quiet_intervals)
            well = await store.well_again(conn, now, self.quiet_intervals)
        for name in well:
            log.info("Source well again", extra={"fields": {"source": name}})
        for row in quiet:
            if row["failing_since"] is not None and row["last_error"]:
                why = f"failing since {row['failing_since']:%Y-%m-%d %H:%M} UTC: " \
                      f"{row['last_error']}"
            else:
                since = row["last_item_at"]
                why = ("no new item since " + f"{since:%Y-%m-%d %H:%M} UTC" if since
                       else "no item yet")
            log.warning("Source quiet", extra={"fields": {"source": row["name"],
                                                           "kind": row["kind"], "why": why}})
            await self.notifier.send_critical_alert(
                f"Source {row['name']} ({row['kind']}) has gone quiet: {why}")
        return [str(row["name"]) for row in quiet]

    async def health(self) -> dict[str, Any]:
        """For ``/health``: counts, and the sources that are failing or quiet."""
        now = self.clock.now()
        sources = await self.all()
        states = {s.name: s.state(now, self.quiet_intervals) for s in sources}
        return {"total": len(sources),
                "enabled": sum(s.enabled for s in sources),
                "failing": sorted(n for n, state in states.items() if state == "failing"),
                "quiet": sorted(n for n, state in states.items() if state == "quiet")}

