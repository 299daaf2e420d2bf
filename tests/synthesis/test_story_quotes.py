"""A story's quotes: one quote however many outlets print it, cited to all of them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsfold.model import Article
from newsfold.synthesis import synthesize
from tests.conftest import story_article

WHEN = datetime(2025, 6, 2, 9, tzinfo=UTC)


def _article(ident: str, outlet: str, hours: int, *paragraphs: str) -> Article:
    return story_article(ident, outlet, list(paragraphs), published=WHEN + timedelta(hours=hours))


def test_quoted_words_one_outlet_leaves_unattributed_are_the_quote_another_attributes() -> None:
    attributed = _article(
        "q1",
        "Northgate Daily",
        0,
        'The summit was called off "for safety reasons, and because of threats against the guests," the '
        "organisers said.",
    )
    bare = _article(
        "q2",
        "Valley Ledger",
        1,
        'The summit in Kell was cancelled "for safety reasons and because of threats against the guests."',
    )
    folded = synthesize("q", [attributed, bare])
    [quote] = [q for q in folded.quotes if "threats against the guests" in q.text]
    assert {c.outlet for c in quote.citations} == {"Northgate Daily", "Valley Ledger"}
    assert quote.speaker is not None


def test_at_a_tie_the_cue_is_the_first_outlet_s() -> None:
    said = '"We will rebuild the bridge before winter," Mayor Ana Ruiz said on Monday.'
    told = '"We will rebuild the bridge before winter," Mayor Ana Ruiz told reporters.'
    first = synthesize(
        "c1", [_article("c1", "Northgate Daily", 0, said), _article("c2", "Valley Ledger", 1, told)]
    )
    second = synthesize(
        "c2", [_article("c3", "Northgate Daily", 0, told), _article("c4", "Valley Ledger", 1, said)]
    )
    assert [q.cue for q in first.quotes] == ["said"]
    assert [q.cue for q in second.quotes] == ["told"]
