"""The one place errors become HTTP responses. Bodies are ``{"error": ..., "details": [...]}``.

Nothing internal leaks: an unexpected exception is logged with its traceback and answered with
a generic 500 body; database outages become 503 so clients know to retry, saying whether the
database is unreachable or busy (:func:`pipelineos.db.pool.shortage` tells them apart). A client
that closes the connection mid-request is one log line and a 499 (nobody reads it), never a
traceback.

A call a vendor's breaker or limiter refused is 503 (circuit open) or 429 (rate limit spent),
with Retry-After; an SMS Twilio refused or failed is 502 with Twilio's error code and status
(the message was built from Twilio's answer with credentials scrubbed out).
"""

from __future__ import annotations

import logging

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from psycopg_pool import PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from pipelineos.db.pool import error_line, shortage
from pipelineos.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    MalformedBody,
    NotFound,
    PipelineError,
    ServiceUnavailable,
)
from pipelineos.integrations.twilio.errors import SmsError
from pipelineos.resilience import CircuitOpenError, RateLimitExceeded
from pipelineos.web.openapi import RouteTable
from pipelineos.web.routing import CLIENT_CLOSED, ClientGone

log = logging.getLogger(__name__)


def error_response(status: int, message: str, details: list[dict[str, str]] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, object] = {"error": _printable(message)}
    if details is not None:
        body["details"] = [{key: _printable(value) for key, value in detail.items()}
                           for detail in details]
    return JSONResponse(body, status_code=status, headers=headers)


def _printable(text: str) -> str:
    """``text`` as UTF-8 can carry it: a lone surrogate echoed from the input would otherwise
    fail the response itself."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _validation_details(exc: RequestValidationError) -> list[dict[str, str]]:
    details = []
    for item in exc.errors():
        if item.get("type") == "json_invalid":
            position = item.get("loc", ("body", "?"))[-1]
            details.append({"field": "body", "message": f"JSON decode error at {position}"})
            continue
        location = [str(part) for part in item.get("loc", ()) if part != "body"]
        details.append({"field": ".".join(location) or "body", "message": str(item.get("msg"))})
    return details


def database_error(request: Request, exc: Exception) -> JSONResponse:
    """503 for a database that cannot serve now; the body and the log say the same thing.

    A borrow that timed out (``PoolTimeout``) is "busy" only when the pool's connections are all
    in use; when new connections fail or go unanswered the server is "unreachable", whatever
    the exception's name suggests. Any other ``OperationalError`` (a connection lost mid-query,
    a server shutting down) is "unavailable", unless the pool already knows it is unreachable.
    """
    runtime = getattr(request.app.state, "runtime", None)
    found = shortage(runtime.pool) if runtime is not None else None
    fields = {"path": request.url.path, "error": type(exc).__name__}
    if found is not None and found.unreachable:
        log.error("Database unreachable", extra={"fields": {**fields, "reason": found.reason}})
        return error_response(503, "Database unreachable; retry shortly",
                              headers={"Retry-After": "2"})
    if isinstance(exc, PoolTimeout):
        reason = found.reason if found is not None else str(exc)
        log.warning("Database pool exhausted", extra={"fields": {**fields, "reason": reason}})
        return error_response(503, "Database busy; retry shortly", headers={"Retry-After": "1"})
    log.error("Database unavailable", extra={"fields": {**fields, "reason": error_line(exc)}})
    return error_response(503, "Database unavailable; retry shortly",
                          headers={"Retry-After": "2"})


def _retry_after(seconds: float | None) -> dict[str, str] | None:
    """The Retry-After header for a wait of ``seconds`` (whole seconds, at least 1)."""
    return {"Retry-After": str(max(1, round(seconds)))} if seconds else None


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        kinds = {item.get("type") for item in exc.errors()}
        if "json_invalid" in kinds:
            return error_response(400, "Malformed JSON body", _validation_details(exc))
        return error_response(422, "Invalid request", _validation_details(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(exc.headers) if exc.headers else None
        if exc.status_code == 405:
            # Starlette names the methods of the first route on the path; the client needs
            # every route's (GET and PATCH on /api/leads/{id} are two routes).
            allowed = RouteTable.of(request.app).methods(request.url.path)
            headers = {**(headers or {}), "Allow": ", ".join(allowed)}
        return error_response(exc.status_code, str(exc.detail), headers=headers)

    @app.exception_handler(ClientGone)
    @app.exception_handler(ClientDisconnect)
    async def _gone(request: Request, exc: Exception) -> JSONResponse:
        log.info("Request aborted by the client", extra={"fields": {
            "method": request.method, "path": request.url.path}})
        return error_response(CLIENT_CLOSED, "Client closed the request")

    @app.exception_handler(InvalidInput)
    async def _bad(request: Request, exc: InvalidInput) -> JSONResponse:
        return error_response(400 if isinstance(exc, MalformedBody) else 422, str(exc))

    @app.exception_handler(NotFound)
    async def _missing(request: Request, exc: NotFound) -> JSONResponse:
        return error_response(404, str(exc))

    @app.exception_handler(Conflict)
    async def _conflict(request: Request, exc: Conflict) -> JSONResponse:
        return error_response(409, str(exc))
    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> JSONResponse:
        return error_response(403, str(exc))

    @app.exception_handler(CircuitOpenError)
    async def _circuit_open(request: Request, exc: CircuitOpenError) -> JSONResponse:
        return error_response(503, str(exc), headers=_retry_after(exc.retry_after))

    @app.exception_handler(RateLimitExceeded)
    async def _rate_limited(request: Request, exc: RateLimitExceeded) -> JSONResponse:
        return error_response(429, str(exc), headers=_retry_after(exc.retry_after))

    @app.exception_handler(SmsError)
    async def _sms_refused(request: Request, exc: SmsError) -> JSONResponse:
        return JSONResponse({"error": str(exc), "code": exc.code, "status": exc.status},
                            status_code=502)

    @app.exception_handler(ServiceUnavailable)
    async def _unavailable(request: Request, exc: ServiceUnavailable) -> JSONResponse:
        return error_response(503, str(exc), headers=_retry_after(exc.retry_after))

    @app.exception_handler(PipelineError)
    async def _pipeline(request: Request, exc: PipelineError) -> JSONResponse:
        log.error("Request failed", extra={"fields": {"path": request.url.path,
                                                      "error": type(exc).__name__}})
        return error_response(500, "Internal error")

    @app.exception_handler(PoolTimeout)
    async def _pool_timeout(request: Request, exc: PoolTimeout) -> JSONResponse:
        return database_error(request, exc)

    @app.exception_handler(psycopg.OperationalError)
    async def _db_down(request: Request, exc: psycopg.OperationalError) -> JSONResponse:
        return database_error(request, exc)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("Unhandled error", exc_info=exc, extra={"fields": {"path": request.url.path}})
        return error_response(500, "Internal error")
