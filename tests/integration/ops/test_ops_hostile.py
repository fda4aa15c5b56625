"""Hostile input on every endpoint: deep nesting, huge numbers, NUL, lone surrogates and invalid
UTF-8 get a 4xx that says what is wrong, never a 500; bulk intake refuses only the bad items;
HEAD works wherever GET does; /docs needs nothing from the internet."""

from __future__ import annotations

import importlib
import json
import logging
import pkgutil
import re
from typing import Any

import psycopg
import pytest

from pipelineos.bootstrap import Runtime
import pipelineos.web.routes as routes_package
from pipelineos.inputs import MAX_DEPTH, MAX_DIGITS
from pipelineos.web.app import create_app
from pipelineos.web.routing import InputRoute
from tests.integration.ops.conftest import client_at

JSON = {"content-type": "application/json"}
NDJSON = {"content-type": "application/x-ndjson"}
DEEP = "[" * 50_000 + "]" * 50_000
HUGE = "9" * 5000
TOO_DEEP = f"JSON nested deeper than {MAX_DEPTH} levels at line 1"
TOO_LONG = f"number with more than {MAX_DIGITS} digits at line 1"
HOT = "Need a plumber in Dallas ASAP, water heater leaking everywhere"

# (method, path, body, status, what the answer says)
CASES = [
    ("POST", "/api/leads/analyze", f'{{"post_text": {DEEP}}}', 400, TOO_DEEP),
    ("POST", "/api/leads/analyze", f'{{"post_text": "x", "group_name": {HUGE}}}', 400,
     TOO_LONG),
    ("POST", "/api/leads/analyze", '{"post_text": "a\\ud800b", "group_name": "g"}', 422,
     "lone surrogate"),
    ("POST", "/api/leads/analyze", b'{"post_text": "a\xed\xa0\x80", "group_name": "g"}', 400,
     "not valid UTF-8"),
    ("POST", "/api/leads/analyze", '{"post_text": "x", "group_name": NaN}', 400, "NaN"),
    ("POST", "/api/posts", DEEP, 400, TOO_DEEP),
    ("POST", "/api/posts", f'[{{"text": "x", "group_name": "g", "extra": {DEEP}}}]', 400,
     TOO_DEEP),
    ("POST", "/api/posts", f'[{{"text": "x", "group_name": "g", "id": {HUGE}}}]', 400, TOO_LONG),
    ("POST", "/api/posts", b'[{"text": "\xff", "group_name": "g"}]', 400, "not valid UTF-8"),
    ("POST", "/api/areas", '{"name": "Dal\\u0000las"}', 422, "NUL"),
    ("POST", "/api/areas", '{"name": "Dallas", "aliases": ["D\\u0000FW"]}', 422, "NUL"),
    ("POST", "/api/areas", '{"name": "Dal\\udc00las"}', 422, "lone surrogate"),
    ("POST", "/api/areas", f'{{"name": "Dallas", "kind": {DEEP}}}', 400, TOO_DEEP),
    ("DELETE", "/api/areas/Dal%00las", None, 422, "NUL"),
    ("PUT", "/api/services", '{"services": ["plumb\\u0000ing"]}', 422, "NUL"),
    ("PATCH", "/api/leads/1", '{"note": "called\\u0000"}', 422, "NUL"),
    ("PATCH", "/api/leads/1", '{"note": "called", "actor": "sam\\u0000"}', 422, "NUL"),
    ("PATCH", "/api/leads/1", '{"note": "\\ud800"}', 422, "lone surrogate"),
    ("POST", "/api/test/sms", '{"message": "hi\\u0000"}', 422, "NUL"),
    ("POST", "/api/test/sms", f'{{"message": {HUGE}}}', 400, TOO_LONG),
    ("GET", "/api/leads?area=a%00b", None, 422, "NUL"),
    ("GET", "/api/jobs?job=a%00b", None, 422, "NUL"),
    ("GET", "/api/admin/circuits/a%00b", None, 422, "NUL"),
    ("POST", "/api/admin/circuits/twilio-api/reset?x=1", f"{DEEP}", 200, ""),  # no body read
    ("GET", f"/api/leads/{HUGE}", None, 404, "Not Found"),  # no lead id has 5000 digits
    ("PATCH", f"/api/leads/{HUGE}", '{"note": "x"}', 404, "Not Found"),
    ("GET", f"/api/leads/{'9' * 19}", None, 422, "lead_id"),
    ("GET", f"/api/leads?cursor={HUGE}", None, 422, "cursor"),
    ("GET", f"/api/leads?limit={HUGE}", None, 422, "limit"),
    ("GET", f"/api/leads?since={HUGE}", None, 422, "since"),
    ("GET", f"/api/jobs?cursor={HUGE}", None, 422, "cursor"),
]


