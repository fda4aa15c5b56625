"""``pipelineos sources add|list|poll|test|remove``: sources that bring posts in by themselves
(pipelineos.sources does the work; docs/sources.md says how).

Each command opens the runtime the one way (``open_runtime``, cli/runtime.py), so it finds a
database exactly as every other command does. Credentials are never taken on the command line
(they would show in ``ps`` and shell history): ``--password-stdin`` and the like read one line.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from pipelineos.bootstrap import Runtime
from pipelineos.cli.common import err, out
from pipelineos.cli.runtime import open_runtime
from pipelineos.errors import Conflict, InvalidInput, NotFound
from pipelineos.integrations.sources import SourceFetchError


def with_runtime(action: Callable[[Runtime], Awaitable[int]]) -> int:
    """``await action(runtime)`` on a started runtime; its exit status."""

    async def run() -> int:
        async with open_runtime() as runtime:
            return await action(runtime)

    return asyncio.run(run())


def _say(console: Console, text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def _when(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else "never"


def register(app: typer.Typer) -> None:
    """Add the ``sources`` command group to ``app``."""
    sources_app = typer.Typer(help="Sources: feeds, mailboxes and webhooks that bring posts "
                                   "in by themselves.", no_args_is_help=True)
    app.add_typer(sources_app, name="sources")

    @sources_app.command("add")
    def add(
        kind: Annotated[str, typer.Argument(help="rss, reddit, imap, webhook or apify")],
        name: Annotated[str, typer.Option("--name", help="a-z, 0-9, '-', '_' (at most 40)")],
        interval: Annotated[int | None, typer.Option(
            help="Seconds between polls (SOURCE_DEFAULT_INTERVAL_SECONDS).")] = None,
        url: Annotated[str | None, typer.Option(help="rss: the feed's URL.")] = None,
        group: Annotated[str | None, typer.Option(
            help="Group name for its posts (rss: else the feed's title).")] = None,
        host: Annotated[str | None, typer.Option(help="imap: server host.")] = None,
        port: Annotated[int | None, typer.Option(help="imap: port (993).")] = None,
        username: Annotated[str | None, typer.Option(help="imap: login.")] = None,
        password_stdin: Annotated[bool, typer.Option(
            "--password-stdin", help="imap: read the password from standard input.")] = False,
        folder: Annotated[str | None, typer.Option(help="imap: folder (INBOX).")] = None,
        no_tls: Annotated[bool, typer.Option(
            "--no-tls", help="imap: plain IMAP (only on a trusted network).")] = False,
        subreddits: Annotated[str | None, typer.Option(
            help="reddit: names joined by '+' or ','.")] = None,
        client_id: Annotated[str | None, typer.Option(
            help="reddit: an app's client id (then --client-secret-stdin).")] = None,
        client_secret_stdin: Annotated[bool, typer.Option(
            "--client-secret-stdin", help="reddit: read the app's secret from standard input.")]
        = False,
        token_stdin: Annotated[bool, typer.Option(
            "--token-stdin", help="apify: read the Apify API token from standard input.")]
        = False,
        disabled: Annotated[bool, typer.Option("--disabled", help="Add it switched off.")]
        = False,
    ) -> None:
        """Add a source; a webhook source prints its secret URL, once."""
        body: dict[str, Any] = {"kind": kind, "name": name}
        given = {"interval_seconds": interval, "url": url, "group_name": group, "host": host,
                 "port": port, "username": username, "folder": folder,
                 "subreddits": subreddits, "client_id": client_id}
        body.update({k: v for k, v in given.items() if v is not None})
        if no_tls:
            body["tls"] = False
        if disabled:
            body["enabled"] = False
        if password_stdin:
            body["password"] = sys.stdin.readline().rstrip("\r\n")
        if client_secret_stdin:
            body["client_secret"] = sys.stdin.readline().rstrip("\r\n")
        if token_stdin:
            body["token"] = sys.stdin.readline().rstrip("\r\n")

        async def run(runtime: Runtime) -> int:
            try:
                added = await runtime.sources.add(body)
            except (InvalidInput, Conflict) as error:
                _say(err, f"Not added: {error}")
                return 2
            source = added.source
            _say(out, f"Added {source.kind} source {source.name} (every "
                      f"{source.interval_seconds} s" + ("" if source.enabled else ", disabled")
                      + ").")
            if added.token is not None:
                settings = runtime.settings
                _say(out, f"Its URL (shown once; keep it secret): http://{settings.host}:"
                          f"{settings.port}/api/webhooks/sources/{source.name}/{added.token}")
            return 0

        raise typer.Exit(with_runtime(run))

    @sources_app.command("list")
    def list_sources() -> None:
        """Every source: state, last poll, last success, items taken, last error."""

        async def run(runtime: Runtime) -> int:
            found = await runtime.sources.all()
            if not found:
                _say(out, "No sources. Add one: pipelineos sources add rss --name NAME --url URL")
                return 0
            table = Table("name", "kind", "state", "every", "last polled", "last success",
                          "items", "last error")
            for source in found:
                shown = runtime.sources.public(source)
                table.add_row(source.name, source.kind, shown["state"],
                              f"{source.interval_seconds} s", _when(source.last_polled_at),
                              _when(source.last_success_at), str(source.items_total),
                              source.last_error or "")
            out.print(table)
            return 0

        raise typer.Exit(with_runtime(run))

    @sources_app.command("poll")
    def poll(name: Annotated[str, typer.Argument(help="The source to poll now.")]) -> None:
        """Poll a source now; exit 1 when the poll failed."""

        async def run(runtime: Runtime) -> int:
            try:
                result = await runtime.sources.poll(name)
            except NotFound as error:
                _say(err, str(error))
                return 1
            except InvalidInput as error:
                _say(err, str(error))
                return 2
            if result.outcome == "failed":
                _say(err, f"{name}: poll failed: {result.error}")
                return 1
            if result.outcome == "skipped":
                _say(out, f"{name}: skipped ({result.error})")
            elif result.outcome == "not_modified":
                _say(out, f"{name}: not modified since the last poll")
            else:
                _say(out, f"{name}: {result.fetched} fetched, {result.new} new, "
                          f"{result.accepted} taken, {result.duplicates} duplicates, "
                          f"{result.rejected} rejected")
            return 0

        raise typer.Exit(with_runtime(run))

    @sources_app.command("test")
    def test(name: Annotated[str, typer.Argument(help="The source to try.")]) -> None:
        """Fetch a source and show what a poll would take; stores nothing, marks nothing."""

        async def run(runtime: Runtime) -> int:
            try:
                items = await runtime.sources.preview(name)
            except NotFound as error:
                _say(err, str(error))
                return 1
            except InvalidInput as error:
                _say(err, str(error))
                return 2
            except SourceFetchError as error:
                _say(err, f"{name}: {error}")
                return 1
            table = Table("status", "group", "text", "link")
            for item in items:
                table.add_row(item.status, item.group_name or "",
                              (item.text or item.reason or "")[:80].replace("\n", " "),
                              item.url or "")
            out.print(table)
            new = sum(item.status == "new" for item in items)
            _say(out, f"{name}: {len(items)} items, {new} would be taken (nothing stored).")
            return 0

        raise typer.Exit(with_runtime(run))

    @sources_app.command("remove")
    def remove(name: Annotated[str, typer.Argument(help="The source to remove.")]) -> None:
        """Remove a source (its posts and leads stay)."""

        async def run(runtime: Runtime) -> int:
            try:
                await runtime.sources.remove(name)
            except NotFound as error:
                _say(err, str(error))
                return 1
            _say(out, f"Removed source {name}.")
            return 0

        raise typer.Exit(with_runtime(run))
