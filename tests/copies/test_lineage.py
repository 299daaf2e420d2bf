"""Which side of a copy link is the original: credits, then times, then containment."""

from __future__ import annotations

from datetime import UTC, datetime

from newsfold.copies.lineage import Side, credit, newcomer_is_original
from tests.conftest import make_article

MORNING = datetime(2025, 8, 21, 9, 30, tzinfo=UTC)
AFTERNOON = datetime(2025, 8, 21, 14, 0, tzinfo=UTC)
SAME_DAY_NO_TIME = datetime(2025, 8, 21, tzinfo=UTC)


def test_credit_reads_the_dateline_against_the_outlet() -> None:
    wire = make_article(["x"], outlet="Meridian Wire")
    wire.dateline = "TORONTO (MW)"
    copy = make_article(["x"], outlet="Brightwater Times", url="https://b.example")
    copy.dateline = "TORONTO (MW)"
    unknown = make_article(["x"], url="https://c.example")
    unknown.dateline = "TORONTO (MW)"
    assert (credit(wire), credit(copy), credit(unknown)) == (1, -1, 0)


def test_credits_outweigh_times() -> None:
    assert newcomer_is_original(Side(AFTERNOON, 200, 1), Side(MORNING, 200, -1))
    assert not newcomer_is_original(Side(MORNING, 200, -1), Side(AFTERNOON, 200, 0))


def test_earlier_time_wins_but_a_bare_date_does_not_order_a_day() -> None:
    assert newcomer_is_original(Side(MORNING, 200, 0), Side(AFTERNOON, 200, 0))
    assert not newcomer_is_original(Side(SAME_DAY_NO_TIME, 200, 0), Side(AFTERNOON, 200, 0))


def test_without_times_the_containing_text_is_the_original() -> None:
    assert newcomer_is_original(Side(None, 400, 0), Side(AFTERNOON, 150, 0))
    assert not newcomer_is_original(Side(None, 210, 0), Side(None, 200, 0))