@pytest.mark.parametrize(("method", "path", "body", "status", "says"), CASES)
async def test_hostile_input_is_a_client_error_that_says_why(
    ops_runtime: Runtime, method: str, path: str, body: str | bytes | None, status: int,
    says: str,
) -> None:
    """Each hostile request gets the 4xx it deserves with a message naming the problem."""
    content = body.encode() if isinstance(body, str) else body
    async with client_at(ops_runtime) as client:
        response = await client.request(method, path, content=content,
                                        headers=JSON if body is not None else None)
    assert response.status_code == status, response.text
    assert says in response.text


async def test_bulk_ndjson_refuses_only_the_hostile_lines(ops_runtime: Runtime,
                                                          migrated_url: str) -> None:
    """NDJSON with a deep line, a huge number, a lone surrogate, NUL, invalid UTF-8 and
    NaN: those lines come back invalid with their line and reason, the good ones are stored."""
    good = [json.dumps({"text": f"{HOT} #{n}", "group_name": "DFW", "author": f"a{n}"})
            for n in range(2)]
    lines = [
        good[0].encode(),
        f'{{"text": "x", "group_name": "g", "a": {DEEP}}}'.encode(),
        f'{{"text": "x", "group_name": "g", "id": {HUGE}}}'.encode(),
        b'{"text": "need a plumber \\ud800", "group_name": "g"}',
        b'{"text": "need a plumber", "group_name": "g\\u0000"}',
        b'{"text": "need a plumber \xc3\x28", "group_name": "g"}',
        b'{"text": "x", "group_name": "g", "time": NaN}',
        good[1].encode(),
    ]
    async with client_at(ops_runtime) as client:
        response = await client.post("/api/posts", content=b"\n".join(lines), headers=NDJSON)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["accepted", *["invalid"] * 6, "accepted"]
    reasons = [r["reason"] for r in results[1:7]]
    assert reasons == [
        f"line 2: JSON nested deeper than {MAX_DEPTH} levels",
        f"line 3: number with more than {MAX_DIGITS} digits",
        "text must not contain a lone surrogate (U+D800 at character 15)",
        "group must not contain NUL characters",
        "line 6: not valid UTF-8 (byte 25)",
        "line 7: NaN and Infinity are not JSON numbers",
    ]
    with psycopg.connect(migrated_url) as conn:
        assert conn.execute("SELECT count(*) FROM posts").fetchone() == (2,)


async def test_text_is_stored_as_the_rule_cleans_it(ops_runtime: Runtime) -> None:
    """An area and its aliases are stored single-spaced and trimmed, and found by a filter
    written with other spacing."""
    async with client_at(ops_runtime) as client:
        created = await client.post("/api/areas", json={"name": "  Fort   Worth ",
                                                        "aliases": ["Cow\ttown"]})
        assert created.status_code == 201
        assert (created.json()["name"], created.json()["aliases"]) == ("Fort Worth",
                                                                       ["Cow town"])
        assert (await client.get("/api/leads", params={"area": "Fort  Worth"})).status_code == 200
        assert (await client.delete("/api/areas/Fort%20%20Worth%20")).status_code == 204


