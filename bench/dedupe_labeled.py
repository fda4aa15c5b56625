"""How many of the hand-written labeled posts (1,081, by different people) the duplicate rule
would merge if none named its author: the real-text counterpart of ``dedupe.py --anonymous``.

    python bench/dedupe_labeled.py

Applies ingest_post's rule in memory (exact normalised text, or a shared band with similarity
>= 0.65 and no different trade or place), every post against every earlier one.
"""

import json
from collections import defaultdict

from pipelineos.ingest.fingerprint import fingerprint, similarity
from pipelineos.analysis import corpus
from pipelineos.analysis.local import LocalAnalyzer
rows: list[dict] = []
for f in [corpus.SETS[name] for name in ("dev", "holdout", "final", "blind2")]:
    rows += [json.loads(l) for l in open(f) if l.strip()]
a = LocalAnalyzer()
fps = [fingerprint(r["text"]) for r in rows]
an = [a.analyze_sync(r["text"], r.get("group_name") or "g") for r in rows]
by_band = defaultdict(list); by_hash = defaultdict(list)
pairs = set()
for i, fp in enumerate(fps):
    cands = set(by_hash[fp.content_hash])
    for b in fp.bands: cands |= set(by_band[b])
    for j in cands:
        ti, tj = an[i].category, an[j].category
        pi = an[i].location.strip().lower() if an[i].location else None
        pj = an[j].location.strip().lower() if an[j].location else None
        exact = fps[j].content_hash == fp.content_hash
        if exact or ((ti is None or tj is None or ti == tj) and (pi is None or pj is None or pi == pj) and similarity(fp.signature, fps[j].signature) >= 0.65):
            pairs.add((j, i))
    by_hash[fp.content_hash].append(i)
    for b in fp.bands: by_band[b].append(i)
print(len(rows), "posts;", len(pairs), "pairs merged without authors")
for j, i in sorted(pairs)[:10]:
    print("-", rows[j]["text"][:110]); print("  ", rows[i]["text"][:110])
