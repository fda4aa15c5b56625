"""Training the learned model, and deciding whether a new one may replace the current one.

    python -m pipelineos.analysis.train [--seed 17] [--out PATH]

:func:`train` takes labeled examples (a post, its labels, and the rules' view of it) and
returns a model with its scores on held-out examples. The shipped model is trained on the
labeled sets in the package (:func:`shipped_examples`); an installation retrains on those plus
its own labels, and :func:`should_replace` keeps the new model only if it is at least as good
on the held-out examples as the current one.

- **Held out**: one example in five, chosen by a hash of the seed, its set and its id, never
  trained on. The choice depends on nothing else, so every retrain holds out the same shipped
  examples and any two models can be compared on them.
- **Honest rule views**: each shipped example carries the view the rules had of it *before*
  they were tuned on its set (``labeled/first_look_rules.jsonl``, built by
  ``bench/first_look_rules.py``). Trained on today's rules, which are right on nearly every
  labeled post, the model would learn to trust the rules completely; trained on first looks it
  learns how far to trust them on posts they have never seen, which is what it will meet.
- **Deterministic**: full-batch L-BFGS from zeros, in a fixed order; the same examples and seed
  give the same file, byte for byte, on one machine (another CPU or numpy release may round
  the float64 rule weights differently in the ninth decimal).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from pipelineos.analysis import corpus, features
from pipelineos.analysis.corpus import Example
from pipelineos.analysis.features import RuleView
from pipelineos.analysis.learned import SHIPPED, URGENCIES, LearnedModel
from pipelineos.analysis.local import LocalAnalyzer, normalise
from pipelineos.analysis.model import CATEGORIES

log = logging.getLogger(__name__)

FIRST_LOOK_RULES = corpus.LABELED / "first_look_rules.jsonl"
SEED = 17
HOLD_OUT = 5  # one example in five
MIN_PRECISION = 0.90  # the target
Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Labeled:
    """A labeled post and a view the rules had of it: at its first look (before the rules were
    tuned on its set), or today's."""

    example: Example
    view: RuleView
    first_look: bool = True


@dataclass(frozen=True)
class Settings:
    """How hard each head is regularised (L2, per example), and what is kept of its weights."""

    today_weight: float = 0.5  # weight of a second copy of each post with today's rule view
    text_l2: float = 3e-4
    rule_l2: float = 1e-3
    category_text_l2: float = 3e-4
    urgency_text_l2: float = 1e-3
    min_examples: int = 2  # an n-gram in fewer training posts is dropped
    iterations: int = 200
    keep: float = 0.1  # weights below this share of a head's largest are dropped


# --- data -------------------------------------------------------------------------------------
def shipped_examples() -> list[Labeled]:
    """The package's labeled sets, each post with its first-look rule view."""
    views: dict[tuple[str, str], RuleView] = {}
    with FIRST_LOOK_RULES.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            views[(row["source"], row["id"])] = RuleView.from_json(row["view"])
    out = []
    for example in corpus.load_all():
        view = views.get((example.source, example.id))
        if view is None:
            raise ValueError(f"no first-look rule view for {example.source}/{example.id}: "
                             "run bench/first_look_rules.py")
        out.append(Labeled(example, view))
    return out


def _hash(example: Example, seed: int, salt: str) -> int:
    digest = hashlib.blake2b(f"{seed}\x00{salt}\x00{example.source}\x00{example.id}".encode(),
                             digest_size=8).digest()
    return int.from_bytes(digest, "big")


def held_out(example: Example, seed: int) -> bool:
    return _hash(example, seed, "held out") % HOLD_OUT == 0


def _fold(example: Example, seed: int) -> int:
    """The fold of an example in the threshold's cross-validation (its copies share it)."""
    return _hash(example, seed, "fold") % 5


def split(examples: Sequence[Labeled], seed: int) -> tuple[list[Labeled], list[Labeled]]:
    """(training, held out)."""
    train = [e for e in examples if not held_out(e.example, seed)]
    hold = [e for e in examples if held_out(e.example, seed)]
    return train, hold


