"""The learned model beside the rules: three logistic regressions over one set of features.

Each head reads the post's hashed words and character n-grams
(:func:`pipelineos.analysis.features.hashed_ngrams`) and the rules' view of it
(:class:`~pipelineos.analysis.features.RuleView`):

- **lead**: is this someone wanting to hire a local provider? One logistic regression over the
  n-grams and the rules' evidence (request and non-lead scores, their decision, category terms,
  first person, question, length);
- **category**: a softmax over the categories (the 20 trades and ``other``), where each
  category's score adds the rules' strong and weak terms for it to the n-gram weights;
- **urgency**: a softmax over emergency / soon / flexible, with the rules' urgency phrases.

Inference is a handful of numpy operations: the post's n-gram buckets index one table that maps
a bucket to its row of weights (every head's weight for it), rows are summed, and the small
rule-feature products are added. The file (``learned.npz``) holds the rows only for the buckets
that carry weight, as float16.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from math import exp, sqrt
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from pipelineos.analysis import features
from pipelineos.analysis.features import RuleView

SHIPPED = Path(__file__).resolve().parent / "learned.npz"
URGENCIES: tuple[str, ...] = ("emergency", "soon", "flexible")
FORMAT = 1


@dataclass(frozen=True)
class Prediction:
    """The model's view of one post."""

    lead: float  # probability that the post is a lead
    category: str | None  # these two only for a lead
    category_probability: float
    urgency: str | None


