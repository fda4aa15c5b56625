"""The installation's own analyzer: its active model and its mutes, shared by every process
through the database, and retraining on its labels.

- **Active model**: ``analyzer_models`` holds the models retraining chose; the active one is
  what every process analyzes with (none: the model shipped with the package).
- **Retraining** (:func:`retrain`; ``pipelineos analyzer retrain``, the weekly
  ``retrain-analyzer`` job): a candidate is trained on the shipped labeled sets plus the
  installation's labels (:mod:`pipelineos.analysis.labels`), and both it and the current model
  are scored on the same held-out examples (one in five of every set, the labels included,
  never trained on). The candidate becomes active only if
  :func:`pipelineos.analysis.train.should_replace` says it is at least as good.
- **Cache**: :class:`Installed` keeps the active model and the mutes in memory and reloads them
  when either table changes in any process (their triggers notify the business profile's
  channel, which :class:`pipelineos.leads.areas.ProfileCache` listens on).

A label's rule view is taken with today's rules when retraining: the rules are never tuned on
an installation's posts, so that view is as honest as a first look, and it is the view the
model will be given for such posts.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg.rows import class_row
from psycopg_pool import AsyncConnectionPool

from pipelineos.analysis import labels, noise, train
from pipelineos.analysis.corpus import Example
from pipelineos.analysis.learned import LearnedModel, shipped
from pipelineos.analysis.local import LocalAnalyzer
from pipelineos.analysis.model import BusinessProfile
from pipelineos.analysis.noise import Mutes

log = logging.getLogger(__name__)

QUERIES = labels.QUERIES


@dataclass(frozen=True)
class RetrainResult:
    """What a retrain did: both models' held-out scores, and whether the candidate won."""

    current: str  # model id
    candidate: str
    current_scores: train.Scores
    candidate_scores: train.Scores
    replaced: bool
    labels: dict[str, int]  # labels trained or held out on, by origin
    seconds: float

    def lines(self) -> list[str]:
        out = [f"labels: {self.labels.get('owner', 0)} from the owner, "
               f"{self.labels.get('claude', 0)} from Claude",
               f"before  {self.current} (held out)"]
        out += ["  " + line for line in self.current_scores.lines()]
        out.append(f"after   {self.candidate} (held out)")
        out += ["  " + line for line in self.candidate_scores.lines()]
        out.append(f"{self.candidate} replaces {self.current}" if self.replaced else
                   f"kept {self.current}: {self.candidate} is not at least as good")
        return out


def label_examples(rows: list[labels.TrainingLabel]) -> list[train.Labeled]:
    """Labels as training examples, each with today's rules' view of its post."""
    rules = LocalAnalyzer(rules_only=True)
    return [train.Labeled(Example(
        id=str(row.id), text=row.body, group_name=row.group_name, is_lead=row.is_lead,
        category=row.category if row.is_lead else None,
        urgency=row.urgency if row.is_lead else None, location=None, kind=row.origin,
        source=row.origin), rules.view(row.body)) for row in rows]


async def active_model(pool: AsyncConnectionPool) -> LearnedModel | None:
    """The installation's active model, or the shipped one when retraining has chosen none."""
    async with pool.connection() as conn:
        row = await (await conn.execute(QUERIES["active_model_file"])).fetchone()
    return LearnedModel.from_bytes(bytes(row[2])) if row else shipped()