# --- sparse matrices --------------------------------------------------------------------------
@dataclass
class _Design:
    """Training posts' n-grams as a sparse matrix over the kept buckets, rows and columns
    both ready for ``np.add.reduceat`` (the first column is a dummy every row has)."""

    keys: npt.NDArray[np.uint64]  # bucket of each column after the dummy
    row_ptr: npt.NDArray[np.int64]
    row_cols: npt.NDArray[np.int64]
    row_vals: Array
    col_ptr: npt.NDArray[np.int64]
    col_rows: npt.NDArray[np.int64]
    col_vals: Array

    @property
    def columns(self) -> int:
        return self.keys.size + 1

    def times(self, weights: Array) -> Array:
        """X @ weights, for weights of shape (columns, heads)."""
        product = weights[self.row_cols] * self.row_vals[:, None]
        return np.add.reduceat(product, self.row_ptr[:-1], axis=0)

    def transposed_times(self, residual: Array) -> Array:
        """X.T @ residual, for residual of shape (rows, heads)."""
        product = residual[self.col_rows] * self.col_vals[:, None]
        return np.add.reduceat(product, self.col_ptr[:-1], axis=0)


def _buckets(examples: Sequence[Labeled]) -> list[npt.NDArray[np.uint64]]:
    return [features.hashed_ngrams(features.split_reply(normalise(e.example.text))[1])
            for e in examples]


def _design(buckets: list[npt.NDArray[np.uint64]], min_examples: int) -> _Design:
    rows_unique = [np.unique(b, return_counts=True) for b in buckets]
    seen = np.concatenate([u for u, _ in rows_unique] or [np.zeros(0, np.uint64)])
    keys, df = np.unique(seen, return_counts=True)
    keys = keys[df >= min_examples]
    row_cols_list, row_vals_list, lengths = [], [], []
    for (unique, counts), raw in zip(rows_unique, buckets, strict=True):
        position = np.searchsorted(keys, unique)
        position = np.minimum(position, max(keys.size - 1, 0))
        known = (keys.size > 0) & (keys[position] == unique) if keys.size else np.zeros(
            unique.size, bool)
        cols = np.concatenate(([0], position[known] + 1))
        vals = np.concatenate(([0.0], counts[known] / np.sqrt(max(raw.size, 1))))
        row_cols_list.append(cols)
        row_vals_list.append(vals)
        lengths.append(cols.size)
    row_ptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    row_cols = np.concatenate(row_cols_list).astype(np.int64)
    row_vals = np.concatenate(row_vals_list)
    row_of = np.repeat(np.arange(len(buckets)), lengths)
    order = np.argsort(row_cols, kind="stable")
    col_counts = np.bincount(row_cols, minlength=keys.size + 1)
    col_ptr = np.concatenate(([0], np.cumsum(col_counts))).astype(np.int64)
    return _Design(keys, row_ptr, row_cols, row_vals, col_ptr, row_of[order], row_vals[order])


def _subset(design: _Design, rows: npt.NDArray[np.int64],
            buckets: list[npt.NDArray[np.uint64]]) -> _Design:
    """The same columns, for some rows only (a fold)."""
    starts, stops = design.row_ptr[rows], design.row_ptr[rows + 1]
    lengths = stops - starts
    take = np.concatenate([np.arange(a, b) for a, b in zip(starts, stops, strict=True)])
    row_cols, row_vals = design.row_cols[take], design.row_vals[take]
    row_ptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    row_of = np.repeat(np.arange(rows.size), lengths)
    order = np.argsort(row_cols, kind="stable")
    col_counts = np.bincount(row_cols, minlength=design.columns)
    # Every column keeps at least its dummy-free emptiness: reduceat needs non-empty segments,
    # so columns without rows in this fold get a zero entry on row 0.
    empty = np.flatnonzero(col_counts == 0)
    if empty.size:
        row_cols = np.concatenate((row_cols, empty))
        row_vals = np.concatenate((row_vals, np.zeros(empty.size)))
        row_of = np.concatenate((row_of, np.zeros(empty.size, np.int64)))
        order = np.argsort(row_cols, kind="stable")
        col_counts = np.bincount(row_cols, minlength=design.columns)
    col_ptr = np.concatenate(([0], np.cumsum(col_counts))).astype(np.int64)
    sub = _Design(design.keys, row_ptr, design.row_cols[take], design.row_vals[take], col_ptr,
                  row_of[order], row_vals[order])
    return sub