def _softmax(z: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    e = np.exp(z - z.max())
    return np.asarray(e / e.sum())


@dataclass
class LearnedModel:
    """Weights of the three heads, and what the training said about them.

    ``keys`` (sorted buckets) and ``text`` (one row of weights per key: lead, then each
    category, then each urgency) are the n-gram part; the ``*_rules`` arrays weigh the rule
    features named in :mod:`pipelineos.analysis.features`."""

    keys: npt.NDArray[np.uint32]
    text: npt.NDArray[np.float32]
    lead_rules: npt.NDArray[np.float64]
    lead_bias: float
    category_rules: npt.NDArray[np.float64]
    category_bias: npt.NDArray[np.float64]
    urgency_rules: npt.NDArray[np.float64]  # one row per urgency
    urgency_bias: npt.NDArray[np.float64]
    categories: tuple[str, ...]
    threshold: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)
    _rows: npt.NDArray[np.signedinteger[Any]] | None = field(default=None, repr=False)
    _lead: npt.NDArray[np.float32] | None = field(default=None, repr=False)
    _rest: npt.NDArray[np.float32] | None = field(default=None, repr=False)
    _index: dict[str, int] | None = field(default=None, repr=False)
    _lead_list: list[float] | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        return str(self.meta.get("id", "unsaved"))

    def _category_index(self) -> dict[str, int]:
        if self._index is None:
            self._index = {name: c for c, name in enumerate(self.categories)}
        return self._index

    def _lookup(self) -> tuple[npt.NDArray[np.signedinteger[Any]], npt.NDArray[np.float32],
                               npt.NDArray[np.float32]]:
        """Bucket -> row (0: no weight), the lead weight of each row, and the other heads'
        weights of each row (row 0 is zeros). Small types keep the tables in the CPU's caches:
        the lead is all most posts need."""
        if self._rows is None or self._lead is None or self._rest is None:
            dtype = np.int16 if self.keys.size < np.iinfo(np.int16).max else np.int32
            rows: npt.NDArray[np.signedinteger[Any]] = np.zeros(1 << features.BITS, dtype=dtype)
            rows[self.keys.astype(np.int64)] = np.arange(1, self.keys.size + 1)
            table = np.zeros((self.keys.size + 1, self.text.shape[1]), dtype=np.float32)
            table[1:] = self.text
            self._rows = rows
            self._lead = np.ascontiguousarray(table[:, 0])
            self._rest = np.ascontiguousarray(table[:, 1:])
        return self._rows, self._lead, self._rest

    def predict(self, norm: str, view: RuleView) -> Prediction:
        """The lead probability; the category and urgency too when it is a lead.

        Evidence no request outweighs (a blatant ad, spam, a job offer: the rules' hard stops)
        settles it without the model: on the labeled sets such a post was never a lead, and
        the model, which weighs that evidence too, disagreed once, wrongly (a job offer)."""
        if features.hard_stop(view.evidence):
            return Prediction(lead=0.0, category=None, category_probability=0.0, urgency=None)
        rows, lead_table, rest = self._lookup()
        buckets = features.hashed_ngrams(norm)
        found = rows[buckets]
        scale = 1.0 / sqrt(max(buckets.size, 1))
        lead_z = float(lead_table.take(found).sum()) * scale + self.lead_bias + sum(
            w * x for w, x in zip(self._lead_rules(), features.lead_features(view),
                                  strict=True))
        lead = 1.0 / (1.0 + exp(-lead_z)) if lead_z > -700 else 0.0
        if lead < self.threshold:
            return Prediction(lead=lead, category=None, category_probability=0.0,
                              urgency=None)
        scores = rest.take(found, axis=0).sum(axis=0) * scale
        ncat = len(self.categories)
        # Category scores: n-grams, bias, and the rule terms of the few categories found.
        cat_z = scores[:ncat] + self.category_bias
        index = self._category_index()
        strong_w, weak_w, chose_w = self.category_rules.tolist()
        for name, (strong, weak) in view.categories.items():
            c = index.get(name)
            if c is not None:
                cat_z[c] += features.strong_value(strong) * strong_w \
                    + features.weak_value(weak) * weak_w
        if view.category in index:
            cat_z[index[view.category]] += chose_w
        cat_p = _softmax(cat_z)
        best = int(cat_p.argmax())
        urg_z = (scores[ncat:] + self.urgency_rules @ features.urgency_features(view)
                 + self.urgency_bias)
        return Prediction(lead=lead, category=self.categories[best],
                          category_probability=float(cat_p[best]),
                          urgency=URGENCIES[int(urg_z.argmax())])

    def _lead_rules(self) -> list[float]:
        if self._lead_list is None:
            self._lead_list = self.lead_rules.tolist()
        return self._lead_list

    # --- the file ----------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """Write the model; the bytes depend only on the weights (same training, same file)."""
        path.write_bytes(self.to_bytes())

    def to_bytes(self) -> bytes:
        """The model's file (what :meth:`save` writes; an installation keeps it in its
        database)."""
        buffer = io.BytesIO()
        meta = {**self.meta, "format": FORMAT, "categories": list(self.categories),
                "threshold": self.threshold}
        np.savez_compressed(
            buffer, keys=self.keys.astype(np.uint32), text=self.text.astype(np.float16),
            lead_rules=self.lead_rules, lead_bias=np.array([self.lead_bias]),
            category_rules=self.category_rules, category_bias=self.category_bias,
            urgency_rules=self.urgency_rules, urgency_bias=self.urgency_bias,
            meta=np.frombuffer(json.dumps(meta, sort_keys=True).encode(), dtype=np.uint8))
        return _stable_zip(buffer.getvalue())

    @classmethod
    def from_bytes(cls, data: bytes) -> LearnedModel:
        return cls.load(io.BytesIO(data))

    @classmethod
    def load(cls, path: Path | io.BytesIO = SHIPPED) -> LearnedModel:
        with np.load(path) as data:
            meta = json.loads(bytes(data["meta"]).decode())
            if meta.get("format") != FORMAT:
                raise ValueError(f"{path}: model format {meta.get('format')}, expected {FORMAT}")
            return cls(
                keys=data["keys"].astype(np.uint32), text=data["text"].astype(np.float32),
                lead_rules=data["lead_rules"], lead_bias=float(data["lead_bias"][0]),
                category_rules=data["category_rules"], category_bias=data["category_bias"],
                urgency_rules=data["urgency_rules"], urgency_bias=data["urgency_bias"],
                categories=tuple(meta["categories"]), threshold=float(meta["threshold"]),
                meta=meta)


def _stable_zip(data: bytes) -> bytes:
    """The same archive with every member's timestamp zeroed: numpy writes the current time
    into the zip, and a retrain with the same data must give the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            stable = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            stable.compress_type = zipfile.ZIP_DEFLATED
            stable.external_attr = 0o644 << 16
            target.writestr(stable, source.read(info.filename))
    return out.getvalue()


@lru_cache(maxsize=1)
def shipped() -> LearnedModel | None:
    """The model shipped with the package, loaded once per process; None if it is missing."""
    return LearnedModel.load(SHIPPED) if SHIPPED.exists() else None
