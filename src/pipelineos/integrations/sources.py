"""What every source adapter returns, and its one error (this module imports no vendor).

    PipelineError
    └── SourceFetchError      the source could not be read now (unreachable, refused, an
                              answer that is not a feed or a mailbox); the poll is recorded
                              as failed and tried again at the next interval

Adapters (``integrations/rss``, ``integrations/imap``) turn what a protocol gives into
:class:`Entry` values: plain fields, no vendor type. Messages never carry a credential.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pipelineos.errors import PipelineError


class SourceFetchError(PipelineError):
    """The source could not be read."""


@dataclass(frozen=True)
class Entry:
    """One item a source gave: ``key`` identifies it for good (a feed's guid, a mailbox's
    UIDVALIDITY and UID), so an edited item is the same item."""

    key: str
    text: str
    group_name: str | None = None
    url: str | None = None
    author: str | None = None
    posted_at: datetime | None = None
    # Why this item cannot be a post, when the adapter already knows (a mail with no text).
    problem: str | None = None


async def _nothing() -> None:
    return None


@dataclass(frozen=True)
class Fetched:
    """A poll's items, the cursor to keep once they are stored, and what to tell the source
    once they are (a mailbox marks its messages seen)."""

    entries: list[Entry]
    cursor: Mapping[str, Any]
    not_modified: bool = False
    acknowledge: Callable[[], Awaitable[None]] = field(default=_nothing)
