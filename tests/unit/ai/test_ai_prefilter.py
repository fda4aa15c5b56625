"""The pre-filter: posts the local analyzer settles as confident non-leads never reach Claude."""

from __future__ import annotations

import json

import pytest

from pipelineos.analysis import corpus
from pipelineos.analysis.claude import Routing, settled_by_local
from pipelineos.analysis.local import LocalAnalyzer
from pipelineos.analysis.model import BusinessProfile

LOCAL = LocalAnalyzer(BusinessProfile())
LABELED = [corpus.SETS[name] for name in ("dev", "holdout", "final", "blind2")]
THRESHOLD = Routing().prefilter_confidence


@pytest.mark.parametrize("text", [f"Test post {i}" for i in range(1, 7)])
def test_the_seed_test_posts_still_reach_claude(text: str) -> None:
    """The seed's curl posts are too short to judge, so the local analyzer never settles them."""
    assert not settled_by_local(LOCAL.analyze_sync(text, "Test"), THRESHOLD)


def test_a_blatant_ad_is_settled_locally() -> None:
    """A contractor's ad is a confident non-lead: no Claude request for it."""
    ad = "Need a plumber? Call us today! Licensed & insured, free estimates. 214-555-0199"
    assert settled_by_local(LOCAL.analyze_sync(ad, "Dallas Home Services"), THRESHOLD)


def test_a_request_for_an_unrecognised_trade_goes_to_claude() -> None:
    """Someone asking for help with something the lexicon lacks is never settled locally."""
    text = ("Dog ate a corner of the carpet in the bedroom, need someone to patch or replace it "
            "before our lease inspection next week, any recommendations welcome")
    rules_alone = LocalAnalyzer(BusinessProfile(), rules_only=True).analyze_sync(text, "Frisco")
    assert not rules_alone.is_lead
    assert not settled_by_local(rules_alone, THRESHOLD)
    assert not settled_by_local(LOCAL.analyze_sync(text, "Frisco Moms"), THRESHOLD)


def test_local_leads_always_go_to_claude() -> None:
    """Only non-leads are filtered; a lead is worth Claude's category, urgency and priority."""
    local = LOCAL.analyze_sync("Need a plumber in Dallas for leaking water heater", "Dallas")
    assert local.is_lead and not settled_by_local(local, 0.51)


def test_the_local_wording_the_filter_reads_is_what_the_local_analyzer_writes() -> None:
    """The filter reads the local analyzer's reasons and summary; this pins that wording."""
    asked = LOCAL.analyze_sync("Can anyone recommend someone to patch drywall?", "g")
    assert asked.reasons[0].startswith("asks for a provider")
    nothing = LOCAL.analyze_sync("Happy Friday neighbors, hope everyone has a relaxing weekend with family", "g")
    assert nothing.summary.startswith("Not a lead (no request for a service)")


def test_no_labeled_lead_is_filtered_out_at_the_default_threshold() -> None:
    """Across all four labeled sets, the filter drops many non-leads and no lead."""
    dropped_leads, dropped = [], 0
    for path in LABELED:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if settled_by_local(LOCAL.analyze_sync(row["text"], row.get("group_name", "")),
                                THRESHOLD):
                dropped += 1
                if row["is_lead"]:
                    dropped_leads.append(row["text"][:80])
    assert dropped_leads == []
    assert dropped > 400, "the filter should spare Claude most non-leads"
