"""Sentence alignment: verbatim, paraphrased and template sentences, order and coverage."""

from __future__ import annotations

from newsfold.copies import MinHasher, align, fingerprint
from newsfold.copies.alignment import anchors, follow
from tests.conftest import make_article

HASHER = MinHasher()
ORIGINAL = [
    "The harbour authority in Port Elsa said on Tuesday that the first container ship had docked at the pier.",
    "Dockworkers ended a three-week strike on Monday after the union accepted a pay rise of six percent.",
    "About 40 ships had been waiting at anchor outside the port, according to the maritime agency.",
]
PARAPHRASE = [
    "The first container vessel docked at the pier in Port Elsa on Tuesday, the harbour authority stated.",
    "The union accepted a six percent pay rise and dockworkers finished their three-week strike on Monday.",
    "Roughly 40 ships waited at anchor outside the port, the maritime agency reported.",
]


def _fp(paragraphs: list[str], url: str) -> object:
    return fingerprint(make_article(paragraphs, url=url), HASHER)


def test_verbatim_sentences_align_with_similarity_one() -> None:
    left = fingerprint(make_article(ORIGINAL, url="https://a.example/1"), HASHER)
    right = fingerprint(make_article([ORIGINAL[2], ORIGINAL[0]], url="https://b.example/1"), HASHER)
    alignment = align(left, right)
    assert [(p.left, p.right, p.verbatim, p.similarity) for p in alignment.pairs] == [
        (0, 1, True, 1.0),
        (2, 0, True, 1.0),
    ]
    assert alignment.in_order == 0.5
    assert alignment.right_share == 1.0
    assert alignment.right_coverage == 1.0


def test_paraphrases_align_in_order_and_keep_names_and_numbers() -> None:
    left = fingerprint(make_article(PARAPHRASE, url="https://a.example/2"), HASHER)
    right = fingerprint(make_article(ORIGINAL, url="https://b.example/2"), HASHER)
    alignment = align(left, right)
    assert [(p.left, p.right) for p in alignment.pairs] == [(0, 0), (1, 1), (2, 2)]
    assert not alignment.verbatim
    assert alignment.in_order == 1.0
    assert alignment.anchor_agreement >= 0.8


def test_a_template_filled_with_other_names_disagrees_on_anchors() -> None:
    def notice(town: str, measure: int, years: int) -> list[str]:
        return [
            f"The council of {town} voted on measure {measure} on Tuesday, the mayor's office said.",
            f"Residents of {town} had asked for the vote for {years} years, according to local records.",
        ]

    left = fingerprint(make_article(notice("Varna", 5, 7), url="https://a.example/3"), HASHER)
    right = fingerprint(make_article(notice("Oslen", 9, 11), url="https://b.example/3"), HASHER)
    alignment = align(left, right)
    assert len(alignment.pairs) == 2
    assert alignment.anchor_agreement < 0.5


def test_anchors_skip_the_sentence_opening_word() -> None:
    assert anchors("The council of Varna voted on measure 5 in 2014, Mr. Rama said.") == {
        "varna",
        "5",
        "2014",
        "mr",
        "rama",
    }


def test_unrelated_texts_do_not_align() -> None:
    left = fingerprint(make_article(ORIGINAL, url="https://a.example/4"), HASHER)
    right = fingerprint(
        make_article(
            ["A wildfire burned through dry forest north of the valley towns overnight."],
            url="https://b.example/4",
        ),
        HASHER,
    )
    alignment = align(left, right)
    assert alignment.pairs == ()
    assert alignment.left_share == 0.0


def test_a_free_retelling_is_followed_paragraph_by_paragraph() -> None:
    original = fingerprint(make_article(ORIGINAL, url="https://a.example/5"), HASHER)
    retold = [
        "Port Elsa's northern pier took its first container ship on Tuesday, according to the harbour authority.",
        "That came a day after dockworkers called off three weeks of strikes, once their union took a six percent rise.",
        "Until then some 40 ships sat at anchor off the port, maritime agency figures show.",
    ]
    followed = follow(fingerprint(make_article(retold, url="https://b.example/5"), HASHER), original)
    assert [(p[0][:9], p[1][:9]) for p in followed.pairs] == [
        ("Port Elsa", "The harbo"),
        ("That came", "Dockworke"),
        ("Until the", "About 40 "),
    ]
    assert followed.shorter_share == 1.0
    assert followed.anchor_agreement >= 0.6
