"""A story's timeline: periods in calendar order, one event per thing told, no datelines or photo days."""

from __future__ import annotations

from datetime import UTC, date, datetime

from newsfold.model import Article, TimelineEvent
from newsfold.synthesis import synthesize
from newsfold.synthesis.timeline import period_start
from tests.conftest import story_article

WHEN = datetime(2025, 3, 5, 9, tzinfo=UTC)  # a Wednesday


def _article(ident: str, outlet: str, *paragraphs: str, captions: tuple[str, ...] = ()) -> Article:
    return story_article(ident, outlet, list(paragraphs), published=WHEN, captions=captions)


def _timeline(*articles: Article) -> list[TimelineEvent]:
    return list(synthesize("t", list(articles)).timeline)


def test_periods_sort_by_the_day_they_start() -> None:
    events = _timeline(
        _article(
            "a1",
            "Northgate Daily",
            "The pier at Kell was rebuilt in the summer of 2024 after a storm.",
            "Engineers first inspected the pier on Sept. 9, 2024, and found cracks.",
            "The harbour board was set up in 2024 to run the port.",
            "Divers will inspect the pier again this week, the harbour board said.",
            "The harbour board met on March 4 to discuss the repairs.",
        )
    )
    assert [e.date for e in events] == ["2024", "2024-SU", "2024-09-09", "2025-W10", "2025-03-04"]
    assert period_start("2025-W10") == date(2025, 3, 3)
    assert period_start("2024-Q3") == date(2024, 7, 1)


def test_statements_of_one_date_that_say_the_same_are_one_event_citing_every_source() -> None:
    events = _timeline(
        _article(
            "b1",
            "Northgate Daily",
            "Dockers at the port of Kell walked off the job on Monday in a row over pay.",
            "The union wants a pay rise of six percent over two years.",
            "Lorry drivers queued outside the gates.",
        ),
        _article(
            "b2",
            "Valley Ledger",
            "Kell's dockers went on strike on Monday in a bitter dispute over wages and pensions.",
            "Ferry passengers were told to expect delays.",
            "The employers said the demands would cost jobs.",
        ),
        _article(
            "b3",
            "Harbour Courier",
            "A cargo vessel ran aground in the estuary on Monday, blocking the channel for hours.",
            "Tugs freed it at high tide.",
        ),
    )
    monday = [e for e in events if e.date == "2025-03-03"]
    assert len(monday) == 2
    strike = next(e for e in monday if "dockers" in e.text.casefold())
    assert {c.outlet for c in strike.citations} == {"Northgate Daily", "Valley Ledger"}
    assert strike.expressions == ("Monday",)


def test_a_dateline_and_a_photo_s_day_are_not_events_but_a_caption_s_year_is() -> None:
    events = _timeline(
        _article(
            "c1",
            "Northgate Daily",
            "Wed 5 Mar 2025 16.30 GMT",
            "The ferry company said its new vessel would enter service next year.",
            captions=(
                "Passengers board a ferry at Kell harbour, Tuesday, March 4, 2025.",
                "The ferry company was founded in Kell in 1923 by two fishermen.",
            ),
        )
    )
    assert [e.date for e in events] == ["1923", "2026"]


def test_a_date_counted_from_another_event_is_not_guessed() -> None:
    events = _timeline(
        _article(
            "d1",
            "Northgate Daily",
            "The supplier alerted the bank on March 1, a day later than the date given in its statement.",
            "A customer sued the bank on Tuesday, a day after the bank disclosed the breach.",
        )
    )
    assert [(e.date, e.expressions) for e in events] == [
        ("2025-03-01", ("March 1",)),
        ("2025-03-04", ("Tuesday",)),
    ]
