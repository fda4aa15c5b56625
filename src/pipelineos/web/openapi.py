"""The OpenAPI document, completed with what middleware and error handlers add to every route.

Routes declare their own outcomes; the answers that come from outside a route are declared
here, once, so the schema says every status a client can get (and schemathesis holds us to it):

- every ``/api`` route: the API key (security schemes), 401, 403 and 429 (web/access.py), and
  503 (database unavailable or pool exhausted, web/errors.py);
- every route with a body: 400 (malformed JSON, or beyond the JSON reader's limits), 408 (body
  too slow), 413 (over MAX_BODY_BYTES), 422;
- every route: 431 (more than MAX_HEADER_COUNT headers, web/middleware.py);
- every error is ``ErrorBody`` (``{"error", "details"}``), never FastAPI's ``{"detail"}``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.routing import compile_path

from pipelineos.web import dashboard, docs, routing
from pipelineos.web.access import needs_access_check

ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
ERROR_BODY_SCHEMA: dict[str, Any] = {
    "title": "ErrorBody", "type": "object", "required": ["error"],
    "properties": {"error": {"type": "string", "title": "Error"},
                   "details": {"anyOf": [{"type": "array", "items": {
                       "type": "object", "additionalProperties": {"type": "string"}}},
                       {"type": "null"}], "title": "Details"}},
}
SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer",
               "description": "PIPELINEOS_API_KEY as `Authorization: Bearer <key>`"},
    "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key",
               "description": "PIPELINEOS_API_KEY as `X-API-Key: <key>`"},
}
COMMON = {
    400: "Malformed JSON body (or nested too deep, or a number too long)",
    401: "PIPELINEOS_API_KEY is set and the request did not carry it",
    403: "PIPELINEOS_API_KEY is not set and the request did not come from this machine",
    408: "The body did not arrive within BODY_TIMEOUT_SECONDS",
    413: "Request body over MAX_BODY_BYTES",
    422: "Invalid request",
    429: "Too many failed API key attempts from this address; see Retry-After",
    431: "More than MAX_HEADER_COUNT request headers",
    503: "The database is unavailable or busy; retry shortly",
}


def _error(status: int) -> dict[str, Any]:
    return {"description": COMMON[status], "content": {"application/json": {"schema": ERROR_REF}}}


def complete(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the shared outcomes to a FastAPI-generated schema (in place; returned too)."""
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.setdefault("ErrorBody", ERROR_BODY_SCHEMA)
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    components["securitySchemes"] = SECURITY_SCHEMES
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            responses: dict[str, Any] = operation.setdefault("responses", {})
            wanted = [431]
            if needs_access_check(path):
                operation["security"] = [{"bearer": []}, {"apiKey": []}]
                wanted += [401, 403, 429, 503]
            if "requestBody" in operation:
                wanted += [400, 408, 413, 422]
            if operation.get("parameters"):
                wanted.append(422)
            for code in wanted:
                responses.setdefault(str(code), _error(code))
            for status, response in responses.items():
                if not status.startswith(("4", "5")):
                    continue
                content = response.get("content", {}).get("application/json")
                ref = (content or {}).get("schema", {}).get("$ref", "")
                if content is None or ref.endswith("/HTTPValidationError"):
                    response["content"] = {"application/json": {"schema": ERROR_REF}}
    return schema


def install(app: FastAPI) -> None:
    """Serve the completed schema at /openapi.json (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete(get_openapi(
                title=app.title, version=app.version, description=app.description,
                routes=app.routes, tags=app.openapi_tags))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


class RouteTable:
    """Which route template (and methods) a raw path belongs to, from the OpenAPI paths (the
    templates with every router prefix applied; what ``scope["route"]`` holds differs across
    FastAPI versions), matched with Starlette's own path compiler in declaration order."""

    def __init__(self, paths: dict[str, dict[str, Any]], extra: tuple[str, ...] = ()) -> None:
        self.entries = [(compile_path(_with_convertors(template, operations))[0], template,
                         frozenset(method.upper() for method in operations))
                        for template, operations in paths.items()]
        self.entries += [(compile_path(path)[0], path, frozenset()) for path in extra]

    @classmethod
    def of(cls, app: FastAPI) -> RouteTable:
        """The app's table, built on first use."""
        table: RouteTable | None = getattr(app.state, "route_table", None)
        if table is None:
            extra = tuple(p for p in (app.openapi_url, app.docs_url, app.redoc_url) if p) + (
                docs.PATHS) + dashboard.PATHS
            table = app.state.route_table = cls(app.openapi()["paths"], extra)
        return table

    def _first(self, path: str) -> tuple[str, frozenset[str]] | None:
        # Literal paths are declared before parameterised ones (/api/leads/analyze before
        # /api/leads/{lead_id}), as routing needs, so the first match is the route's.
        for pattern, template, methods in self.entries:
            if pattern.match(path):
                return template, methods
        return None

    def template(self, path: str) -> str | None:
        """The template of the route ``path`` belongs to (None: no route)."""
        found = self._first(path)
        return found[0] if found else None

    def methods(self, path: str) -> list[str]:
        """The methods accepted on ``path`` (HEAD wherever GET is), for a 405's Allow."""
        first = self._first(path)
        found = set(first[1]) if first else set()
        if "GET" in found:
            found.add("HEAD")
        return sorted(found)


def _with_convertors(template: str, operations: dict[str, Any]) -> str:
    """``/api/leads/{lead_id}`` as routed: ``{lead_id:id}`` where the parameter is an integer
    (the OpenAPI path drops Starlette's convertors)."""
    for operation in operations.values():
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "path" and parameter.get("schema", {}).get(
                    "type") == "integer":
                name = parameter["name"]
                template = template.replace(f"{{{name}}}", f"{{{name}:{routing.ID}}}")
    return template
