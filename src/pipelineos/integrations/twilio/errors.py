"""Twilio's failures, translated at the seam (this module imports no SDK).

    PipelineError
    └── SmsError                  Twilio did not take the message (status, code, message)
        ├── RecipientRejected     this recipient/message can never be sent as is (21211, 21614,
        │                         21610, 21608 and kin): not retried, ignored by the breaker
        ├── TwilioAuthError       credentials refused (401/20003): not retried, counts
        ├── TwilioThrottled       Twilio's own rate limit (429/20429): retried, ignored
        ├── TwilioUnavailable     5xx, timeout, connection error: retried, counts;
        │                         ``maybe_sent`` when the request may have reached Twilio
        └── TwilioRequestRefused  any other 4xx (wrong account, bad parameter): counts

Messages never contain credentials: :func:`scrub` removes them from whatever Twilio (or a
proxy in front of it) echoed, before an error is built.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipelineos.errors import PipelineError

# Twilio error codes that say "this recipient or this message", not "Twilio is broken".
VALIDATION_CODES = frozenset({
    21211,  # invalid 'To' number
    21214,  # 'To' number cannot be reached
    21217,  # phone number does not appear to be valid
    21265,  # 'To' number is a short code / not allowed
    21266,  # 'To' and 'From' are the same number
    21408,  # permission to send to this region is not enabled
    21602,  # message body is required
    21604,  # 'To' is required
    21606,  # 'From' number is not valid for this message
    21608,  # trial accounts may only text verified numbers
    21610,  # recipient replied STOP (unsubscribed)
    21612,  # 'To' is not currently reachable via SMS
    21614,  # 'To' is not a mobile number
    21617,  # body exceeds 1600 characters
    21635,  # 'To' is a landline
})
AUTH_CODES = frozenset({20003, 20005, 20006})
THROTTLE_CODES = frozenset({20429, 14107})


class SmsError(PipelineError):
    """Twilio did not take the message."""

    def __init__(self, message: str | None = None, *, status: int | None = None,
                 code: int | None = None, maybe_sent: bool = False,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.maybe_sent = maybe_sent
        self.retry_after = retry_after


class RecipientRejected(SmsError):
    """Twilio rejected the recipient or the message; sending it again would fail the same way."""


class TwilioAuthError(SmsError):
    """Twilio refused the account credentials."""


class TwilioThrottled(SmsError):
    """Twilio asked us to slow down (429)."""


class TwilioUnavailable(SmsError):
    """Twilio could not be reached or failed on its side (5xx, timeout, connection error)."""


class TwilioRequestRefused(SmsError):
    """Twilio refused the request (a 4xx other than validation, authentication or throttling)."""


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret replaced, truncated to a length fit for a response body."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, "[redacted]")
    return text[:300]


def from_response(status: int, code: int | None, message: str, *,
                  retry_after: float | None = None) -> SmsError:
    """The error for an HTTP error answer from Twilio (``message`` already scrubbed)."""
    label = f"Twilio error {code}: {message}" if code else f"Twilio HTTP {status}: {message}"
    if status == 429 or code in THROTTLE_CODES:
        return TwilioThrottled(label, status=status, code=code, retry_after=retry_after)
    if status in (401, 403) or code in AUTH_CODES:
        return TwilioAuthError(label, status=status, code=code)
    if status >= 500:
        # Twilio (or a proxy in front of it) failed mid-way: the message may exist.
        return TwilioUnavailable(label, status=status, code=code, maybe_sent=True,
                                 retry_after=retry_after)
    if code in VALIDATION_CODES or (code is not None and 21200 <= code < 22000 and status == 400):
        return RecipientRejected(label, status=status, code=code)
    return TwilioRequestRefused(label, status=status, code=code)