# --- optimisation -----------------------------------------------------------------------------
def _lbfgs(objective: Callable[[Array], tuple[float, Array]], start: Array,
           iterations: int, memory: int = 10) -> Array:
    """Minimise a smooth convex function: L-BFGS with a backtracking (Armijo) line search."""
    x = start.copy()
    value, grad = objective(x)
    steps: list[tuple[Array, Array, float]] = []
    for _ in range(iterations):
        q = grad.copy()
        alphas = []
        for s, y, rho in reversed(steps):
            a = rho * float(s @ q)
            q -= a * y
            alphas.append(a)
        if steps:
            s, y, _ = steps[-1]
            q *= float(s @ y) / float(y @ y)
        else:
            q /= max(1.0, float(np.linalg.norm(grad)))
        for (s, y, rho), a in zip(steps, reversed(alphas), strict=True):
            q += s * (a - rho * float(y @ q))
        direction = -q
        slope = float(grad @ direction)
        if slope >= 0:  # not a descent direction: restart from the gradient
            steps.clear()
            direction, slope = -grad, -float(grad @ grad)
        step = 1.0
        while True:
            candidate = x + step * direction
            new_value, new_grad = objective(candidate)
            if new_value <= value + 1e-4 * step * slope or step < 1e-12:
                break
            step *= 0.5
        s, y = candidate - x, new_grad - grad
        if float(s @ y) > 1e-12:
            steps.append((s, y, 1.0 / float(s @ y)))
            del steps[:-memory]
        improvement = value - new_value
        x, value, grad = candidate, new_value, new_grad
        if improvement < 1e-10 * max(1.0, abs(value)):
            break
    return x


def _softmax_rows(z: Array) -> Array:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return np.asarray(e / e.sum(axis=1, keepdims=True))


@dataclass
class _Head:
    text: Array  # (columns, classes)
    rules: Array
    bias: Array


def _fit_lead(design: _Design, rules: Array, labels: Array, weights: Array,
              settings: Settings) -> _Head:
    k, r = design.columns, rules.shape[1]
    share = weights / weights.sum()

    def objective(theta: Array) -> tuple[float, Array]:
        w, v, b = theta[:k], theta[k:k + r], theta[-1]
        z = design.times(w[:, None])[:, 0] + rules @ v + b
        p = 1.0 / (1.0 + np.exp(-z))
        loss = float(share @ (np.logaddexp(0.0, z) - labels * z))
        loss += 0.5 * settings.text_l2 * float(w @ w) + 0.5 * settings.rule_l2 * float(v @ v)
        residual = (p - labels) * share
        grad = np.concatenate((design.transposed_times(residual[:, None])[:, 0]
                               + settings.text_l2 * w,
                               rules.T @ residual + settings.rule_l2 * v,
                               [residual.sum()]))
        return loss, grad

    theta = _lbfgs(objective, np.zeros(k + r + 1), settings.iterations)
    return _Head(theta[:k, None], theta[k:k + r], theta[-1:])


def _fit_softmax(design: _Design, rules: Array, labels: npt.NDArray[np.int64],
                 weights: Array, classes: int, shared: bool, text_l2: float,
                 settings: Settings) -> _Head:
    """Softmax regression. ``shared``: ``rules`` is (n, classes, f) and its f weights are shared
    by all classes (a category's own term counts); else ``rules`` is (n, f) with weights per
    class."""
    k, n = design.columns, labels.size
    share = weights / weights.sum()
    f = rules.shape[-1]
    r = f if shared else classes * f
    onehot = np.zeros((n, classes))
    onehot[np.arange(n), labels] = 1.0

    def objective(theta: Array) -> tuple[float, Array]:
        w = theta[:k * classes].reshape(k, classes)
        v = theta[k * classes:k * classes + r]
        b = theta[-classes:]
        z = design.times(w) + b
        z += rules @ v if shared else rules @ v.reshape(classes, f).T
        p = _softmax_rows(z)
        shift = z.max(axis=1)
        loss = float(share @ (shift + np.log(np.exp(z - shift[:, None]).sum(axis=1))
                              - z[np.arange(n), labels]))
        loss += 0.5 * text_l2 * float(np.sum(w * w)) + 0.5 * settings.rule_l2 * float(v @ v)
        residual = (p - onehot) * share[:, None]
        grad_w = design.transposed_times(residual) + text_l2 * w
        if shared:
            grad_v = np.einsum("ncf,nc->f", rules, residual)
        else:
            grad_v = (residual.T @ rules).ravel()
        grad_v = grad_v + settings.rule_l2 * v
        return loss, np.concatenate((grad_w.ravel(), grad_v, residual.sum(axis=0)))

    theta = _lbfgs(objective, np.zeros(k * classes + r + classes), settings.iterations)
    w = theta[:k * classes].reshape(k, classes)
    v = theta[k * classes:k * classes + r]
    return _Head(w, v if shared else v.reshape(classes, f), theta[-classes:])


