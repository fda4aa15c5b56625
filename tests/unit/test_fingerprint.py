"""Fingerprints: repeats of one need look alike, different needs do not."""

from __future__ import annotations

from pipelineos.ingest.fingerprint import fingerprint, normalise, similarity

POST = ("Need a plumber in Dallas for our leaking water heater, it's in the garage. "
        "Call 214-555-0101")


def test_normalising_drops_what_changes_between_cross_posts() -> None:
    """Phone numbers, links, e-mail, case, punctuation and 'bump'/'edit:' markers go."""
    assert normalise("BUMP!! Need a plumber: https://fb.me/x call 214-555-0101 or a@b.co") == \
        "need a plumber"
    assert normalise("Edit: still need a plumber. Thanks!") == "need a plumber"


def test_cross_post_with_another_phone_number_is_an_exact_repeat() -> None:
    """Same words, different number and link: the same content hash."""
    other = "need a plumber in Dallas for our leaking water heater, it's in the garage!! " \
            "text 972-555-0199 https://example.com/me"
    assert fingerprint(POST).content_hash == fingerprint(other).content_hash


def test_an_edited_post_is_near_and_shares_a_band() -> None:
    """A word added and one changed: similar signatures and at least one shared band."""
    edited = ("Still need a plumber in Dallas for our leaking water heater, it's in the garage "
              "by the laundry room.")
    a, b = fingerprint(POST), fingerprint(edited)
    assert a.content_hash != b.content_hash
    assert similarity(a.signature, b.signature) >= 0.65
    assert set(a.bands) & set(b.bands)


def test_a_different_need_is_not_near() -> None:
    """Another trade in another city shares no band and little signature."""
    other = "Looking for an electrician in Plano to install recessed lights in the kitchen"
    a, b = fingerprint(POST), fingerprint(other)
    assert similarity(a.signature, b.signature) < 0.3
    assert not set(a.bands) & set(b.bands)


def test_short_posts_only_match_exactly() -> None:
    """'Test post 1' and 'Test post 2' get no bands: they can only repeat exactly."""
    one, two = fingerprint("Test post 1"), fingerprint("Test post 2")
    assert one.bands == () and two.bands == ()
    assert one.content_hash != two.content_hash
    assert fingerprint("test post 1!").content_hash == one.content_hash
