"""Where sentences end and which words carry no content, as every stage reads them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsfold.text import FUNCTION_WORDS, fold_plural, split_sentences


def test_sentence_split_keeps_abbreviations() -> None:
    assert split_sentences("U.S. lawmakers met Mr. Rama. He left at noon.") == [
        "U.S. lawmakers met Mr. Rama.",
        "He left at noon.",
    ]


def test_a_month_abbreviation_before_a_day_does_not_end_a_sentence() -> None:
    assert split_sentences("Staff left on Sept. 8, 2022. Police searched it.") == [
        "Staff left on Sept. 8, 2022.",
        "Police searched it.",
    ]


@given(st.text(max_size=300))
def test_splitting_loses_no_words(text: str) -> None:
    assert " ".join(split_sentences(text)).split() == text.split()


def test_plurals_fold_and_function_words_are_known() -> None:
    assert [fold_plural(w) for w in ["diplomats", "parties", "press", "status", "us"]] == [
        "diplomat",
        "party",
        "press",
        "status",
        "us",
    ]
    assert {"the", "said", "according"} <= FUNCTION_WORDS
