"""The layers, stated as tests that read the source (with ``ast``) and can fail.

- ``db/`` imports nothing above it: only itself and the foundation (errors, clock, lifetime,
  config, logs). Components hand their schema in through the composition root.
- ``resilience/`` imports nothing of ours.
- Vendor SDKs and protocol libraries are imported only under ``integrations/``.
- Web routes and CLI commands call services: they contain no SQL and borrow no connection.

Every import counts, wherever it is written (inside a function too), and so does
``importlib.import_module("...")`` with a constant name: a lower layer importing a higher one
by string is still importing it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "pipelineos"

FOUNDATION = {"pipelineos.errors", "pipelineos.clock", "pipelineos.lifetime",
              "pipelineos.config", "pipelineos.logs"}
VENDORS = {"anthropic", "twilio", "aiohttp", "aiohttp_retry", "httpx", "requests", "urllib3",
           "smtplib", "aiosmtplib", "imaplib", "aioimaplib", "websockets", "http.client",
           "urllib.request", "openai", "boto3", "stripe", "slack_sdk"}

# Known cases that other branches are removing; each names why. An entry that no longer
# matches anything is harmless (it does not fail the test), so merges stay easy.
ALLOWED_VENDOR_IMPORTS = {
    # `pipelineos breaker` calls a running server's own admin API over HTTP (not a vendor).
    ("pipelineos.cli.breaker", "httpx"),
}
ALLOWED_SQL: set[str] = {
    # Borrow pool connections for the store functions they call (areas, jobs, the AI usage
    # read): not yet behind a service like leads (issue 13; the leads ones moved already).
    "pipelineos.cli.areas",
    "pipelineos.cli.jobs",
    "pipelineos.web.routes.ai",
    "pipelineos.web.routes.areas",
    "pipelineos.web.routes.jobs",
    # The readiness check's own round trip (`SELECT 1`) on a borrowed connection.
    "pipelineos.web.routes.health",
}


def _modules() -> Iterator[tuple[str, Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _imports(name: str, path: Path, tree: ast.Module) -> Iterator[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)
        elif (isinstance(node, ast.Call) and ast.unparse(node.func).endswith("import_module")
              and node.args and isinstance(node.args[0], ast.Constant)):
            yield str(node.args[0].value)


def _within(module: str, prefixes: set[str] | str) -> bool:
    prefixes = {prefixes} if isinstance(prefixes, str) else prefixes
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _ours(module: str) -> bool:
    return _within(module, "pipelineos")


def test_db_imports_nothing_above_it() -> None:
    wrong = sorted({f"{name} imports {target}" for name, path, tree in _modules()
                    if _within(name, "pipelineos.db")
                    for target in _imports(name, path, tree)
                    if _ours(target) and not _within(target, {"pipelineos.db", *FOUNDATION})
                    and target != "pipelineos"})
    assert wrong == [], "db/ is below every component; hand things in instead:\n" + "\n".join(wrong)


def test_resilience_imports_nothing_of_ours() -> None:
    wrong = sorted({f"{name} imports {target}" for name, path, tree in _modules()
                    if _within(name, "pipelineos.resilience")
                    for target in _imports(name, path, tree)
                    if _ours(target) and not _within(target, "pipelineos.resilience")
                    and target != "pipelineos"})
    assert wrong == [], "resilience/ is a leaf:\n" + "\n".join(wrong)


def test_vendor_sdks_are_imported_only_under_integrations() -> None:
    wrong = sorted({f"{name} imports {target}" for name, path, tree in _modules()
                    if not _within(name, "pipelineos.integrations")
                    for target in _imports(name, path, tree)
                    if _within(target, VENDORS)
                    and not any(_within(name, mod) and _within(target, vendor)
                                for mod, vendor in ALLOWED_VENDOR_IMPORTS)})
    assert wrong == [], "vendor and protocol libraries belong in integrations/:\n" + "\n".join(wrong)


# A statement, not a word in a sentence: a keyword followed by what only SQL puts after it.
SQL = re.compile(r"(^\s*SELECT\s|\bSELECT\b.+\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
                 r"CREATE\s+(TABLE|INDEX)|ALTER\s+TABLE|LISTEN\s+\w|NOTIFY\s+\w)",
                 re.DOTALL)  # our SQL is written in capitals; "listen on" in prose is not SQL


CONNECTION = re.compile(r"(^|\.|_)(conn|connection|cur|cursor)$")


def _sql_in(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if SQL.search(node.value) and not node.value.lstrip().startswith(("\n", "`")):
                yield f"line {node.lineno}: {node.value.strip()[:60]!r}"
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and (node.func.attr == "connection" and ast.unparse(node.func.value).endswith("pool")
                   or node.func.attr in {"execute", "executemany", "cursor"}
                   and CONNECTION.search(ast.unparse(node.func.value)))):
            yield f"line {node.lineno}: {ast.unparse(node)[:60]}"


def _is_route_or_cli(name: str) -> bool:
    return _within(name, {"pipelineos.web.routes", "pipelineos.cli", "pipelineos.cli_ops"})


def test_web_routes_and_the_cli_contain_no_sql() -> None:
    wrong = sorted(f"{name} {found}" for name, _, tree in _modules()
                   if _is_route_or_cli(name) and not _within(name, ALLOWED_SQL)
                   for found in _sql_in(tree))
    assert wrong == [], "routes and CLI commands call a service instead:\n" + "\n".join(wrong)


def test_the_checks_see_what_they_look_for() -> None:
    """The collectors find the things they check (or the tests above would pass vacuously)."""
    modules = {name: (path, tree) for name, path, tree in _modules()}
    claude = modules["pipelineos.integrations.claude.client"]
    assert "anthropic" in set(_imports("pipelineos.integrations.claude.client", *claude))
    engine = modules["pipelineos.jobs.engine"]
    assert "pipelineos.db.sql" in set(_imports("pipelineos.jobs.engine", *engine))
    assert any(_sql_in(engine[1]))
    assert any(_is_route_or_cli(name) for name in modules)
