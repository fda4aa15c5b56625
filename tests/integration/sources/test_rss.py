"""RSS and Atom sources against a loopback feed server: items become posts and leads once,
conditional GET, hostile feeds, one poll at a time, a crash mid-poll, quiet sources."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.clock import ManualClock
from pipelineos.config import Settings
from tests.fakes.feed_server import FeedItem, FeedServer

HOT = ("Need a plumber in Dallas ASAP, water heater leaking everywhere in the garage",
       "Water all over the floor, please call today")
EV = ("Looking for an electrician in Plano to install an EV charger next week", "Quotes welcome")
CAT = ("Lost cat near White Rock Lake", "Orange tabby named Milo, answers to his name")


def rows(url: str, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchall()  # type: ignore[arg-type]


async def test_feed_items_become_posts_once(runtime: Runtime, feeds: FeedServer,
                                            migrated_url: str) -> None:
    """A feed's items are stored and analyzed (a hot one is a lead with an alert); the next poll
    asks conditionally and takes nothing; an edited item is not a new post, a new one is."""
    feeds.items["dallas"] = [FeedItem("g1", *HOT, link="https://dallas.example/1", author="Ann"),
                             FeedItem("g2", *CAT)]
    sources = runtime.sources
    await sources.add({"kind": "rss", "name": "dallas", "url": feeds.url("dallas"),
                       "group_name": "Dallas Craigslist", "interval_seconds": 60})
    first = await sources.poll("dallas")
    assert (first.outcome, first.fetched, first.accepted) == ("polled", 2, 2)
    stored = rows(migrated_url, "SELECT source, source_id, group_name, url, author FROM posts "
                                "ORDER BY source_id")
    assert stored[0] == ("rss:dallas", "g1", "Dallas Craigslist", "https://dallas.example/1",
                         "Ann")
    assert rows(migrated_url, "SELECT count(*) FROM leads") == [(1,)]
    assert rows(migrated_url, "SELECT count(*) FROM alert_outbox WHERE kind = 'lead'") == [(1,)]

    again = await sources.poll("dallas")
    assert again.outcome == "not_modified"
    assert feeds.conditional, "the second request carried If-None-Match"

    feeds.items["dallas"][0] = FeedItem("g1", HOT[0], "EDITED: still leaking")
    feeds.items["dallas"].append(FeedItem("g3", *EV))
    third = await sources.poll("dallas")
    assert (third.fetched, third.new, third.accepted) == (3, 1, 1)
    assert rows(migrated_url, "SELECT count(*) FROM posts") == [(3,)]
    listed = sources.public(await sources.get("dallas"))
    assert listed["items_total"] == 3 and listed["state"] == "ok"
    assert listed["last_error"] is None and listed["last_success_at"] is not None
    assert "PipelineOS" in feeds.user_agents[0]


async def test_atom_feed(runtime: Runtime, feeds: FeedServer, migrated_url: str) -> None:
    """Atom entries are read like RSS items (id, content, link, author, updated)."""
    feeds.items["alerts"] = [FeedItem("tag:google.com,2026:1", *EV,
                                      link="https://news.example/ev", author="Bo")]
    await runtime.sources.add({"kind": "rss", "name": "alerts",
                               "url": feeds.url("alerts", "atom")})
    result = await runtime.sources.poll("alerts")
    assert result.accepted == 1
    assert rows(migrated_url, "SELECT source_id, url, author, group_name FROM posts") == [
        ("tag:google.com,2026:1", "https://news.example/ev", "Bo", "alerts")]


@pytest.mark.parametrize(("setup", "expected"), [
    ({"status": 500}, "the feed answered HTTP 500"),
    ({"status": 404}, "the feed answered HTTP 404"),
    ({"raw": b"<html><body><h1>Sign in</h1></body></html>"}, "no RSS or Atom feed"),
    ({"raw": b"\x00\x01\x02garbage\xff\xfe"}, "no RSS or Atom feed"),
    ({"raw": b"<rss version='2.0'><channel><title>x</title>" + b"<item>" * 3000},
     None),  # truncated XML: the items feedparser can read, no crash
])
async def test_hostile_feeds_fail_cleanly(runtime: Runtime, feeds: FeedServer,
                                          setup: dict[str, Any], expected: str | None) -> None:
    """A feed that errors, is not a feed, or is broken XML is a failed poll with a clear
    error (or the readable part), never a crash; the source is tried again later."""
    if "status" in setup:
        feeds.status["bad"] = setup["status"]
    else:
        feeds.raw["bad"] = setup["raw"]
    await runtime.sources.add({"kind": "rss", "name": "bad", "url": feeds.url("bad")})
    result = await runtime.sources.poll("bad")
    source = runtime.sources.public(await runtime.sources.get("bad"))
    if expected is None:
        assert result.outcome == "polled" and result.accepted == 0
        return
    assert result.outcome == "failed" and expected in (result.error or "")
    assert source["state"] == "failing" and expected in source["last_error"]


async def test_huge_feed_is_refused(migrated_url: str, tmp_path: Path,
                                    feeds: FeedServer) -> None:
    """An answer larger than SOURCE_MAX_FEED_BYTES is refused without reading it all."""
    from tests.conftest import make_settings

    settings = make_settings(migrated_url, tmp_path, source_max_feed_bytes=100_000)
    feeds.raw["huge"] = b"<rss version='2.0'><channel>" + b"<item><title>x</title></item>" * 50_000
    runtime = await Runtime.start(settings)
    try:
        await runtime.sources.add({"kind": "rss", "name": "huge", "url": feeds.url("huge")})
        result = await runtime.sources.poll("huge")
    finally:
        await runtime.stop()
    assert result.outcome == "failed" and "larger than 100000 bytes" in (result.error or "")


async def test_bad_item_is_skipped_not_fatal(runtime: Runtime, feeds: FeedServer,
                                             migrated_url: str) -> None:
    """An item with no text is reported and skipped; the others are taken."""
    feeds.items["mixed"] = [FeedItem("empty", "", ""), FeedItem("ok", *EV)]
    await runtime.sources.add({"kind": "rss", "name": "mixed", "url": feeds.url("mixed")})
    result = await runtime.sources.poll("mixed")
    assert (result.accepted, result.rejected) == (1, 1)
    assert rows(migrated_url, "SELECT outcome, reason FROM source_items ORDER BY item_key") == [
        ("rejected", "the entry has no title or text"), ("accepted", None)]
    again = await runtime.sources.poll("mixed")
    assert again.outcome == "not_modified"


async def test_one_poll_of_a_source_at_a_time(runtime: Runtime, feeds: FeedServer,
                                              migrated_url: str) -> None:
    """Two polls of the same source at once: one runs, the other is skipped."""
    feeds.items["slow"] = [FeedItem("a", *HOT)]
    feeds.stall = 0.5
    await runtime.sources.add({"kind": "rss", "name": "slow", "url": feeds.url("slow")})
    results = await asyncio.gather(runtime.sources.poll("slow"), runtime.sources.poll("slow"))
    assert sorted(r.outcome for r in results) == ["polled", "skipped"]
    assert rows(migrated_url, "SELECT count(*) FROM posts") == [(1,)]


async def test_crash_mid_poll_takes_nothing_twice(runtime: Runtime, feeds: FeedServer,
                                                  migrated_url: str) -> None:
    """The process dies after the posts were stored but before they were marked seen and the
    cursor moved: the next poll fetches them again and stores none twice."""
    feeds.items["crashy"] = [FeedItem("a", *HOT), FeedItem("b", *EV)]
    await runtime.sources.add({"kind": "rss", "name": "crashy", "url": feeds.url("crashy")})
    real = runtime.bulk.submit

    class Died(BaseException):
        pass

    async def submit_then_die(items: Any) -> Any:
        await real(items)
        raise Died()

    runtime.sources.bulk.submit = submit_then_die  # type: ignore[method-assign]
    with pytest.raises(Died):
        await runtime.sources.poll("crashy")
    runtime.sources.bulk.submit = real  # type: ignore[method-assign]
    assert rows(migrated_url, "SELECT count(*) FROM source_items") == [(0,)]
    feeds.items["crashy"].append(FeedItem("c", *CAT))
    result = await runtime.sources.poll("crashy")
    assert (result.new, result.accepted, result.duplicates) == (3, 1, 2)
    assert rows(migrated_url, "SELECT count(*) FROM posts") == [(3,)]
    assert rows(migrated_url, "SELECT count(*) FROM leads") == [(2,)]
    assert rows(migrated_url, "SELECT count(*), count(DISTINCT lead_id) FROM alert_outbox "
                              "WHERE kind = 'lead'") in ([(1, 1)], [(2, 2)])


async def test_poll_job_polls_due_sources(runtime: Runtime, feeds: FeedServer,
                                          migrated_url: str) -> None:
    """The poll-sources job polls enabled sources whose interval has passed, not others."""
    feeds.items["due"] = [FeedItem("a", *HOT)]
    feeds.items["off"] = [FeedItem("b", *EV)]
    await runtime.sources.add({"kind": "rss", "name": "due", "url": feeds.url("due")})
    await runtime.sources.add({"kind": "rss", "name": "off", "url": feeds.url("off"),
                               "enabled": False})
    run = await runtime.jobs.execute("poll-sources")
    assert run.outcome == "succeeded" and run.details["polled"] == 1
    assert rows(migrated_url, "SELECT source FROM posts") == [("rss:due",)]
    again = await runtime.jobs.execute("poll-sources")
    assert again.details["polled"] == 0  # its interval has not passed


async def test_quiet_source_alerts_once(migrated_url: str, tmp_path: Path,
                                        feeds: FeedServer) -> None:
    """A source failing for more than five intervals shows as quiet and sends one critical
    alert; it is not repeated while the source stays quiet."""
    from tests.conftest import make_settings

    settings: Settings = make_settings(migrated_url, tmp_path)
    clock = ManualClock(datetime.now(UTC))
    runtime = await Runtime.start(settings, clock=clock)
    try:
        feeds.status["down"] = 503
        await runtime.sources.add({"kind": "rss", "name": "down", "url": feeds.url("down"),
                                   "interval_seconds": 10})
        assert (await runtime.sources.poll("down")).outcome == "failed"
        assert await runtime.sources.check_quiet() == []
        clock.advance(61)
        assert (await runtime.sources.poll("down")).outcome == "failed"
        assert await runtime.sources.check_quiet() == ["down"]
        assert await runtime.sources.check_quiet() == []
        health = await runtime.sources.health()
        assert health["quiet"] == ["down"]
        alerts = rows(migrated_url, "SELECT body FROM alert_outbox WHERE kind = 'critical'")
        assert len(alerts) == 1 and "down" in alerts[0][0] and "HTTP 503" in alerts[0][0]
    finally:
        await runtime.stop()
