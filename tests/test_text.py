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


def test_a_short_quotation_stays_in_the_sentence_that_quotes_it() -> None:
    text = "Rama said: “This is undeniable evidence. Iran did it.” The ministry denied it."
    assert split_sentences(text) == [
        "Rama said: “This is undeniable evidence. Iran did it.”",
        "The ministry denied it.",
    ]
    assert split_sentences('He said: "We stay. They go." Then he left.') == [
        'He said: "We stay. They go."',
        "Then he left.",
    ]


def test_a_quotation_left_open_is_split_as_if_unquoted() -> None:
    # a long quote runs over paragraphs and closes only at the end of the last one
    assert split_sentences("“We will fight. We will win. We will never give up. Not once. Never.") == [
        "“We will fight.",
        "We will win.",
        "We will never give up.",
        "Not once.",
        "Never.",
    ]


def test_titles_before_a_name_do_not_end_a_sentence() -> None:
    assert split_sentences("Gen. Smith and Sen. Jones met Prof. Lee. They agreed.") == [
        "Gen. Smith and Sen. Jones met Prof. Lee.",
        "They agreed.",
    ]


@given(st.text(alphabet=st.sampled_from(list('ab .“”"A')), max_size=200))
def test_quoted_splitting_loses_no_words(text: str) -> None:
    assert " ".join(split_sentences(text)).split() == text.split()


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
