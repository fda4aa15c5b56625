"""The local analyzer: a request is told from an ad and a recommendation, with reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelineos.analysis import corpus, evaluate
from pipelineos.analysis.local import LocalAnalyzer
from pipelineos.analysis.model import BusinessProfile, Priority, Urgency

LABELED_SETS = {name: corpus.SETS[name] for name in ("dev", "holdout", "final", "blind2")}

analyzer = LocalAnalyzer()


def test_request_ad_and_recommendation_for_the_same_trade() -> None:
    """Three plumbing posts: only the one asking for a plumber is a lead."""
    request = analyzer.analyze_sync("Need a plumber in Dallas for leaking water heater")
    ad = analyzer.analyze_sync(
        "Need a plumber? Call us today! Licensed & insured, free estimates. 214-555-0199")
    recommendation = analyzer.analyze_sync(
        "I highly recommend Joe's Plumbing, they fixed our water heater in an hour and were "
        "super reasonable.")
    assert request.is_lead and request.category == "plumbing"
    assert not ad.is_lead and ad.category == "plumbing"
    assert not recommendation.is_lead and recommendation.category == "plumbing"
    assert any("advertisement" in reason for reason in ad.reasons)
    assert any("recommendation given" in reason for reason in recommendation.reasons)


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("EMERGENCY pipe burst, water everywhere, need a plumber now! Dallas", Urgency.EMERGENCY),
        ("Our AC died and it's 104 degrees, baby in the house. Who can come today??",
         Urgency.EMERGENCY),
        ("Need a plumber this week for a leaking kitchen faucet in Plano", Urgency.SOON),
        ("Looking for an electrician to add two outlets in the garage sometime", Urgency.FLEXIBLE),
    ],
)
def test_urgency(text: str, urgency: Urgency) -> None:
    """Damage happening now is an emergency; a date is soon; no pressure is flexible."""
    result = analyzer.analyze_sync(text)
    assert result.is_lead and result.urgency is urgency


def test_priority_depends_on_the_business() -> None:
    """'Need a plumber in Dallas' is high priority for a Dallas plumber and low for a Denver roofer."""
    post = "Need a plumber in Dallas for leaking water heater"
    dallas_plumber = LocalAnalyzer(BusinessProfile.build("Ace", ["plumbing"], ["Dallas", "Plano"]))
    denver_roofer = LocalAnalyzer(BusinessProfile.build("Peak", ["roofing"], ["Denver"]))
    assert dallas_plumber.analyze_sync(post).priority is Priority.HIGH
    assert denver_roofer.analyze_sync(post).priority is Priority.LOW
    outside = dallas_plumber.analyze_sync("Need a plumber in Denver for leaking water heater")
    assert outside.is_lead and outside.priority is Priority.LOW


def test_result_explains_itself() -> None:
    """Reasons quote the phrases that decided it, and the summary says what and where."""
    result = analyzer.analyze_sync("Can anyone recommend a good electrician in Plano? "
                                   "Outlet in the kitchen is sparking!!")
    assert result.is_lead and result.location == "Plano"
    assert any("anyone recommend" in reason for reason in result.reasons)
    assert result.summary.startswith("Emergency electrical request in Plano")
    assert 0.5 < result.confidence <= 1.0


def test_very_short_posts_are_never_confident() -> None:
    """'Test post 1' is no evidence either way, so a pre-filter must not drop it on confidence."""
    result = analyzer.analyze_sync("Test post 1")
    assert not result.is_lead
    assert result.confidence <= 0.5


@pytest.mark.parametrize("name", sorted(LABELED_SETS))
def test_precision_and_recall_on_labeled_posts(name: str) -> None:
    """On each hand-labeled set: precision >= 0.85 and recall >= 0.90 (bench prints details).

    All four sets have been tuned against by now, so this guards against regressions; the
    honest estimate for unseen posts is each set's first look, recorded in docs/analyzer.md."""
    report = evaluate.evaluate(analyzer.analyze_sync, evaluate.load(LABELED_SETS[name]),
                               home_only=True)
    assert report.total >= 200
    assert report.precision >= 0.85, report.lines()
    assert report.recall >= 0.90, report.lines()


BLIND3 = Path(__file__).resolve().parents[1] / "blind3" / "blind3_posts.jsonl"