def get_paths(runtime: Runtime) -> list[str]:
    """Every GET path of the OpenAPI, parameters filled in, and the docs page."""
    schema = create_app(runtime.settings, runtime=runtime).openapi()
    paths = [re.sub(r"\{[^}]+\}", "1", path) for path, operations in schema["paths"].items()
             if "get" in operations]
    return [*paths, "/openapi.json", "/docs", "/docs/assets/swagger-ui.css"]


async def test_head_works_wherever_get_does(ops_runtime: Runtime) -> None:
    """HEAD on every GET route answers as GET would, headers without a body."""
    async with client_at(ops_runtime) as client:
        for path in get_paths(ops_runtime):
            got, head = await client.get(path), await client.head(path)
            assert head.status_code == got.status_code != 405, path
            assert head.content == b"", path
            assert head.headers["content-type"] == got.headers["content-type"], path
        refused = await client.head("/api/leads/analyze")
        assert refused.status_code == 405 and refused.headers["allow"] == "POST"


async def test_docs_load_everything_from_the_package(ops_runtime: Runtime) -> None:
    """/docs references only assets the server itself serves (it works offline), and no
    ReDoc page loads a script from a CDN."""
    async with client_at(ops_runtime) as client:
        page = await client.get("/docs")
        assert page.status_code == 200
        assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert len(assets) == 3 and "http" not in page.text.split("<body>")[0]
        for asset in assets:
            assert asset.startswith("/docs/assets/"), asset
            served = await client.get(asset)
            assert served.status_code == 200 and len(served.content) > 500, asset
        assert "SwaggerUIBundle" in (await client.get(assets[-1])).text
        assert (await client.get("/redoc")).status_code == 404


def string_schemas(node: Any, components: dict[str, Any], seen: set[str]) -> list[Any]:
    """Every string schema in ``node``, following $refs into ``components``."""
    if isinstance(node, list):
        return [found for item in node for found in string_schemas(item, components, seen)]
    if not isinstance(node, dict):
        return []
    ref = node.get("$ref", "")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        if name in seen:
            return []
        return string_schemas(components[name], components, seen | {name})
    found = [node] if node.get("type") == "string" else []
    return found + [item for value in node.values()
                    for item in string_schemas(value, components, seen)]


def test_every_text_input_is_bounded_by_the_text_rule(ops_runtime: Runtime) -> None:
    """Every free-text parameter and body field in the OpenAPI carries the text rule's
    limits (a choice of values is an enum, a date-time a format)."""
    schema = create_app(ops_runtime.settings, runtime=ops_runtime).openapi()
    components = schema["components"]["schemas"]
    inputs = [part for operations in schema["paths"].values()
              for operation in operations.values()
              for part in (operation.get("parameters", []), operation.get("requestBody", {}))]
    strings = string_schemas(inputs, components, set())
    free_text = [s for s in strings if "enum" not in s and "format" not in s]
    assert len(free_text) >= 20
    assert [s for s in free_text if not (s.get("maxLength") and s.get("minLength"))] == []


def test_every_api_route_reads_bodies_with_the_json_reader() -> None:
    """Every route of every router module is an InputRoute: none escapes the JSON reader and
    the client-gone handling."""
    modules = [importlib.import_module(f"pipelineos.web.routes.{info.name}")
               for info in pkgutil.iter_modules(routes_package.__path__)]
    found = [route for module in modules for route in module.router.routes]
    assert len(modules) >= 9 and len(found) > 15
    assert [route.path for route in found if not isinstance(route, InputRoute)] == []


async def test_a_body_refused_by_the_reader_is_logged_as_nothing_worse_than_info(
    ops_runtime: Runtime, caplog: pytest.LogCaptureFixture,
) -> None:
    """A hostile body leaves no error (and no traceback) in the log."""
    caplog.set_level(logging.INFO)
    async with client_at(ops_runtime) as client:
        await client.post("/api/posts", content=DEEP.encode(), headers=JSON)
        await client.post("/api/leads/analyze", content=DEEP.encode(), headers=JSON)
    assert [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info] == []
