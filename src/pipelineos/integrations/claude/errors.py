"""Errors from calling Claude, translated from the SDK's at the seam (``client.py``).

    ClaudeError                  a call to Claude did not produce an answer
    ├── ClaudeAuthError          401/403: key missing, wrong or revoked; not retried; counts
    ├── ClaudeRequestRejected    another 4xx: the request itself is wrong (model name, size);
    │                            not retried; counts
    ├── ClaudeTransientError     may work if tried again: retried with backoff; counts once
    │   │                        the retries are spent
    │   ├── ClaudeUnavailable    5xx, 529 overloaded, 408/409, a reply that is not JSON
    │   ├── ClaudeTimeout        no reply within the per-attempt timeout
    │   └── ClaudeConnectionError  the API could not be reached
    ├── ClaudeRateLimited        429 from Anthropic: retried after its retry-after; never
    │                            counts toward the breaker (the seed's rule)
    └── ClaudeInvalidReply       Claude answered, but not with the structure asked for; not
                                 retried, never counts (not an outage); the post goes to the
                                 local analyzer

"Counts" means the ``claude-api`` circuit breaker records a failure. Messages never carry the
vendor's error text (it can echo a credential): the kind, the status and the request id only.
"""

from __future__ import annotations

from pipelineos.errors import PipelineError
from pipelineos.integrations.claude.usage import Usage


class ClaudeError(PipelineError):
    """A call to Claude failed."""

    def __init__(self, message: str | None = None, *, status: int | None = None,
                 request_id: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.request_id = request_id

    @property
    def kind(self) -> str:
        """A short, stable name for logs, reasons and metrics."""
        return _KINDS.get(type(self), "error")


class ClaudeAuthError(ClaudeError):
    """Claude refused the API key (authentication or permission error)."""


class ClaudeRequestRejected(ClaudeError):
    """Claude rejected the request as malformed (a 4xx other than 401, 403, 408, 409, 429)."""


class ClaudeTransientError(ClaudeError):
    """Claude could not answer now; the same request may succeed later."""

    def __init__(self, message: str | None = None, *, status: int | None = None,
                 request_id: str | None = None, retry_after: float | None = None) -> None:
        super().__init__(message, status=status, request_id=request_id)
        self.retry_after = retry_after


class ClaudeUnavailable(ClaudeTransientError):
    """Claude answered with a server error or said it is overloaded."""


class ClaudeTimeout(ClaudeTransientError):
    """Claude did not reply within the per-attempt timeout."""


class ClaudeConnectionError(ClaudeTransientError):
    """The Claude API could not be reached."""


class ClaudeRateLimited(ClaudeError):
    """Claude's own rate limit was hit (429); wait ``retry_after`` seconds."""

    def __init__(self, message: str | None = None, *, status: int | None = 429,
                 request_id: str | None = None, retry_after: float | None = None) -> None:
        super().__init__(message, status=status, request_id=request_id)
        self.retry_after = retry_after


class ClaudeInvalidReply(ClaudeError):
    """Claude's reply did not validate against the requested structure.

    The tokens were spent all the same, so the reply's ``usage`` and ``model`` travel with the
    error to be recorded.
    """

    def __init__(self, message: str | None = None, *, request_id: str | None = None,
                 usage: Usage | None = None, model: str | None = None) -> None:
        super().__init__(message, status=200, request_id=request_id)
        self.usage = usage or Usage()
        self.model = model


_KINDS: dict[type[ClaudeError], str] = {
    ClaudeAuthError: "authentication error",
    ClaudeRequestRejected: "request rejected",
    ClaudeUnavailable: "server error",
    ClaudeTimeout: "timeout",
    ClaudeConnectionError: "connection error",
    ClaudeRateLimited: "rate limited",
    ClaudeInvalidReply: "invalid reply",
}
