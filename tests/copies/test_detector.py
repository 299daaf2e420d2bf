"""Copy detection: duplicates, near-duplicates and wire copies, with evidence and direction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from newsfold.copies import CopyDetector, MinHasher, fingerprint, split_sentences
from newsfold.model import CopyKind
from tests.conftest import make_article

WIRE = [
    "The harbour authority in Port Elsa said on Tuesday that the first container ship had docked at the northern pier.",
    "Dockworkers ended a three-week strike on Monday after the union accepted a pay rise of six percent over two years.",
    "About 40 ships had been waiting at anchor outside the port, according to figures from the maritime agency.",
    '"We lost almost a month of trade, and it will take weeks to clear the backlog," said port director Elin Sand.',
    "The union had first demanded a rise of ten percent, citing rising rents in the coastal city.",
]
T0 = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)


def test_exact_duplicate_at_another_url() -> None:
    detector = CopyDetector()
    first = make_article(WIRE, url="https://a.example/1", published=T0)
    assert detector.links(first) == []
    again = make_article(WIRE, url="https://b.example/9", published=T0 + timedelta(hours=1))
    (link,) = detector.links(again)
    assert link.kind is CopyKind.DUPLICATE
    assert (link.article_id, link.original_id) == (again.id, first.id)


def test_wire_copy_keeps_the_shared_sentences_and_points_at_the_earlier_article() -> None:
    detector = CopyDetector()
    copy = make_article(
        [*WIRE[1:4], "The city council will debate the port budget next week, local officials said."],
        url="https://copy.example/x",
        published=T0 + timedelta(hours=3),
    )
    original = make_article(WIRE, url="https://wire.example/x", published=T0)
    detector.links(copy)  # the copy arrives first; lineage still follows publication time
    (link,) = detector.links(original)
    assert link.kind is CopyKind.WIRE_COPY
    assert (link.article_id, link.original_id) == (copy.id, original.id)
    assert [s.copy_text for s in link.spans if s.verbatim] == [" ".join(WIRE[1:4])]
    assert link.copy_share == 0.75
    assert link.original_share < 1


def test_light_edit_is_a_near_duplicate() -> None:
    detector = CopyDetector(near_duplicate_threshold=0.6)
    detector.links(make_article(WIRE, url="https://wire.example/x", published=T0))
    edited = [WIRE[0].replace("on Tuesday", "Tuesday"), *WIRE[1:]]
    (link,) = detector.links(
        make_article(edited, url="https://b.example/y", published=T0 + timedelta(hours=2))
    )
    assert link.kind in {CopyKind.NEAR_DUPLICATE, CopyKind.WIRE_COPY}


def test_unrelated_articles_are_not_linked() -> None:
    detector = CopyDetector()
    detector.links(make_article(WIRE, url="https://wire.example/x"))
    other = [
        "A wildfire forced the evacuation of 300 homes near Cedar Hollow on Sunday, fire officials said.",
        "Crews from four counties were fighting the blaze, which had burned 1,200 hectares by nightfall.",
    ]
    assert detector.links(make_article(other, url="https://c.example/z")) == []


def test_fingerprint_ignores_case_quotes_and_spacing() -> None:
    a = make_article(WIRE)
    b = make_article([p.upper().replace('"', "“") for p in WIRE], url="https://x.example/1")
    hasher = MinHasher()
    assert fingerprint(a, hasher).sentence_hashes == fingerprint(b, hasher).sentence_hashes
    assert (fingerprint(a, hasher).shingles == fingerprint(b, hasher).shingles).all()


def test_sentence_split_keeps_abbreviations() -> None:
    assert split_sentences("U.S. lawmakers met Mr. Rama. He left at noon.") == [
        "U.S. lawmakers met Mr. Rama.",
        "He left at noon.",
    ]


@given(st.lists(st.text(min_size=1, max_size=200), min_size=1, max_size=6))
def test_any_text_fingerprints_and_compares(paragraphs: list[str]) -> None:
    detector = CopyDetector()
    article = make_article(paragraphs)
    assert detector.links(article) == []
    assert all(
        link.kind is CopyKind.DUPLICATE
        for link in detector.links(make_article(paragraphs, url="https://d.example"))
    )


def test_a_shared_about_us_paragraph_is_not_a_copy() -> None:
    about = [
        "Harbourline is a savings bank founded in 1871 that serves two million customers across the north of England.",
        "Its headquarters are in Leeds, where it employs some 4,000 people in branches, call centres and offices.",
    ]
    first = [
        f"Harbourline said on Monday that mortgage lending in quarter {i} grew by {i + 3} percent over the year."
        for i in range(8)
    ]
    second = [
        f"The bank will close {i + 10} branches in market town number {i} next spring to cut costs, managers said."
        for i in range(8)
    ]
    detector = CopyDetector()
    detector.links(make_article([*first, *about], url="https://h.example/1"))
    assert detector.links(make_article([*second, *about], url="https://h.example/2")) == []
