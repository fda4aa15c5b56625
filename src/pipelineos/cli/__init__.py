"""The ``pipelineos`` command, one module per command group.

Each module has a ``register(app)`` that adds its commands; :data:`GROUPS` below is the one
place they are put together, in the order ``--help`` lists them (commands first, then
groups, each in registration order). A new group is a module and one line in GROUPS.

Commands that need the database open it the one way, ``async with open_runtime() as runtime``
(cli/runtime.py), and call the services on it; settings, logging and finding the existing
database are in cli/common.py.
"""

from __future__ import annotations

from collections.abc import Callable

import typer

from pipelineos.cli import (analyze, analyzer, areas, breaker, channels, export, imports, jobs,
                            leads, migrate, ops, serve, sources)

app = typer.Typer(
    help="PipelineOS: posts in, leads out, hot leads texted within seconds.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

GROUPS: tuple[Callable[[typer.Typer], None], ...] = (
    serve.register,    # serve, worker
    jobs.register,     # jobs [runs|run|defer]
    areas.register,    # areas list|add|remove|import|services
    leads.register,    # leads list|show|set-status
    imports.register,  # import FILE
    breaker.register,  # breaker [reset|force-open|disable]
    migrate.register,  # migrate
    analyze.register,  # analyze TEXT
    ops.register,      # backup FILE, restore FILE
    analyzer.register,  # analyzer train|retrain|status|verdict|mute|unmute|mutes
    channels.register,  # channels list|test
    export.register,   # leads export [--format csv|ndjson]
    sources.register,  # sources add|list|test|poll|remove
)
for register in GROUPS:
    register(app)


def main() -> None:
    app()
