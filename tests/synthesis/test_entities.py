"""Which names are one entity: spellings, acronyms, lone surnames and short organisation names."""

from __future__ import annotations

from collections import Counter

import pytest

from newsfold.model import Citation
from newsfold.synthesis.entities import alias_groups, clean_name, story_entities
from newsfold.synthesis.language import english


def _groups(kinds: dict[str, str]) -> dict[str, list[str]]:
    return alias_groups(kinds, Counter(dict.fromkeys(kinds, 1)))


def test_spellings_and_acronyms_fold_into_the_full_name() -> None:
    groups = _groups(
        {
            "US": "place",
            "U.S": "place",
            "U. S": "place",
            "United States": "place",
            "America": "place",
            "NATO": "organisation",
            "Mujahideen-e-Khalq": "organisation",
            "MEK": "organisation",
        }
    )
    assert groups["United States"] == ["America", "U. S", "U.S", "US", "United States"]
    assert groups["Mujahideen-e-Khalq"] == ["MEK", "Mujahideen-e-Khalq"]
    assert groups["NATO"] == ["NATO"]  # no full name in the story: the acronym stands


def test_a_lone_surname_joins_the_one_person_named_in_full_and_no_one_else() -> None:
    groups = _groups(
        {
            "Edi Rama": "person",
            "Rama": "organisation",
            "Maryam Rajavi": "person",
            "Massoud Rajavi": "person",
            "Rajavi": "person",
            "George Washington": "person",
            "Washington": "place",
        }
    )
    assert groups["Edi Rama"] == ["Edi Rama", "Rama"]  # the model's label for a surname is not trusted
    assert groups["Rajavi"] == ["Rajavi"]  # two Rajavis: ambiguous
    assert groups["Washington"] == ["Washington"]  # a place named like a person stays a place


def test_a_short_organisation_name_joins_the_one_longer_name_it_ends() -> None:
    groups = _groups(
        {
            "Iranian Foreign Ministry": "organisation",
            "Foreign Ministry": "organisation",
            "Health Ministry": "organisation",
            "Albanian Health Ministry": "organisation",
            "Greek Health Ministry": "organisation",
        }
    )
    assert groups["Iranian Foreign Ministry"] == ["Foreign Ministry", "Iranian Foreign Ministry"]
    assert groups["Health Ministry"] == ["Health Ministry"]


def test_clean_name_drops_titles_articles_and_possessives() -> None:
    assert clean_name("Prime Minister Edi Rama’s") == "Edi Rama"
    assert clean_name("the U.S.") == "U.S"
    assert clean_name("Constable Aileen Varga") == "Aileen Varga"


def test_only_a_trailing_possessive_is_dropped() -> None:
    assert clean_name("People's Mujahedeen") == "People's Mujahedeen"
    assert clean_name("Hamilton Children’s Hospital") == "Hamilton Children’s Hospital"
    assert clean_name("Harbourline's") == "Harbourline"


def test_a_lone_word_joins_the_one_organisation_name_it_starts() -> None:
    groups = _groups(
        {
            "Ardmore": "organisation",
            "Ardmore Bank": "organisation",
            "Corran": "organisation",
            "Corran Electric": "organisation",
            "Corran Foods": "organisation",
        }
    )
    assert groups["Ardmore Bank"] == ["Ardmore", "Ardmore Bank"]
    assert groups["Corran"] == ["Corran"]  # two companies start with it: ambiguous


def test_a_lone_word_taken_for_a_place_joins_a_company_only_when_nothing_placed_it() -> None:
    kinds = {"Halden": "place", "Halden Home Appliances": "organisation"}
    mentions = Counter(dict.fromkeys(kinds, 1))
    assert alias_groups(kinds, mentions, placed=set())["Halden Home Appliances"] == [
        "Halden",
        "Halden Home Appliances",
    ]
    assert alias_groups(kinds, mentions, placed={"Halden"})["Halden"] == ["Halden"]  # "in Halden"


def _kinds(text: str) -> dict[str, str]:
    """Each entity of ``text`` (one article) and its kind."""
    return {e.name: e.kind for e in story_entities([(Citation("a1", "Outlet"), english()(text))])}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dockers at the port of Genoa stopped work on Tuesday. The operator said it needed "
            "machines to keep Genoa competitive against Valencia and Barcelona.",
            {"Genoa": "place", "Valencia": "place", "Barcelona": "place"},
        ),
        (
            "Ferries to Sardinia, Corsica and Sicily sailed late. The family lives in Hamilton, Ont., "
            "near the lake.",
            {"Sardinia": "place", "Sicily": "place", "Hamilton": "place", "Ont": "place"},
        ),
        (
            "Brightmart said hackers stole data. Brightmart, the discount retail chain, apologised. "
            "Brightmart's shares fell.",
            {"Brightmart": "organisation"},
        ),
        (
            "Halden said it was recalling kettles. Halden, which is based in Huddersfield, makes "
            "toasters. Halden Home Appliances employs 1,100 people.",
            {"Halden Home Appliances": "organisation", "Huddersfield": "place"},
        ),
    ],
)
def test_what_the_words_around_a_name_say_outweighs_the_model(text: str, expected: dict[str, str]) -> None:
    assert _kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Staff have until noon (1000 GMT) on Thursday to leave. The group is known by its Farsi name.",
        "Port statistics show some 12 million containers passed through the port in 2024.",
        '"Kettles are bought, used every day and never registered," she said of the kettles.',
        "Wildfire service figures put the wildfire at 5,800 hectares.",
    ],
)
def test_time_zones_languages_and_capitalised_common_words_are_not_entities(text: str) -> None:
    assert _kinds(text) == {}
