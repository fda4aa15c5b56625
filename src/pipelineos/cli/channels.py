"""``pipelineos channels list|test``: the alert channels beside SMS (ALERT_CHANNELS,
ALERT_CHANNELS_CONFIG), always shown redacted.

Both read the configuration only (no database, no running server): ``list`` says what each
channel gets; ``test`` sends one notification to each (or to the one named), through the
channel's breaker, limiter and retry as delivery does, and exits 1 if any did not take it.
Registered in cli/__init__.py's GROUPS by :func:`register`.
"""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

import typer
from rich.table import Table

from pipelineos.alerts import wiring
from pipelineos.alerts.channels import Route, TestOutcome, select_routes, send_test
from pipelineos.cli.common import err, out, say, settings_or_exit
from pipelineos.clock import SystemClock
from pipelineos.config import Settings
from pipelineos.errors import PipelineError
from pipelineos.resilience import Registry

NONE_CONFIGURED = ("No alert channels configured: set ALERT_CHANNELS (Apprise URLs) or "
                   "ALERT_CHANNELS_CONFIG (an Apprise config file).")


def _routes(settings: Settings) -> list[Route]:
    """The configured channels, or exit 2 naming what Apprise cannot use (redacted)."""
    try:
        return wiring.channel_routes(settings, registry=Registry(clock=SystemClock()),
                                     clock=SystemClock())
    except PipelineError as error:
        say(err, f"Invalid alert channels: {error}")
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    """Add the ``channels`` group to ``app``."""
    channels_app = typer.Typer(help="Alert channels beside SMS (Apprise): list, test.",
                               no_args_is_help=True)

    @channels_app.command("list")
    def list_command(
        as_json: Annotated[bool, typer.Option("--json", help="One JSON array.")] = False,
    ) -> None:
        """Each configured channel, redacted, with the kinds of alert it gets."""
        routes = _routes(settings_or_exit())
        rows = [{"number": n, "channel": r.channel.label, "scheme": r.channel.scheme,
                 "kinds": sorted(r.channel.kinds), "breaker": r.breaker.name}
                for n, r in enumerate(routes, start=1)]
        if as_json:
            say(out, json.dumps(rows))
            return
        if not rows:
            say(out, NONE_CONFIGURED)
            return
        table = Table("#", "channel", "kinds", "breaker")
        for row in rows:
            table.add_row(str(row["number"]), str(row["channel"]),
                          ", ".join(row["kinds"]), str(row["breaker"]))  # type: ignore[arg-type]
        out.print(table)

    @channels_app.command("test")
    def test_command(
        channel: Annotated[str | None, typer.Argument(
            help="A channel's number (from `channels list`), scheme or redacted URL; "
                 "default: every channel.")] = None,
        message: Annotated[str, typer.Option(help="The text to send.")] =
            "PipelineOS test notification: this channel works.",
    ) -> None:
        """Send a test notification now; exit 1 if a channel did not take it."""
        routes = _routes(settings_or_exit())
        if not routes:
            say(err, NONE_CONFIGURED)
            raise typer.Exit(1)
        chosen = select_routes(routes, channel)
        if not chosen:
            say(err, f"No channel {channel!r}; `pipelineos channels list` shows them.")
            raise typer.Exit(1)
        outcomes: list[TestOutcome] = asyncio.run(send_test(chosen, message))
        for outcome in outcomes:
            if outcome.sent:
                say(out, f"sent      {outcome.label}")
            else:
                say(out, f"FAILED    {outcome.label}: {outcome.error}")
        if not all(outcome.sent for outcome in outcomes):
            raise typer.Exit(1)

    app.add_typer(channels_app, name="channels")
