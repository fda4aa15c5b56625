"""Jobs see the running application through a Protocol, not ``Any``, and the jobs package
never imports the composition root that builds it."""

from __future__ import annotations

import ast
import typing
from pathlib import Path

import pipelineos.jobs as jobs_package
from pipelineos.jobs.engine import JobContext
from pipelineos.jobs.services import JobServices


def test_a_job_context_names_the_services_protocol() -> None:
    """ctx.services and the engine's attachment point are typed by JobServices."""
    assert typing.get_type_hints(JobContext)["services"] is JobServices
    assert "JobServices" in Path(jobs_package.__file__).with_name("engine.py").read_text()


def test_the_jobs_package_imports_no_bootstrap() -> None:
    """pipelineos.bootstrap builds the engine; the engine and the built-in jobs only know the
    Protocol, so no module under jobs/ imports bootstrap (or anything above it)."""
    above = ("pipelineos.bootstrap", "pipelineos.web", "pipelineos.cli")
    for path in Path(jobs_package.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not [n for n in names if n.startswith(above)], f"{path.name}: {names}"
