"""Where sources disagree on a name or a place, and where a change of wording is not a disagreement."""

from __future__ import annotations

from datetime import UTC, datetime

from newsfold.model import Article, CopyKind, CopyLink, Discrepancy
from newsfold.synthesis import synthesize
from tests.conftest import story_article

WHEN = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _article(ident: str, outlet: str, *paragraphs: str) -> Article:
    return story_article(ident, outlet, list(paragraphs), published=WHEN)


def _by_kind(discrepancies: tuple[Discrepancy, ...], kind: str) -> dict[str, set[str]]:
    [found] = [d for d in discrepancies if d.kind == kind]
    return {v.value: {c.outlet for c in v.citations} for v in found.variants}


FIRE = "A fire destroyed the Ardent Textiles warehouse in {city} on Monday night, the fire service said."
BOSS = "Chief executive {name} said the warehouse would be rebuilt within a year and no jobs would be lost."


def test_a_different_place_and_a_different_person_in_one_statement_are_discrepancies() -> None:
    first = _article(
        "a1",
        "Northgate Daily",
        FIRE.format(city="Leeds"),
        "The blaze began shortly after midnight and took crews six hours to bring under control.",
        BOSS.format(name="Helen Marsh"),
    )
    copy = _article("a2", "Pulse Aggregator", *first.paragraphs)
    other = _article(
        "a3",
        "Valley Ledger",
        FIRE.format(city="Sheffield"),
        "Neighbours were evacuated as thick smoke drifted across the ring road.",
        BOSS.format(name="Robert Kline"),
    )
    links = [CopyLink("a2", "a1", CopyKind.WIRE_COPY, 0.99)]
    folded = synthesize("s1", [first, copy, other], links)
    assert _by_kind(folded.discrepancies, "place") == {
        "Leeds": {"Northgate Daily", "Pulse Aggregator"},
        "Sheffield": {"Valley Ledger"},
    }
    assert _by_kind(folded.discrepancies, "name") == {
        "Helen Marsh": {"Northgate Daily", "Pulse Aggregator"},
        "Robert Kline": {"Valley Ledger"},
    }


def test_leaving_a_name_out_or_naming_it_another_way_is_not_a_discrepancy() -> None:
    first = _article(
        "b1",
        "Northgate Daily",
        FIRE.format(city="Leeds"),
        "The United States embassy in London offered its sympathy to the families.",
    )
    shorter = _article(
        "b2",
        "Valley Ledger",
        "A fire destroyed the Ardent Textiles warehouse on Monday night, the fire service said.",
        "The U.S. embassy in London offered its sympathy to the families.",
    )
    folded = synthesize("s2", [first, shorter])
    assert [d for d in folded.discrepancies if d.kind in ("name", "place")] == []
    [united_states] = [e for e in folded.entities if e.name == "United States"]
    assert united_states.aliases == ("U.S",)  # one entity however it is spelt
    assert {c.outlet for c in united_states.citations} == {"Northgate Daily", "Valley Ledger"}


def test_a_copy_that_changes_nothing_is_never_a_discrepancy_with_its_original() -> None:
    first = _article("c1", "Northgate Daily", FIRE.format(city="Leeds"), BOSS.format(name="Helen Marsh"))
    edited = _article("c2", "Pulse Aggregator", FIRE.format(city="Leeds"), BOSS.format(name="Helen Marsh"))
    folded = synthesize("s3", [first, edited], [CopyLink("c2", "c1", CopyKind.NEAR_DUPLICATE, 0.97)])
    assert folded.discrepancies == ()


def _numbers(*articles: Article) -> list[set[str]]:
    folded = synthesize("n", list(articles))
    return [{v.value for v in d.variants} for d in folded.discrepancies if d.kind == "number"]


def test_numbers_that_count_different_things_are_not_a_discrepancy() -> None:
    strike = _article(
        "d1",
        "Northgate Daily",
        "Dockers at the port of Vallen began a 72-hour strike on Tuesday, leaving container ships "
        "waiting at anchor off the harbour.",
        "The union wants a pay rise of 6% over two years.",
        "Talks with the employers collapsed on Sunday evening.",
    )
    ships = _article(
        "d2",
        "Valley Ledger",
        "Harbour data showed 29 container ships waiting at anchor off Vallen on Tuesday as the strike began.",
        "Lorry drivers queued for hours outside the gates.",
        "Ferry passengers were told to expect delays.",
    )
    assert _numbers(strike, ships) == []


def test_a_hedged_number_close_to_the_exact_one_is_not_a_discrepancy() -> None:
    exact = _article(
        "e1",
        "Northgate Daily",
        "Brennan Appliances said it was recalling 412,000 kettles sold in Britain because the base can overheat.",
    )
    hedged = _article(
        "e2",
        "Valley Ledger",
        "Brennan Appliances is recalling roughly 410,000 kettles sold in Britain because the base can overheat.",
    )
    assert _numbers(exact, hedged) == []
    further = _article(
        "e3",
        "Valley Ledger",
        "Brennan Appliances is recalling about 380,000 kettles sold in Britain because the base can overheat.",
    )
    assert _numbers(exact, further) == [{"412000", "380000"}]  # further off than "about" allows
