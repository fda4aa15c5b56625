"""`pipelineos serve` with sources, over real HTTP: a feed added with the CLI is polled by the
server's own worker and its hot item is texted (loopback Twilio) without anyone asking; a post
to a webhook source's URL is texted within a second."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.acceptance.service import running_service
from tests.acceptance.test_cli_commands import ok, pipelineos
from tests.fakes.feed_server import FeedItem, FeedServer
from tests.fakes.twilio_server import serve_twilio, twilio_env

pytestmark = pytest.mark.slow

HOT = ("Need a plumber in Dallas ASAP, water heater leaking everywhere in the garage",
       "Water all over the floor, please call today")


def test_feed_item_is_texted_by_itself(tmp_path: Path, migrated_url: str) -> None:
    """The feed gets a new hot item; within its interval plus a few seconds the owner has a
    text about it, and `sources list` shows the source ok with one item."""
    feeds = FeedServer().start()
    try:
        feeds.items["dallas"] = []
        with serve_twilio() as fake, running_service(
            tmp_path, DATABASE_URL=migrated_url, SOURCE_MIN_INTERVAL_SECONDS="2",
            **twilio_env(fake)
        ) as service:
            ok(pipelineos("sources", "add", "rss", "--name", "dallas", "--url",
                          feeds.url("dallas"), "--interval", "2", cwd=tmp_path,
                          DATABASE_URL=migrated_url, SOURCE_MIN_INTERVAL_SECONDS="2"))
            time.sleep(1)
            feeds.items["dallas"].append(FeedItem("new-1", *HOT))
            published = time.perf_counter()
            [message] = fake.wait_for_messages(1, timeout=2 + 5 + 5)  # interval + tick + slack
            assert message.received_at - published < 12
            assert "plumber" in message.body.lower() or "Lead #" in message.body
            listed = httpx.get(f"{service.base_url}/api/sources").json()["sources"]
            assert [(s["name"], s["state"], s["items_total"]) for s in listed] == [
                ("dallas", "ok", 1)]
    finally:
        feeds.stop()


def test_webhook_post_is_texted_within_a_second(tmp_path: Path, migrated_url: str) -> None:
    """A scraper posts to the webhook source's URL: the owner's text reaches Twilio in under
    a second; a wrong token is a 404."""
    with serve_twilio() as fake, running_service(
        tmp_path, DATABASE_URL=migrated_url, **twilio_env(fake)
    ) as service:
        created = httpx.post(f"{service.base_url}/api/sources",
                             json={"kind": "webhook", "name": "scraper"})
        assert created.status_code == 201
        url = created.json()["webhook_url"]
        started = time.perf_counter()
        answer = httpx.post(url, json={"text": HOT[0], "groupTitle": "Dallas Homeowners",
                                       "postId": "fb-1"})
        assert answer.status_code == 200 and answer.json()["accepted"] == 1
        [message] = fake.wait_for_messages(1, timeout=5)
        assert message.received_at - started < 1.0
        assert httpx.post(url + "x", json={"text": HOT[0]}).status_code == 404
