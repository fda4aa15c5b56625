"""``pipelineos import FILE``: posts from a file through bulk intake, with progress."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from pipelineos.cli.common import err, out
from pipelineos.cli.runtime import open_runtime
from pipelineos.ingest import items as reader


def import_posts(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False,
                                         help="A JSON array or NDJSON of posts.")],
    group: Annotated[str | None, typer.Option(help="Group for items that name none.")] = None,
    source: Annotated[str, typer.Option(help="Source for items that name none.")] = "import",
    report: Annotated[Path | None, typer.Option(help="Write each item's result (NDJSON).")]
    = None,
    chunk: Annotated[int, typer.Option(min=1, max=50_000, help="Posts per batch.")] = 5000,
) -> None:
    """Import posts from a file (ours, or a Facebook-group scraper's items), with progress."""

    async def run() -> int:
        counts = {"accepted": 0, "duplicate": 0, "invalid": 0}
        offset = 0
        columns = (*Progress.get_default_columns()[:1], BarColumn(), MofNCompleteColumn(),
                   TimeRemainingColumn())
        async with open_runtime() as runtime:
            written = report.open("w", encoding="utf-8") if report else None
            try:
                with Progress(*columns, console=err) as progress:
                    task = progress.add_task(f"importing {path.name}", total=_count(path))
                    for raw in _batches(path, chunk):
                        posts = [reader.read_item(item, default_group=group,
                                                  default_source=source) for item in raw]
                        for result in await runtime.bulk.submit(posts):
                            counts[result.status] += 1
                            if written:
                                written.write(json.dumps({**result.__dict__,
                                                          "index": offset + result.index})
                                              + "\n")
                        offset += len(raw)
                        progress.update(task, advance=len(raw))
            except reader.UnreadableBody as error:
                err.print(f"{path}: {error}", markup=False, highlight=False, soft_wrap=True)
                return 2
            finally:
                if written:
                    written.close()
        out.print(f"{offset} posts: {counts['accepted']} accepted, {counts['duplicate']} "
                  f"duplicates, {counts['invalid']} invalid")
        return 0 if offset else 2

    raise typer.Exit(asyncio.run(run()))


def _batches(path: Path, chunk: int) -> Iterator[list[Any]]:
    """The file's items, ``chunk`` at a time; an NDJSON batch that cannot be read is empty."""
    with path.open("rb") as handle:
        first = handle.read(1)
        while first and first.isspace():
            first = handle.read(1)
        handle.seek(0)
        if first == b"[":
            yield from _chunks(reader.split_items(handle.read(), ndjson=False), chunk)
            return
        lines: list[bytes] = []
        for line in handle:
            lines.append(line)
            if len(lines) >= chunk:
                yield _lines(lines)
                lines = []
        if lines:
            yield _lines(lines)


def _lines(lines: list[bytes]) -> list[Any]:
    try:
        return reader.split_items(b"".join(lines), ndjson=True)
    except reader.UnreadableBody:
        return []


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _count(path: Path) -> int | None:
    """Items in an NDJSON file (its non-empty lines); None (unknown) for a JSON array."""
    with path.open("rb") as handle:
        head = handle.read(64).lstrip()
        if head.startswith(b"["):
            return None
        handle.seek(0)
        return sum(1 for line in handle if line.strip())


def register(app: typer.Typer) -> None:
    app.command("import")(import_posts)
