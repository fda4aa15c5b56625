"""Fingerprints: repeats of one need look alike, different needs do not."""

from __future__ import annotations

import pytest

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


# Values the first (pure-Python) implementation produced, stored with posts since: a faster
# implementation must reproduce them exactly, or stored signatures and bands would need a
# backfill.
PINNED = [
    ("Need a plumber in Dallas for our leaking water heater, it's in the garage. Call "
     "214-555-0101", "Ana B", 5148894823699255236,
     (3843990, 64960756, 409710, 25214906, 70746303, 79134448, 28931115, 57365767, 28939027,
      83633148, 32221586, 8904050, 31811003, 96844218, 39772471, 133413549, 90655671, 66373215,
      39213009, 123351549, 19052620, 37258814, 41347385, 40031956, 68144633, 115800122,
      40036501, 68727087, 72648412, 82255631, 49717832, 1040791),
     (6431145026551334283, -3896921591059532427, -5061669731930185777, -1535718474920809427,
      -2467224554237846248, -4536053937824998903, -5525897134588220414, -6426229009283052133)),
    ("BUMP!! Necesito un plomero en Oak Cliff, se reventó un tubo 🙏", None,
     6713729040947862435,
     (47356661, 77275460, 107194259, 79883381, 86573049, 16341740, 33100166, 31289429, 48562122,
      973579, 25251899, 55170698, 132364546, 2723231, 19412290, 100670830, 56730899, 33172658,
      14669648, 66755889, 69070337, 98989136, 90482554, 66910295, 97092182, 60636006, 90554805,
      59842007, 89760806, 341257, 46012952, 75931751),
     (-9059030018318077926, -421571519389221083, -3743040140376501776, 750245797469983957,
      -4724030042487512357, -2976136021570765058, -7741155823460345218, -3046645440946303713)),
    ("abc", "x", -2829645022057097895,
     (102241648, 132160447, 27861518, 39902845, 69821644, 99740443, 129659242, 25360313,
      55279112, 85197911, 115116710, 10817781, 40736580, 70655379, 100574178, 130492977,
      26194048, 56112847, 86031646, 115950445, 11651516, 41570315, 71489114, 101407913,
      131326712, 27027783, 56946582, 86865381, 116784180, 12485251, 42404050, 72322849),
     ()),
]


@pytest.mark.parametrize(("text", "author", "content_hash", "signature", "bands"), PINNED)
def test_values_are_those_already_stored(text: str, author: str | None, content_hash: int,
                                         signature: tuple[int, ...],
                                         bands: tuple[int, ...]) -> None:
    """Content hash, signature and bands are exactly the first implementation's values."""
    fp = fingerprint(text, author)
    assert (fp.content_hash, fp.signature, fp.bands) == (content_hash, signature, bands)
