"""Claude requests per 100 posts before and after the local model learns from Claude.

    python bench/claude_requests.py [--seed 17]

With Claude configured, a post costs a request unless the local analyzer settles it (the
pre-filter, ``analysis.claude.settled_by_local`` at CLAUDE_PREFILTER_CONFIDENCE's default):
one request per post on the one-post path. The bench takes blind3 (``tests/blind3``, 459 posts
the shipped model never saw), splits it in two by a hash of each id:

- **history**: posts an installation sent to Claude; Claude's verdicts on them are their
  labels (the fake Claude of the tests answers a post with its label, so that is what is used);
- **measured**: the same posts before and after, never trained on.

"Before" is the shipped model; "after" is the model ``pipelineos analyzer retrain`` would
train from the shipped sets plus those Claude labels (the same code: ``installed.label_examples``
and ``train.train``). For each, on the measured posts: Claude requests per 100 posts, and the
local decision's precision and recall against the labels (how close the local model is to
Claude). It also says whether ``should_replace`` would let the new model in.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path

from pipelineos.analysis import corpus, installed, labels, train
from pipelineos.analysis.claude import settled_by_local
from pipelineos.analysis.learned import LearnedModel, shipped
from pipelineos.analysis.local import LocalAnalyzer
from pipelineos.config import Settings

BLIND3 = Path(__file__).resolve().parent.parent / "tests" / "blind3" / "blind3_posts.jsonl"


def measure(model: LearnedModel | None, posts: list[corpus.Example],
            confidence: float) -> tuple[float, float, float]:
    analyzer = LocalAnalyzer(model=model)
    requests = found = flagged = leads = 0
    for post in posts:
        local = analyzer.analyze_sync(post.text, post.group_name)
        requests += not settled_by_local(local, confidence)
        flagged += local.is_lead
        found += local.is_lead and post.is_lead
        leads += post.is_lead
    return (100 * requests / len(posts), found / flagged if flagged else 1.0,
            found / leads if leads else 1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=train.SEED)
    args = parser.parse_args()
    confidence = Settings.model_fields["claude_prefilter_confidence"].default
    posts = corpus.read(BLIND3, "blind3")
    history = [p for p in posts
               if hashlib.blake2b(p.id.encode(), digest_size=1).digest()[0] % 2 == 0]
    measured = [p for p in posts if p not in history]
    rows = [labels.TrainingLabel(id=n, origin="claude", body=p.text, group_name=p.group_name,
                                 is_lead=p.is_lead, category=p.category, urgency=p.urgency)
            for n, p in enumerate(history, 1)]
    before_model = shipped()
    started = time.perf_counter()
    examples = train.shipped_examples() + installed.label_examples(rows)
    after_model, after_scores = train.train(examples, seed=args.seed)
    took = time.perf_counter() - started
    _, holding = train.split(examples, args.seed)
    assert before_model is not None
    before_scores = train.score(before_model, holding)
    print(f"blind3: {len(history)} posts as Claude's labels, {len(measured)} measured "
          f"({sum(p.is_lead for p in measured)} leads); pre-filter confidence {confidence}")
    for name, model in (("before", before_model), ("after", after_model)):
        per_100, precision, recall = measure(model, measured, confidence)
        print(f"{name:<6} {model.id}: {per_100:5.1f} Claude requests per 100 posts; local "
              f"precision {precision:.3f} recall {recall:.3f}")
    print("held out, before:")
    for line in before_scores.lines():
        print("  " + line)
    print("held out, after:")
    for line in after_scores.lines():
        print("  " + line)
    print(f"retrain took {took:.0f} s; held-out pooled F1 {before_scores.pooled.f1:.4f} -> "
          f"{after_scores.pooled.f1:.4f}; should_replace: "
          f"{train.should_replace(before_scores, after_scores)}")


if __name__ == "__main__":
    main()
