"""Bulk intake: many posts in one request, each with its own result."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import Request
from pydantic import BaseModel, Field

from pipelineos.errors import InvalidInput, MalformedBody
from pipelineos.ingest import items as item_reader
from pipelineos.web import routing
from pipelineos.web.deps import RuntimeDep
from pipelineos.web.schemas import ErrorBody

router = routing.router(prefix="/api/posts", tags=["posts"])

MAX_ITEMS = 5000
NDJSON_TYPES = ("application/x-ndjson", "application/jsonl", "application/ndjson",
                "application/json-seq", "text/plain")


class ItemOut(BaseModel):
    index: int = Field(description="Position of the item in the request, from 0.")
    status: Literal["accepted", "duplicate", "invalid"]
    post_id: int | None = None
    lead_id: int | None = None
    duplicate_of: int | None = None
    reason: str | None = None


class BulkOut(BaseModel):
    accepted: int
    duplicates: int
    invalid: int
    results: list[ItemOut]


_ITEM_EXAMPLE: dict[str, Any] = {
    "text": "Need a plumber in Dallas for a leaking water heater", "group_name":
    "Dallas Home Services", "source": "facebook", "source_id": "1234_5678",
    "url": "https://www.facebook.com/groups/1234/posts/5678", "author": "Sam",
    "posted_at": "2026-11-28T09:30:00Z",
}

_ITEMS: dict[str, Any] = {"type": "array", "items": {
    "description": "A post: an object with these fields (any other value comes back as invalid "
                   "in its result).", "example": _ITEM_EXAMPLE}}


@router.post(
    "",
    response_model=BulkOut,
    responses={400: {"model": ErrorBody}, 413: {"model": ErrorBody},
               422: {"model": ErrorBody}, 503: {"model": ErrorBody}},
    openapi_extra={"requestBody": {"required": True, "content": {
        # Items are checked one by one (a bad one is reported in its result, never rejects
        # the request), so any JSON value is acceptable here; objects like this are posts.
        "application/json": {"schema": _ITEMS},
        # The same items, one JSON value per line.
        "application/x-ndjson": {"schema": _ITEMS},
    }}},
)
async def bulk_posts(request: Request, runtime: RuntimeDep) -> BulkOut:
    """Take in many posts: a JSON array, or NDJSON (one post per line; send
    `Content-Type: application/x-ndjson`). Items may use our field names or a Facebook-group
    scraper's (`text`, `url`, `groupTitle`, `time`, `user.name`, `postId`). Each item gets its
    own result: `accepted`, `duplicate` (it repeats an earlier post, or its source id was seen
    before) or `invalid` with the reason; one bad item never rejects the others."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    ndjson = (True if content_type in NDJSON_TYPES
              else False if content_type == "application/json" else None)
    try:
        raw = item_reader.split_items(await request.body(), ndjson=ndjson)
    except item_reader.UnreadableBody as error:
        raise MalformedBody(str(error)) from None
    if len(raw) > MAX_ITEMS:
        raise InvalidInput(f"at most {MAX_ITEMS} posts per request; got {len(raw)}")
    parsed = [item_reader.read_item(item) for item in raw]
    results = await runtime.bulk.submit(parsed)
    out = [ItemOut(**result.__dict__) for result in results]
    return BulkOut(
        accepted=sum(r.status == "accepted" for r in out),
        duplicates=sum(r.status == "duplicate" for r in out),
        invalid=sum(r.status == "invalid" for r in out),
        results=out,
    )