async def retrain(pool: AsyncConnectionPool, *, seed: int = train.SEED,
                  settings: train.Settings = train.Settings()) -> RetrainResult:
    """Train a candidate on the shipped sets and the labels; make it active if it is at least
    as good as the current model on the held-out examples."""
    started = time.perf_counter()
    async with pool.connection() as conn:
        read = await (await conn.execute(QUERIES["now"])).fetchone()
        rows = await labels.for_training(conn)
    current = await active_model(pool)
    examples = train.shipped_examples() + label_examples(rows)
    candidate, candidate_scores = await asyncio.to_thread(
        train.train, examples, seed=seed, settings=settings)
    _, holding = train.split(examples, seed)
    current_scores = (train.score(current, holding) if current is not None
                      else train.Scores({"all": train.SetScores(0, 0, 0, 0, 0, 0, 0)}))
    replaced = current is None or train.should_replace(current_scores, candidate_scores)
    by_origin = {"owner": sum(r.origin == "owner" for r in rows),
                 "claude": sum(r.origin == "claude" for r in rows)}
    async with pool.connection() as conn, conn.transaction():
        if replaced and (current is None or candidate.id != current.id):
            await conn.execute(QUERIES["retire_models"])
            await conn.execute(QUERIES["insert_active_model"], {
                "model_id": candidate.id, "labels": len(rows),
                "scores": json.dumps(candidate_scores.to_json()), "file": candidate.to_bytes()})
        await conn.execute(QUERIES["record_retrain"], {
            "at": read[0] if read else None, "model_id": candidate.id, "replaced": replaced,
            "labels": len(rows),
            "f1_before": current_scores.pooled.f1, "f1_after": candidate_scores.pooled.f1})
    result = RetrainResult(
        current=current.id if current is not None else "none", candidate=candidate.id,
        current_scores=current_scores, candidate_scores=candidate_scores, replaced=replaced,
        labels=by_origin, seconds=round(time.perf_counter() - started, 1))
    log.info("Analyzer model retrained", extra={"fields": {
        "model": candidate.id, "current": result.current, "replaced": replaced,
        "labels": len(rows), "f1_before": round(current_scores.pooled.f1, 3),
        "f1_after": round(candidate_scores.pooled.f1, 3), "seconds": result.seconds}})
    return result


@dataclass(frozen=True)
class Retrain:
    """A recorded retrain."""

    at: datetime
    model_id: str
    replaced: bool
    labels: int
    f1_before: float
    f1_after: float


async def last_retrain(pool: AsyncConnectionPool) -> Retrain | None:
    async with pool.connection() as conn, conn.cursor(row_factory=class_row(Retrain)) as cur:
        await cur.execute(QUERIES["last_retrain"])
        return await cur.fetchone()


async def labels_changed(pool: AsyncConnectionPool) -> bool:
    """Whether any label was added or changed since the last retrain (True when there are
    labels and no retrain has been recorded)."""
    async with pool.connection() as conn:
        row = await (await conn.execute(QUERIES["labels_changed"])).fetchone()
    return bool(row and row[0])


class Installed:
    """The active model and the mutes as this process knows them; the analyzer decides with
    the model, intake consults the mutes (:attr:`mutes`) and hands the model's file to bulk
    intake's worker processes (:attr:`model_file`)."""

    def __init__(self, pool: AsyncConnectionPool, analyzer: LocalAnalyzer) -> None:
        self.pool = pool
        self.analyzer = analyzer
        self.mutes = Mutes()
        self.model_row: int | None = None  # analyzer_models.id of the active model
        self.model_file: bytes | None = None  # None: the shipped model
        self._tasks: set[asyncio.Task[None]] = set()

    async def refresh(self) -> None:
        """Reload the mutes, and the model if another one became active."""
        async with self.pool.connection() as conn:
            self.mutes = await noise.load(conn)
            row = await (await conn.execute(QUERIES["active_model_id"])).fetchone()
            active = int(row[0]) if row else None
            if active == self.model_row:
                return
            found = await (await conn.execute(QUERIES["active_model_file"])).fetchone()
        if found is None:
            self.model_row, self.model_file = None, None
            self.analyzer.use_model(shipped())
        else:
            self.model_row, self.model_file = int(found[0]), bytes(found[2])
            self.analyzer.use_model(LearnedModel.from_bytes(self.model_file))
        log.info("Analyzer model loaded", extra={"fields": {
            "model": self.analyzer.model.id if self.analyzer.model else None}})

    def changed(self, _profile: BusinessProfile | None = None) -> None:
        """Something in the installation's settings changed: refresh soon (a task, since the
        profile cache calls this synchronously)."""
        try:
            task = asyncio.get_running_loop().create_task(self._refresh_logged())
        except RuntimeError:  # no loop: nothing to refresh for
            return
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _refresh_logged(self) -> None:
        try:
            await self.refresh()
        except Exception as error:  # the next change, or restart, tries again
            log.warning("Analyzer settings reload failed",
                        extra={"fields": {"error": type(error).__name__}})

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def describe(self) -> dict[str, Any]:
        model = self.analyzer.model
        return {"model": model.id if model else None, "installed": self.model_row is not None,
                "mutes": len(self.mutes.rules)}
