"""Sources: add, list, change, remove and poll them; and the URL a webhook source receives
items at (``/api/webhooks/sources/{name}/{token}``: no API key, the token is the secret; a
wrong name or token is 404)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from pipelineos.errors import InvalidInput
from pipelineos.web import routing
from pipelineos.web.deps import RuntimeDep
from pipelineos.web.routes.posts import NDJSON_TYPES
from pipelineos.web.schemas import ErrorBody

router = routing.router(tags=["sources"])

WEBHOOK_PREFIX = "/api/webhooks/sources"
SourceName = Annotated[str, Path(min_length=1, max_length=100)]
_ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody},
                                            422: {"model": ErrorBody}}


class SourceOut(BaseModel):
    name: str
    kind: str
    enabled: bool
    interval_seconds: int
    config: dict[str, Any] = Field(description="The kind's fields, credentials left out.")
    credentials: list[str] = Field(description="Names of the stored credentials (never "
                                               "their values).")
    state: Literal["ok", "new", "failing", "quiet", "disabled"]
    last_polled_at: datetime | None
    last_success_at: datetime | None
    last_item_at: datetime | None
    last_error: str | None
    items_total: int
    items_rejected: int
    created_at: datetime


class CreatedOut(SourceOut):
    webhook_url: str | None = Field(None, description="A webhook source's URL, with its "
                                    "secret token: shown this once, stored only as a hash.")


class SourcesOut(BaseModel):
    sources: list[SourceOut]


class SourceChange(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    enabled: bool | None = None
    interval_seconds: int | None = None


class PollOut(BaseModel):
    name: str
    outcome: Literal["polled", "not_modified", "skipped", "failed"]
    fetched: int
    new: int
    accepted: int
    duplicates: int
    rejected: int
    error: str | None


def _text(max_length: int, description: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": max_length}
    return {**schema, "description": description} if description else schema


_NEW_SOURCE: dict[str, Any] = {"type": "object", "required": ["kind", "name"], "properties": {
    "kind": {"type": "string", "enum": ["rss", "reddit", "imap", "apify", "webhook"]},
    "name": {**_text(40), "pattern": "^[a-z0-9][a-z0-9_-]{0,39}$"},
    "interval_seconds": {"type": "integer"},
    "enabled": {"type": "boolean"},
    "group_name": _text(200),
    "url": _text(2000, "rss: the feed's URL"),
    "host": _text(255), "port": {"type": "integer"}, "username": _text(320),
    "password": _text(1000, "imap: stored, never shown again"),
    "folder": _text(200), "tls": {"type": "boolean"}, "mark_seen": {"type": "boolean"},
    "subreddits": _text(700, "reddit: names joined by '+' or ',' (a JSON list works too)"),
    "client_id": _text(100, "reddit: an app's client id (optional)"),
    "client_secret": _text(200, "reddit: the app's secret: stored, never shown again"),
    "token": _text(200, "apify: the API token that reads the run's dataset: stored, never "
                        "shown again"),
}, "example": {"kind": "rss", "name": "dallas-craigslist", "interval_seconds": 300,
               "url": "https://dallas.craigslist.org/search/hss?format=rss",
               "group_name": "Dallas Craigslist"}}


@router.post("/api/sources", response_model=CreatedOut, status_code=201,
             responses={400: {"model": ErrorBody}, 409: {"model": ErrorBody},
                        422: {"model": ErrorBody}},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": _NEW_SOURCE}}}})
async def add_source(request: Request, runtime: RuntimeDep) -> CreatedOut:
    """Add a source: `kind`, `name` (a-z, 0-9, `-`, `_`), `interval_seconds`, and the kind's
    fields (rss: `url`, `group_name`; reddit: `subreddits`, `client_id`, `client_secret`;
    imap: `host`, `port`, `username`, `password`, `folder`, `tls`; webhook: `group_name`;
    apify: `token`). A webhook or apify source's answer carries its URL, once. A webhook source's answer carries its URL, once."""
    body = await request.json()
    if not isinstance(body, dict):
        raise InvalidInput("the body must be a JSON object")
    added = await runtime.sources.add(body)
    out = CreatedOut(**runtime.sources.public(added.source))
    if added.token is not None:
        out.webhook_url = str(request.url_for("receive_items", name=added.source.name,
                                              token=added.token))
    return out


@router.get("/api/sources", response_model=SourcesOut)
async def list_sources(runtime: RuntimeDep) -> SourcesOut:
    """Every source with its state (`ok`, `new`, `failing`, `quiet`, `disabled`), last poll,
    last success, last error and items taken."""
    now = runtime.clock.now()
    return SourcesOut(sources=[SourceOut(**runtime.sources.public(s, now))
                               for s in await runtime.sources.all()])


@router.get("/api/sources/{name}", response_model=SourceOut, responses=_ERRORS)
async def get_source(name: SourceName, runtime: RuntimeDep) -> SourceOut:
    """One source."""
    return SourceOut(**runtime.sources.public(await runtime.sources.get(name)))


@router.patch("/api/sources/{name}", response_model=SourceOut,
              responses={**_ERRORS, 400: {"model": ErrorBody}})
async def change_source(name: SourceName, change: SourceChange,
                        runtime: RuntimeDep) -> SourceOut:
    """Enable or disable a source, or change its interval (it is then polled at once)."""
    source = await runtime.sources.update(name, enabled=change.enabled,
                                          interval_seconds=change.interval_seconds)
    return SourceOut(**runtime.sources.public(source))


@router.delete("/api/sources/{name}", status_code=204, responses=_ERRORS)
async def remove_source(name: SourceName, runtime: RuntimeDep) -> Response:
    """Remove a source (its posts and leads stay)."""
    await runtime.sources.remove(name)
    return Response(status_code=204)


@router.post("/api/sources/{name}/poll", response_model=PollOut, responses=_ERRORS)
async def poll_source(name: SourceName, runtime: RuntimeDep) -> PollOut:
    """Poll a source now (`skipped` when a poll of it is running anywhere); a webhook source
    is not polled (422)."""
    return PollOut(**(await runtime.sources.poll(name)).as_dict())


class ReceivedOut(BaseModel):
    items: int
    new: int
    accepted: int
    duplicates: int
    rejected: int


@router.post(WEBHOOK_PREFIX + "/{name}/{token}", name="receive_items", response_model=ReceivedOut,
             responses={400: {"model": ErrorBody}, 404: {"model": ErrorBody},
                        413: {"model": ErrorBody}, 422: {"model": ErrorBody}},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": {"type": "array", "items": {}}},
                 "application/x-ndjson": {"schema": {"type": "array", "items": {}}}}}})
async def receive_items(name: SourceName, token: Annotated[str, Path(min_length=1, max_length=200)],
                        request: Request, runtime: RuntimeDep) -> ReceivedOut:
    """Items for a webhook source: one JSON object, an array, or NDJSON, in our shape or a
    scraper's (as `POST /api/posts`); for an apify source, Apify's run-succeeded webhook
    payload (the run's dataset is then read from Apify). No API key: the token in the URL is
    the secret."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    ndjson = (True if content_type in NDJSON_TYPES
              else False if content_type == "application/json" else None)
    result = await runtime.sources.receive(name, token, await request.body(), ndjson=ndjson)
    return ReceivedOut(items=result.fetched, new=result.new, accepted=result.accepted,
                       duplicates=result.duplicates, rejected=result.rejected)
