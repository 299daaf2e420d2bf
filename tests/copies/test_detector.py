"""Copy detection: duplicates, near-duplicates and wire copies, with evidence and direction."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from newsfold.copies import CopyDetector, MinHasher, fingerprint
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


# ------------------------------------------------------------------ rewrites, templates, bad input

PARAPHRASE = [
    "The first container vessel docked at the northern pier of Port Elsa on Tuesday, the harbour authority stated.",
    "The union accepted a pay rise of six percent over two years, and dockworkers finished their three-week strike on Monday.",
    "Some 40 ships had waited at anchor outside the port, the maritime agency's figures showed.",
    '"It will take weeks to clear the backlog after almost a month of lost trade," port director Elin Sand said.',
]


def test_a_paraphrase_is_a_rewrite_of_its_source_with_the_paired_sentences() -> None:
    detector = CopyDetector()
    detector.links(make_article(WIRE, url="https://wire.example/1", published=T0))
    (link,) = detector.links(
        make_article(PARAPHRASE, url="https://blog.example/1", published=T0 + timedelta(hours=3))
    )
    assert link.kind is CopyKind.REWRITE
    assert link.copy_share == 1.0
    assert [span.verbatim for span in link.spans] == [False]
    assert "Port Elsa" in link.spans[0].original_text


def test_the_same_sentence_frame_around_other_names_and_numbers_is_not_a_copy() -> None:
    detector = CopyDetector()
    for town, number in (("Varna", 5), ("Oslen", 9), ("Brisk", 14)):
        notice = [
            f"The council of {town} voted on measure {number} on Tuesday, the mayor's office said in a statement.",
            f"Residents of {town} had asked for the vote for {number + 2} years, according to local records.",
        ]
        assert detector.links(make_article(notice, url=f"https://{town.lower()}.example/notice")) == []


def test_empty_one_line_and_title_only_matches_are_not_copies() -> None:
    detector = CopyDetector()
    assert detector.links(make_article([], url="https://a.example/empty")) == []
    assert detector.links(make_article([], url="https://b.example/empty")) == []
    line = ["Breaking: the northern pier in Port Elsa reopened to container traffic this morning."]
    assert detector.links(make_article(line, url="https://a.example/line")) == []
    (again,) = detector.links(make_article(line, url="https://b.example/line"))
    assert again.kind is CopyKind.DUPLICATE
    other_line = ["Breaking: a wildfire closed the coastal road north of Brightwater this morning."]
    assert detector.links(make_article(other_line, url="https://c.example/line")) == []
    same_title = make_article(WIRE[:3], title="Port reopens", url="https://a.example/t")
    assert detector.links(same_title) == []
    different_text = [
        "A wildfire burned through dry forest north of the valley towns overnight, firefighters said."
    ]
    assert detector.links(make_article(different_text, title="Port reopens", url="https://b.example/t")) == []


def _long_text(target_chars: int) -> list[str]:
    rng = random.Random(3)
    vocabulary = [f"term{i}" for i in range(4000)]
    paragraphs: list[str] = []
    size = 0
    while size < target_chars:
        sentences = [
            " ".join(rng.choice(vocabulary) for _ in range(rng.randint(10, 25))).capitalize() + "."
            for _ in range(4)
        ]
        paragraphs.append(" ".join(sentences))
        size += len(paragraphs[-1]) + 2
    return paragraphs


def test_a_megabyte_article_and_its_half_are_original_and_wire_copy() -> None:
    paragraphs = _long_text(1_000_000)
    detector = CopyDetector()
    assert detector.links(make_article(paragraphs, url="https://a.example/long", published=T0)) == []
    half = make_article(
        paragraphs[: len(paragraphs) // 2], url="https://b.example/long", published=T0 + timedelta(hours=1)
    )
    (link,) = detector.links(half)
    assert link.kind is CopyKind.WIRE_COPY
    assert link.article_id == half.id
    assert link.copy_share == 1.0
    assert 0.45 < link.original_share < 0.55


def test_a_copy_seen_before_its_original_is_turned_round_when_the_original_arrives() -> None:
    detector = CopyDetector()
    partial = make_article(WIRE[1:4], url="https://republisher.example/1", published=T0 + timedelta(hours=2))
    assert detector.links(partial) == []
    original = make_article(WIRE, url="https://wire.example/2", published=T0)
    (link,) = detector.links(original)
    assert (link.article_id, link.original_id) == (partial.id, original.id)
    assert detector.take_reoriented() == []
    assert detector.take_reoriented() == []