# --- training -----------------------------------------------------------------------------
@dataclass(frozen=True)
class SetScores:
    """How a model did on one held-out set."""

    posts: int
    leads: int
    found: int  # leads found
    false_alarms: int
    category_right: int
    emergencies: int  # labeled emergencies found
    emergencies_high: int  # of those, marked emergency or soon (high priority anywhere)

    @property
    def precision(self) -> float:
        flagged = self.found + self.false_alarms
        return self.found / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.leads if self.leads else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def category_accuracy(self) -> float:
        return self.category_right / self.found if self.found else 1.0

    def line(self) -> str:
        return (f"posts {self.posts:4d}  leads {self.leads:3d}  precision {self.precision:.3f}  "
                f"recall {self.recall:.3f}  f1 {self.f1:.3f}  category "
                f"{self.category_accuracy:.3f}  emergencies high "
                f"{self.emergencies_high}/{self.emergencies}")

    def to_json(self) -> dict[str, int]:
        return {"posts": self.posts, "leads": self.leads, "found": self.found,
                "false_alarms": self.false_alarms, "category_right": self.category_right,
                "emergencies": self.emergencies, "emergencies_high": self.emergencies_high}


@dataclass(frozen=True)
class Scores:
    """Held-out scores: per source set, and all of them pooled (``"all"``)."""

    sets: dict[str, SetScores] = field(default_factory=dict)

    @property
    def pooled(self) -> SetScores:
        return self.sets["all"]

    def lines(self) -> list[str]:
        return [f"{name:<8} {scores.line()}" for name, scores in self.sets.items()]

    def to_json(self) -> dict[str, dict[str, int]]:
        return {name: s.to_json() for name, s in self.sets.items()}

    @classmethod
    def from_json(cls, data: dict[str, dict[str, int]]) -> Scores:
        return cls({name: SetScores(**s) for name, s in data.items()})


def score(model: LearnedModel, examples: Iterable[Labeled]) -> Scores:
    """The model's decisions on ``examples``, scored per source set and pooled."""
    tallies: dict[str, list[int]] = {}
    for labeled in examples:
        e = labeled.example
        prediction = model.predict(features.split_reply(normalise(e.text))[1], labeled.view)
        lead = prediction.lead >= model.threshold
        for name in (e.source, "all"):
            t = tallies.setdefault(name, [0] * 7)
            t[0] += 1
            t[1] += e.is_lead
            t[2] += lead and e.is_lead
            t[3] += lead and not e.is_lead
            t[4] += lead and e.is_lead and prediction.category == e.category
            t[5] += lead and e.is_lead and e.urgency == "emergency"
            t[6] += (lead and e.is_lead and e.urgency == "emergency"
                     and prediction.urgency != "flexible")
    order = sorted(tallies, key=lambda name: (name == "all", name))
    return Scores({name: SetScores(*tallies[name]) for name in order})


def _lead_rows(examples: Sequence[Labeled]) -> Array:
    return np.array([features.lead_features(e.view) for e in examples])


def _threshold(design: _Design, rules: Array, labels: Array, weights: Array,
               folds: npt.NDArray[np.int64], honest: npt.NDArray[np.bool_],
               settings: Settings, buckets: list[npt.NDArray[np.uint64]]) -> float:
    """The decision threshold with the best F1 on out-of-fold predictions (5 folds) among those
    whose precision is at least ``MIN_PRECISION``: a false alarm texts the owner about nothing,
    so recall is not bought with precision below the target."""
    scores = np.zeros(labels.size)
    for fold in range(5):
        inside, outside = np.flatnonzero(folds != fold), np.flatnonzero(folds == fold)
        head = _fit_lead(_subset(design, inside, buckets), rules[inside], labels[inside],
                         weights[inside], settings)
        held = _subset(design, outside, buckets)
        scores[outside] = (held.times(head.text)[:, 0] + rules[outside] @ head.rules
                           + head.bias[0])
    scores, labels = scores[honest], labels[honest]  # judged on first looks only
    best, best_rank = 0.5, (False, -1.0)
    for threshold in np.arange(0.30, 0.71, 0.02):
        flagged = scores >= np.log(threshold / (1 - threshold))
        tp = float(np.sum(flagged & (labels == 1)))
        precision = tp / flagged.sum() if flagged.sum() else 1.0
        f1 = 2 * tp / (flagged.sum() + labels.sum()) if flagged.sum() + labels.sum() else 0.0
        rank = (precision >= MIN_PRECISION, f1)
        if rank > best_rank:
            best, best_rank = float(threshold), rank
    return round(best, 2)


