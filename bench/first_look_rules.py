"""Rebuild ``analysis/labeled/first_look_rules.jsonl``: what the rules saw in each labeled post
before they were ever tuned on it.

    python bench/first_look_rules.py

The rules were tuned on every labeled set in turn, so today's rules are right on almost every
labeled post, and a model trained on today's rule scores would learn to trust them completely.
The honest view of a post is the one the rules had at the set's first look. This script takes
each set's rules from git history (the commit before any tuning on that set), runs them on the
set's posts, and records each post's rule view (:class:`pipelineos.analysis.features.RuleView`)
so that training sees rule evidence exactly as reliable as it is on posts never seen before.
An installation's own labels need no such care: today's rules never saw them.

Needs the repository's git history; the file it writes is shipped with the package.
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from pipelineos.analysis import corpus
from pipelineos.analysis.model import OTHER
from pipelineos.analysis.features import RuleView

ROOT = Path(__file__).resolve().parent.parent
# Each set, and the last commit whose rules had never been tuned on it.
FIRST_LOOK = {
    "dev": "e3b381c",  # the first analyzer, written before the dev set was looked at
    "holdout": "a3ec198",  # tuned on dev only
    "final": "5c0ad2b",  # tuned on dev and holdout
    "blind2": "c7fd748",  # tuned on dev, holdout and final
    "extra": "52b4fdf",  # the rules of main (6e36f7e), made faster; before the extra set
    "blind4": "2369bf9",  # tuned on all of the above and blind3; blind4's first look
}
# Sets whose rules already had ``LocalAnalyzer.view`` (a comment reply read in its own words):
# their view is taken with it, exactly as the analyzer gave it to the model at the first look.
OWN_VIEW = frozenset({"blind4"})
MODULES = ("lexicon", "places", "prefilter", "model", "features", "learned", "local")
OUT = corpus.LABELED / "first_look_rules.jsonl"


def _old_rules(commit: str, into: Path) -> ModuleType:
    """The analyzer package as it was at ``commit``, importable under a name of its own."""
    package = into / f"rules_{commit}"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in MODULES:
        shown = subprocess.run(["git", "show", f"{commit}:src/pipelineos/analysis/{name}.py"],
                               cwd=ROOT, capture_output=True, text=True)
        if shown.returncode != 0:
            continue  # e.g. no prefilter yet
        source = re.sub(r"pipelineos\.analysis\.(\w+)", rf"{package.name}.\1", shown.stdout)
        source = source.replace("from pipelineos.analysis import", f"from {package.name} import")
        (package / f"{name}.py").write_text(source)
    sys.path.insert(0, str(into))
    return importlib.import_module(f"{package.name}.local")


def _provider_nouns(local: Any) -> re.Pattern[str] | None:
    """The provider nouns of a version's OTHER_PROVIDER phrases (the group they end with)."""
    phrases = getattr(local.lexicon, "OTHER_PROVIDER", ())
    if not phrases:
        return None
    nouns = phrases[0][0][phrases[0][0].rindex("(?:"):]
    return re.compile(r"(?<![\w])" + nouns.removesuffix(r"\b") + r"(?![\w])")


def view(local: Any, text: str, group_name: str) -> RuleView:
    """A rule view from any version of ``local.py`` (their internals differ a little)."""
    norm = local.normalise(text)
    analyzer = local.LocalAnalyzer()
    try:
        evidence = analyzer._signals(norm)
    except TypeError:
        evidence = analyzer._signals(norm, local._INDEX.candidates(norm))
    scores = dict(evidence.scores)
    categories: dict[str, tuple[int, int]] = {}
    for name, (strong, weak) in local._CATEGORIES.items():
        strong_hits = {m.group(0) for m in strong.finditer(norm)}
        weak_hits = {m.group(0) for m in weak.finditer(norm)} - strong_hits
        if strong_hits or weak_hits:
            categories[name] = (len(strong_hits), len(weak_hits))
    # Older rules took a request for a non-home provider ("recommend a mechanic") as evidence
    # against a lead; the view records their provider nouns as what they are now, strong terms
    # of the category "other".
    scores.pop("other", None)
    providers = _provider_nouns(local)
    found = {m.group(0) for m in providers.finditer(norm)} if providers else set()
    if found:
        categories[OTHER] = (len(found), 0)
    result = analyzer.analyze_sync(text, group_name)
    return RuleView.build(
        evidence=scores, categories=categories, norm=norm,
        emergency=local._EMERGENCY.search(norm) is not None,
        soon=local._SOON.search(norm) is not None,
        is_lead=result.is_lead, category=result.category)


def main() -> None:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, commit in FIRST_LOOK.items():
            local = _old_rules(commit, Path(tmp))
            rules = local.LocalAnalyzer(rules_only=True) if name in OWN_VIEW else None
            for example in corpus.load(name):
                seen = (rules.view(example.text) if rules is not None
                        else view(local, example.text, example.group_name))
                rows.append({"id": example.id, "source": name, "commit": commit,
                             "view": seen.to_json()})
            print(f"{name}: {sum(r['source'] == name for r in rows)} posts, rules of {commit}")
    with OUT.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
