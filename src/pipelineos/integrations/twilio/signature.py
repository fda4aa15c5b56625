"""Checking ``X-Twilio-Signature`` on Twilio's webhooks with the SDK's request validator."""

from __future__ import annotations

from collections.abc import Mapping

from twilio.request_validator import RequestValidator  # type: ignore[import-untyped]


def verify(auth_token: str, url: str, params: Mapping[str, str], signature: str | None) -> bool:
    """True when ``signature`` is Twilio's signature of ``url`` and the form ``params``."""
    if not signature:
        return False
    return bool(RequestValidator(auth_token).validate(url, dict(params), signature))