def _prune(head_text: Array, keep: float) -> Array:
    """Zero the weights too small to matter, head by head (column by column)."""
    out = head_text.copy()
    largest = np.abs(out).max(axis=0, keepdims=True)
    out[np.abs(out) < keep * np.maximum(largest, 1e-12)] = 0.0
    return out


def train(examples: Sequence[Labeled], *, seed: int = SEED,
          settings: Settings = Settings()) -> tuple[LearnedModel, Scores]:
    """A model trained on ``examples`` except the held-out ones, and its held-out scores."""
    started = time.perf_counter()
    training, holding = split(examples, seed)
    if settings.today_weight > 0:
        rules = LocalAnalyzer(rules_only=True)
        training += [Labeled(e.example, rules.view(e.example.text), first_look=False)
                     for e in training if e.first_look]
    weights = np.array([1.0 if e.first_look else settings.today_weight for e in training])
    folds = np.array([_fold(e.example, seed) for e in training])
    honest = np.array([e.first_look for e in training])
    buckets = _buckets(training)
    design = _design(buckets, settings.min_examples)

    lead_rules = _lead_rows(training)
    lead_labels = np.array([float(e.example.is_lead) for e in training])
    lead = _fit_lead(design, lead_rules, lead_labels, weights, settings)
    threshold = _threshold(design, lead_rules, lead_labels, weights, folds, honest, settings,
                           buckets)

    categories = tuple(CATEGORIES)  # "other" among them
    with_category = np.array([i for i, e in enumerate(training)
                              if e.example.category in categories], dtype=np.int64)
    category = _fit_softmax(
        _subset(design, with_category, buckets),
        np.stack([features.category_features(training[i].view, categories)
                  for i in with_category]),
        np.array([categories.index(training[i].example.category) for i in with_category]),
        weights[with_category], len(categories), True, settings.category_text_l2, settings)

    with_urgency = np.array([i for i, e in enumerate(training)
                             if e.example.is_lead and e.example.urgency in URGENCIES],
                            dtype=np.int64)
    urgency = _fit_softmax(
        _subset(design, with_urgency, buckets),
        np.array([features.urgency_features(training[i].view) for i in with_urgency]),
        np.array([URGENCIES.index(training[i].example.urgency or "") for i in with_urgency]),
        weights[with_urgency], len(URGENCIES), False, settings.urgency_text_l2, settings)

    text = np.hstack((lead.text, category.text, urgency.text))[1:]  # drop the dummy column
    text = _prune(text, settings.keep)
    used = np.flatnonzero(np.any(text != 0.0, axis=1))
    digest = hashlib.sha256(b"".join(np.asarray(part, dtype=np.float64).tobytes() for part in (
        text[used].astype(np.float16), lead.rules, lead.bias, category.rules, category.bias,
        urgency.rules, urgency.bias, [threshold]))).hexdigest()[:12]
    model = LearnedModel(
        keys=design.keys[used].astype(np.uint32), text=text[used].astype(np.float32),
        lead_rules=lead.rules, lead_bias=float(lead.bias[0]),
        category_rules=category.rules, category_bias=category.bias,
        urgency_rules=urgency.rules, urgency_bias=urgency.bias,
        categories=categories, threshold=threshold,
        meta={"id": f"lr-{digest}", "seed": seed, "trained_on": int(honest.sum()),
              "held_out": len(holding), "settings": settings.__dict__,
              "sources": sorted({e.example.source for e in examples})})
    scores = score(model, holding)
    model.meta["held_out_scores"] = scores.to_json()
    log.info("Analyzer model trained", extra={"fields": {
        "model": model.id, "seconds": round(time.perf_counter() - started, 1)}})
    return model, scores


def should_replace(current: Scores, candidate: Scores, tolerance: float = 0.02) -> bool:
    """A candidate replaces the current model only if it is at least as good on the held-out
    examples: pooled F1 no lower, and no held-out set's F1 lower by more than ``tolerance``
    (a few posts' noise on a set of fifty)."""
    if candidate.pooled.f1 < current.pooled.f1:
        return False
    return all(candidate.sets[name].f1 >= scores.f1 - tolerance
               for name, scores in current.sets.items() if name in candidate.sets)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Train the learned model on the shipped sets.")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=SHIPPED)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    model, scores = train(shipped_examples(), seed=args.seed)
    print(f"model {model.id}: {model.meta['trained_on']} posts trained on, "
          f"{model.meta['held_out']} held out, threshold {model.threshold}, "
          f"{model.keys.size} n-gram buckets, {time.perf_counter() - started:.0f} s")
    for line in scores.lines():
        print("  " + line)
    model.save(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
