"""``pipelineos analyzer ...``: train the learned model, retrain it on the installation's labels,
give a verdict on a post, and the noise controls (mutes).

Registered on the main app by :func:`register` (cli/__init__.py's GROUPS); the commands that
need the database open it the one way (cli/runtime.py).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from pipelineos.analysis import installed, labels, noise, train
from pipelineos.analysis.learned import SHIPPED
from pipelineos.bootstrap import Runtime
from pipelineos.cli.common import err, out
from pipelineos.cli.runtime import open_runtime
from pipelineos.errors import InvalidInput, NotFound


def with_runtime(action: Callable[[Runtime], Awaitable[Any]]) -> Any:
    """``action(runtime)`` on a started runtime over the existing database."""

    async def run() -> Any:
        async with open_runtime() as runtime:
            return await action(runtime)

    return asyncio.run(run())


def _say(console: Console, text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add the ``analyzer`` command group to ``app``."""
    group = typer.Typer(help="The local analyzer's learned model: train, retrain on your "
                             "labels, verdicts on posts, and mutes.", no_args_is_help=True)
    app.add_typer(group, name="analyzer")

    @group.command("train")
    def train_command(
        seed: Annotated[int, typer.Option(help="Seed of the held-out choice and folds.")]
        = train.SEED,
        out_file: Annotated[Path, typer.Option("--out", dir_okay=False,
                                               help="Where to write the model.")] = SHIPPED,
    ) -> None:
        """Train the model on the labeled sets shipped in the package (no database); print its
        held-out scores and write it (the same seed and data give the same file)."""
        started = time.perf_counter()
        model, scores = train.train(train.shipped_examples(), seed=seed)
        _say(out, f"model {model.id}: {model.meta['trained_on']} posts trained on, "
                  f"{model.meta['held_out']} held out, threshold {model.threshold}, "
                  f"{model.keys.size} n-gram buckets, {time.perf_counter() - started:.0f} s")
        for line in scores.lines():
            _say(out, "  " + line)
        model.save(out_file)
        _say(out, f"wrote {out_file} ({out_file.stat().st_size / 1024:.0f} KB)")

    @group.command("retrain")
    def retrain_command(
        seed: Annotated[int, typer.Option(help="Seed of the held-out choice and folds.")]
        = train.SEED,
    ) -> None:
        """Train a candidate on the shipped sets plus this installation's labels (the owner's
        verdicts, Claude's analyses); it replaces the active model only if it is at least as
        good on the held-out examples. Prints both models' scores."""

        async def run(runtime: Runtime) -> installed.RetrainResult:
            return await runtime.learning.retrain(seed=seed)

        result: installed.RetrainResult = with_runtime(run)
        for line in result.lines():
            _say(out, line)

    @group.command("status")
    def status_command() -> None:
        """The model in use, the labels recorded, and the mutes."""

        async def run(runtime: Runtime
                      ) -> tuple[dict[str, Any], dict[str, int], installed.Retrain | None]:
            return (runtime.installed.describe(), await runtime.learning.label_counts(),
                    await runtime.learning.last_retrain())

        described, counted, last = with_runtime(run)
        where = "retrained here" if described["installed"] else "shipped with the package"
        _say(out, f"model {described['model']} ({where})")
        _say(out, f"labels: {counted['owner']} from the owner, {counted['claude']} from Claude")
        _say(out, f"mutes: {described['mutes']}")
        if last is None:
            _say(out, "last retrain: never")
        else:
            _say(out, f"last retrain: {last.at.isoformat(timespec='seconds')}, {last.model_id} "
                      f"{'replaced the model' if last.replaced else 'kept out'} (held-out F1 "
                      f"{last.f1_before:.4f} -> {last.f1_after:.4f}, {last.labels} labels)")

    @group.command("verdict")
    def verdict_command(
        post_id: Annotated[int, typer.Argument(min=1, help="The post's id.")],
        verdict: Annotated[str, typer.Argument(help="lead, not_lead or spam")],
        category: Annotated[str | None, typer.Option(help="With lead: the service.")] = None,
        urgency: Annotated[str | None, typer.Option(
            help="With lead: emergency, soon or flexible.")] = None,
        actor: Annotated[str, typer.Option(help="Who says so.")] = "cli",
    ) -> None:
        """Say what a stored post really is (the analyzer learns it at its next retrain)."""

        async def run(runtime: Runtime) -> labels.VerdictOutcome:
            return await runtime.learning.verdict(post_id, verdict, category=category,
                                                  urgency=urgency, actor=actor)

        try:
            done: labels.VerdictOutcome = with_runtime(run)
        except (InvalidInput, NotFound) as error:
            _say(err, str(error))
            raise typer.Exit(2 if isinstance(error, InvalidInput) else 1) from None
        lead = (f"lead {done.lead_id} is {done.lead_status}" if done.lead_id is not None
                else "no lead")
        _say(out, f"post {post_id}: {verdict} (label {done.label.id}); {lead}")

    @group.command("mutes")
    def mutes_command() -> None:
        """The noise controls in force."""

        async def run(runtime: Runtime) -> list[noise.NoiseRule]:
            return await runtime.learning.mutes()

        rules: list[noise.NoiseRule] = with_runtime(run)
        if not rules:
            _say(out, "No mutes.")
            return
        table = Table("id", "kind", "value", "since")
        for rule in rules:
            table.add_row(str(rule.id), rule.kind, rule.value,
                          rule.created_at.isoformat(timespec="seconds"))
        out.print(table)

    @group.command("mute")
    def mute_command(
        kind: Annotated[str, typer.Argument(help="phrase, author, group or source")],
        value: Annotated[str, typer.Argument(help="The phrase, author, group or source.")],
    ) -> None:
        """Mute posts with a phrase, by an author, in a group or from a source: they are stored
        as not leads, with the reason, and never alerted."""

        async def run(runtime: Runtime) -> noise.NoiseRule:
            return await runtime.learning.mute(kind, value)

        try:
            rule: noise.NoiseRule = with_runtime(run)
        except InvalidInput as error:
            _say(err, str(error))
            raise typer.Exit(2) from None
        _say(out, f"muted {rule.kind} '{rule.value}' (rule {rule.id})")

    @group.command("unmute")
    def unmute_command(
        rule_id: Annotated[int, typer.Argument(min=1, help="The rule's id (see `mutes`).")],
    ) -> None:
        """Lift a mute."""

        async def run(runtime: Runtime) -> None:
            await runtime.learning.unmute(rule_id)

        try:
            with_runtime(run)
        except NotFound as error:
            _say(err, str(error))
            raise typer.Exit(1) from None
        _say(out, f"removed rule {rule_id}")
