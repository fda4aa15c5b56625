"""SMS text: segments counted as carriers count them, alerts cut at sentence boundaries."""

from __future__ import annotations

from pipelineos.alerts import text
from pipelineos.alerts.text import LeadFacts, fit, lead_alert, segments


def test_gsm7_fits_160_in_one_segment_and_153_per_segment_after() -> None:
    """160 GSM characters are one SMS; 161 are two; 306 are two; 307 are three."""
    assert text.encoding("a" * 10).name == "GSM-7"
    assert [segments("a" * n) for n in (1, 160, 161, 306, 307)] == [1, 1, 2, 2, 3]


def test_gsm7_extension_characters_take_two_septets_and_are_never_split() -> None:
    """'€' costs two septets (80 fit one SMS), and one straddling a boundary moves on whole."""
    assert text.encoding("price {€5}").name == "GSM-7"
    assert segments("€" * 80) == 1
    assert segments("€" * 81) == 2
    # 306 septets would be exactly two segments if the escape could be split.
    assert segments("a" * 152 + "€" + "a" * 152) == 3


def test_ucs2_fits_70_in_one_segment_and_67_per_segment_after() -> None:
    """Any character outside GSM-7 makes the whole text UCS-2: 70, then 67 per segment."""
    assert text.encoding("Need help ж").name == "UCS-2"
    assert [segments("ж" * n) for n in (70, 71, 134, 135)] == [1, 2, 2, 3]


def test_ucs2_counts_emoji_as_two_units_and_never_splits_them() -> None:
    """An emoji is a surrogate pair: 35 fill one SMS; one at a segment edge moves on whole."""
    assert segments("😀" * 35) == 1
    assert segments("😀" * 36) == 2
    assert segments("ж" * 66 + "😀" + "ж" * 66) == 3


def test_fit_keeps_whole_sentences_that_fit() -> None:
    """A text too long for one SMS is cut after the last whole sentence that fits."""
    first = "Water heater is leaking all over the garage floor."
    second = "Need someone today in Dallas, ideally before 5pm."
    third = "We have two kids and no hot water, so this is urgent for us. " * 3
    result = fit(f"{first} {second} {third}", 1)
    assert result == f"{first} {second}"
    assert segments(result) == 1


def test_fit_cuts_at_a_word_with_an_ellipsis_when_no_sentence_fits() -> None:
    """One endless sentence is cut between words and marked with '...'."""
    result = fit("word " * 100, 1)
    assert result.endswith("word...")
    assert segments(result) == 1
    assert len(result) > 150


def test_fit_leaves_short_texts_alone_and_respects_ucs2_budget() -> None:
    """A text that fits is unchanged; a UCS-2 text is cut to 70 units for one segment."""
    assert fit("Test message", 1) == "Test message"
    cyrillic = "Нужен сантехник. " * 10
    result = fit(cyrillic, 1)
    assert result.endswith(".") and segments(result) == 1
    assert len(result) <= 70


def test_typographic_punctuation_does_not_force_ucs2() -> None:
    """Curly quotes, dashes and ellipses become GSM look-alikes, keeping 160 a segment."""
    result = fit("It\u2019s \u201curgent\u201d \u2013 call\u2026", 1)
    assert result == "It's \"urgent\" - call..."
    assert text.encoding(result).name == "GSM-7"


def _facts(post: str, **overrides: object) -> LeadFacts:
    values: dict[str, object] = {"lead_id": 4711, "category": "water_heater",
                                 "location": "Dallas", "urgency": "emergency",
                                 "group_name": "Dallas Home Services", "post_text": post}
    values.update(overrides)
    return LeadFacts(**values)  # type: ignore[arg-type]


def test_lead_alert_says_what_where_how_urgent_quote_and_how_to_open() -> None:
    """The seed post becomes one SMS naming the service, place, urgency, quote and lead."""
    alert = lead_alert(_facts("Need a plumber in Dallas for leaking water heater"),
                       max_segments=1, link_base_url=None)
    assert alert == ('HOT LEAD: water heater in Dallas (EMERGENCY, call now).\n'
                     '"Need a plumber in Dallas for leaking water heater"\n'
                     'Lead #4711 - Dallas Home Services')
    assert segments(alert) == 1


def test_lead_alert_cuts_the_quote_at_a_sentence_and_keeps_the_link() -> None:
    """A long post is quoted up to a sentence boundary; header and link always survive."""
    post = ("Our water heater burst this morning. Water everywhere in the garage. "
            + "We called three companies and nobody answered the phone at all today. " * 6)
    alert = lead_alert(_facts(post), max_segments=2,
                       link_base_url="https://app.example.com")
    assert segments(alert) <= 2
    assert alert.startswith("HOT LEAD: water heater in Dallas")
    assert "https://app.example.com/leads/4711" in alert
    quote = alert.split('"')[1]
    assert quote.startswith("Our water heater burst this morning.")
    assert quote.endswith(".")


def test_lead_alert_with_emoji_still_fits_its_segments() -> None:
    """An emoji in the post makes the text UCS-2; the quote shrinks so the budget holds."""
    alert = lead_alert(_facts("🔥 Furnace died 😱. " * 20, urgency="soon"), max_segments=2,
                       link_base_url=None)
    assert text.encoding(alert).name == "UCS-2"
    assert segments(alert) <= 2
    assert "Lead #4711" in alert and "needed soon" in alert
