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


_GOES_ON = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "GMT", "EST"]


@given(
    st.integers(1, 12),
    st.sampled_from(["a.m.", "p.m."]),
    st.one_of(st.sampled_from(_GOES_ON), st.from_regex(r"[a-z]{1,12}", fullmatch=True)),
)
def test_a_time_does_not_end_a_sentence_before_its_day_or_a_lowercase_word(
    hour: int, half: str, after: str
) -> None:
    text = f"Dockers walked out at {hour} {half} {after}, starting a strike. The port shut."
    assert split_sentences(text) == [
        f"Dockers walked out at {hour} {half} {after}, starting a strike.",
        "The port shut.",
    ]


def test_a_time_at_the_end_of_a_sentence_still_ends_it() -> None:
    assert split_sentences("The shop opens at 9 a.m. Staff arrive early.") == [
        "The shop opens at 9 a.m.",
        "Staff arrive early.",
    ]


def test_plurals_fold_and_function_words_are_known() -> None:
    assert [fold_plural(w) for w in ["diplomats", "parties", "press", "status", "us"]] == [
        "diplomat",
        "party",
        "press",
        "status",
        "us",
    ]
    assert {"the", "said", "according"} <= FUNCTION_WORDS