@pytest.mark.parametrize(("text", "category", "urgency", "location"), [
    ("Se reventó un tubo en la cocina y hay agua por todos lados, necesito un plomero hoy en "
     "Garland", "plumbing", Urgency.EMERGENCY, "Garland"),
    ("Alguien conoce un electricista que ponga abanicos de techo? Estamos en Carrollton, para "
     "la próxima semana", "electrical", Urgency.SOON, "Carrollton"),
    ("Busco jardinero para cortar el zacate cada semana en McKinney, ¿cuánto cobran?",
     "landscaping", Urgency.FLEXIBLE, "McKinney"),
])
def test_a_spanish_request_is_read_like_an_english_one(
        text: str, category: str, urgency: Urgency, location: str) -> None:
    """Spanish requests: lead, trade, urgency and place, as for English."""
    result = analyzer.analyze_sync(text, "Latinos en Dallas")
    assert result.is_lead
    assert (result.category, result.urgency, result.location) == (category, urgency, location)


@pytest.mark.parametrize("text", [
    "Ofrecemos servicio de plomería, presupuesto gratis, llame al 214-555-0142",
    "Se buscan trabajadores para techos, pago semanal, presentarse el lunes",
    "Les recomiendo a Don Julio el plomero, vino rápido y cobró justo",
])
def test_spanish_ads_job_offers_and_recommendations_are_not_leads(text: str) -> None:
    """A Spanish ad, job offer or recommendation is told from a request, as in English."""
    assert not analyzer.analyze_sync(text, "Compra Venta Dallas").is_lead


MECHANIC = ("Does anyone know a good mechanic in Garland? My check engine light is on and the car "
            "shakes at idle")


def test_a_local_service_outside_the_home_trades_is_an_other_lead() -> None:
    """For a business offering every service, a mechanic request is a lead, category other."""
    result = analyzer.analyze_sync(MECHANIC, "Garland Neighbors")
    assert result.is_lead and result.category == "other"
    assert result.priority is not Priority.LOW


def test_an_other_lead_is_low_priority_for_a_business_with_specific_services() -> None:
    """For a Garland plumber the same request is outside its services: low priority."""
    plumber = LocalAnalyzer(BusinessProfile.build("Ace", ["plumbing"], ["Garland"]))
    result = plumber.analyze_sync(MECHANIC, "Garland Neighbors")
    assert result.is_lead and result.category == "other"
    assert result.priority is Priority.LOW


def test_a_reply_is_read_in_its_own_words() -> None:
    """A recommendation under a quoted request is not a lead; "we need one too" is."""
    quoted = "↪ Re: 'Need a plumber in Plano'\n"
    recommendation = analyzer.analyze_sync(
        quoted + "We used Joe's Plumbing last year and they were great, highly recommend!", "g")
    same_need = analyzer.analyze_sync(
        quoted + "Following! We need one too, our water heater is leaking", "g")
    assert not recommendation.is_lead and recommendation.category == "plumbing"
    assert same_need.is_lead and same_need.category == "plumbing"


@pytest.mark.parametrize(("text", "category"), [
    ("Our tub drain is so slow we end up standing in water by the end of a shower. Who can "
     "come out this week?", "plumbing"),
    ("Lights flicker every time the AC kicks on and one outlet in the hallway feels warm. Who "
     "should we have look at it?", "electrical"),
])
def test_a_need_told_only_by_its_symptom_is_a_lead(text: str, category: str) -> None:
    """No trade or tradesperson named: still a lead, for the trade the symptom calls for."""
    result = analyzer.analyze_sync(text, "g")
    assert result.is_lead and result.category == category
    assert result.model is not None  # decided with the learned model


def test_blind3_stays_above_the_issue_targets() -> None:
    """blind3 (tuned on after its first look): precision >= 0.90, recall >= 0.92, category
    right on >= 85% of found leads, emergencies high on >= 90% (first look: docs/analyzer.md)."""
    report = evaluate.evaluate(analyzer.analyze_sync, evaluate.load(BLIND3))
    assert report.total == 459
    assert report.precision >= 0.90 and report.recall >= 0.92, report.lines()
    assert report.category_accuracy >= 0.85 and report.emergencies_marked_high >= 0.90
