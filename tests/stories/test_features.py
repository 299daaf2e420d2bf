"""What the clusterer compares: terms, names and figures, pinned on small sentences."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsfold.stories.features import entities, figures, terms


def test_figures_normalise_amounts_dates_and_magnitudes() -> None:
    text = (
        "A 4.6 magnitude quake struck on March 14, 2013; the $200 million offer rose 12 per cent by Dec. 3."
    )
    assert figures(text) == ["4.6", "march 14", "2013", "$200 million", "12 percent", "december 3"]


def test_figures_skip_single_digits_and_keep_thousands_whole() -> None:
    assert figures("3 people and 7 cars; 1,250 homes lost power") == ["1250"]


def test_a_day_number_out_of_range_is_a_number_not_a_date() -> None:
    assert figures("In May 2022 prices rose") == ["2022"]


@given(st.text(max_size=300))
def test_figures_never_fail_and_always_hold_a_digit(text: str) -> None:
    for figure in figures(text):
        assert any(ch.isdigit() for ch in figure)


def test_terms_fold_plurals_and_drop_stop_words() -> None:
    assert terms("The diplomats said the diplomat left") == ["diplomat", "diplomat", "left"]


def test_entities_skip_a_lone_sentence_opening_word_but_keep_names() -> None:
    assert entities("Police said Edi Rama spoke in Tirana. Officials agreed.") == ["edi rama", "tirana"]


def test_title_case_headlines_keep_names_not_words() -> None:
    assert entities("Juan Pablo Makes His Decision") == ["juan pablo"]
