"""Which names are one entity: spellings, acronyms, lone surnames and short organisation names."""

from __future__ import annotations

from collections import Counter

from newsfold.synthesis.entities import alias_groups, clean_name


def _groups(kinds: dict[str, str]) -> dict[str, list[str]]:
    return alias_groups(kinds, Counter(dict.fromkeys(kinds, 1)))


def test_spellings_and_acronyms_fold_into_the_full_name() -> None:
    groups = _groups(
        {"US": "place", "U.S": "place", "U. S": "place", "United States": "place", "America": "place", "NATO": "organisation",
         "Mujahideen-e-Khalq": "organisation", "MEK": "organisation"}
    )
    assert groups["United States"] == ["America", "U. S", "U.S", "US", "United States"]
    assert groups["Mujahideen-e-Khalq"] == ["MEK", "Mujahideen-e-Khalq"]
    assert groups["NATO"] == ["NATO"]  # no full name in the story: the acronym stands


def test_a_lone_surname_joins_the_one_person_named_in_full_and_no_one_else() -> None:
    groups = _groups(
        {"Edi Rama": "person", "Rama": "organisation", "Maryam Rajavi": "person", "Massoud Rajavi": "person",
         "Rajavi": "person", "George Washington": "person", "Washington": "place"}
    )
    assert groups["Edi Rama"] == ["Edi Rama", "Rama"]  # the model's label for a surname is not trusted
    assert groups["Rajavi"] == ["Rajavi"]  # two Rajavis: ambiguous
    assert groups["Washington"] == ["Washington"]  # a place named like a person stays a place


def test_a_short_organisation_name_joins_the_one_longer_name_it_ends() -> None:
    groups = _groups(
        {"Iranian Foreign Ministry": "organisation", "Foreign Ministry": "organisation",
         "Health Ministry": "organisation", "Albanian Health Ministry": "organisation",
         "Greek Health Ministry": "organisation"}
    )
    assert groups["Iranian Foreign Ministry"] == ["Foreign Ministry", "Iranian Foreign Ministry"]
    assert groups["Health Ministry"] == ["Health Ministry"]


def test_clean_name_drops_titles_articles_and_possessives() -> None:
    assert clean_name("Prime Minister Edi Rama’s") == "Edi Rama"
    assert clean_name("the U.S.") == "U.S"
