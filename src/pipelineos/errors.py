"""Errors shared across layers; each layer's own errors derive from :class:`PipelineError`.

    PipelineError
    ├── InvalidInput            bad input from a client (mapped to 422)
    │   └── MalformedBody       a body that cannot be parsed at all (400)
    ├── NotFound                a resource that does not exist (404)
    ├── Conflict                a resource by that name already exists (409)
    ├── Forbidden               a request whose credentials are not accepted (403)
    └── ServiceUnavailable      a dependency cannot serve now; the work is kept (503)

Vendor and database errors are translated into these at the seam where they occur; one place
(`pipelineos.web.errors`) maps them to HTTP.
"""

from __future__ import annotations


class PipelineError(Exception):
    """Something went wrong in PipelineOS."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip().splitlines()[0])


class InvalidInput(PipelineError):
    """The input is not valid."""


class MalformedBody(InvalidInput):
    """The request body cannot be parsed."""


class NotFound(PipelineError):
    """No such resource."""


class Conflict(PipelineError):
    """A resource by that name already exists."""
class Forbidden(PipelineError):
    """The request is not allowed."""


class ServiceUnavailable(PipelineError):
    """A dependency is unavailable; the request was stored and will be processed later."""

    def __init__(self, message: str | None = None, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
