"""What the gateway hands back (no SDK import, so callers can type against it cheaply)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SentMessage:
    """A message Twilio holds: its SID, status (queued, sent...) and segment count."""

    sid: str
    status: str
    segments: int | None = None
    found_by_lookup: bool = False
