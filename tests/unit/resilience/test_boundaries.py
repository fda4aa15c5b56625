"""The package stays inside its walls: no project imports, a small public surface, typed errors."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import pipelineos.resilience as resilience
from pipelineos.resilience import exceptions

PACKAGE = Path(resilience.__file__).parent
THIRD_PARTY = {"tenacity"}
DRIVERS = {"psycopg", "psycopg_pool"}


def imported_modules(path: Path) -> list[tuple[str, int]]:
    """(module, relative level) for every import statement in a file."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, 0) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
    return found


def test_resilience_imports_nothing_from_the_rest_of_pipelineos() -> None:
    """Every import is stdlib, tenacity, or a sibling module; drivers only in postgres.py."""
    modules = sorted(PACKAGE.glob("*.py"))
    assert len(modules) >= 8
    for path in modules:
        for name, level in imported_modules(path):
            where = f"{path.name} imports {'.' * level}{name}"
            if level:
                assert level == 1, where
                continue
            top = name.split(".")[0]
            assert top != "pipelineos", where
            allowed = sys.stdlib_module_names | THIRD_PARTY
            if path.name == "postgres.py":
                allowed |= DRIVERS
            assert top in allowed, where


def test_importing_the_package_loads_no_driver_and_no_project_module() -> None:
    """`import pipelineos.resilience` pulls in neither psycopg nor any other pipelineos module."""
    probe = (
        "import sys, pipelineos.resilience\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('psycopg', 'psycopg_pool')"
        " or (m.startswith('pipelineos.') and not m.startswith('pipelineos.resilience'))]\n"
        "print(bad)\n"
    )
    src = str(PACKAGE.parent.parent)
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True,
        env={"PYTHONPATH": src, "PATH": ""},
    )
    assert out.stdout.strip() == "[]"


def test_public_surface_is_exactly_all_and_every_name_resolves() -> None:
    """__all__ is sorted, names only public things, and every name in it exists."""
    assert resilience.__all__ == sorted(resilience.__all__)
    for name in resilience.__all__:
        assert not name.startswith("_")
        assert getattr(resilience, name) is not None


def test_every_error_class_is_documented_and_rooted_in_resilience_error() -> None:
    """Each exception in exceptions.py has a docstring and one common base."""
    classes = [c for _, c in inspect.getmembers(exceptions, inspect.isclass) if c.__module__ == exceptions.__name__]
    assert len(classes) >= 6
    for cls in classes:
        assert cls.__doc__ and cls.__doc__.strip(), cls.__name__
        assert issubclass(cls, exceptions.ResilienceError), cls.__name__
