"""Front-page order: independent sources count, copies do not, and older stories fade."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsfold.model import StoryMember, StorySummary
from newsfold.rank import independent_sources, rank_stories

T0 = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)


def _member(n: int, outlet: str, relation: str, when: datetime = T0) -> StoryMember:
    return StoryMember(f"a{n}", outlet, "t", when, relation, 0.5, "similar")


def _story(
    story_id: str, members: list[StoryMember], last: datetime = T0
) -> tuple[StorySummary, list[StoryMember]]:
    summary = StorySummary(story_id, story_id, len(members), len({m.outlet for m in members}), last, last)
    return summary, members


def test_copies_do_not_count_as_sources() -> None:
    members = [
        _member(1, "Wire", "original"),
        *(_member(n, f"Site {n}", "wire_copy of a1") for n in range(2, 9)),
        _member(9, "Herald", "independent"),
    ]
    assert independent_sources(members) == 2


def test_independent_reporting_outranks_a_republished_wire() -> None:
    echoed = _story(
        "echoed",
        [_member(1, "Wire", "original"), *(_member(n, f"S{n}", "duplicate of a1") for n in range(2, 8))],
    )
    reported = _story("reported", [_member(10 + n, f"Outlet {n}", "independent") for n in range(4)])
    assert [r.story.id for r in rank_stories([echoed, reported])] == ["reported", "echoed"]


def test_older_stories_fade() -> None:
    fresh = _story("fresh", [_member(1, "A", "independent")])
    old = _story(
        "old",
        [_member(n, f"O{n}", "independent", T0 - timedelta(days=3)) for n in range(5)],
        T0 - timedelta(days=3),
    )
    ranked = rank_stories([old, fresh])
    assert [r.story.id for r in ranked] == ["fresh", "old"]
    assert ranked[1].score < ranked[0].score / 2  # three half-lives outweigh five times the sources


def test_empty() -> None:
    assert rank_stories([]) == []


def _slow_archive() -> list[tuple[StorySummary, list[StoryMember]]]:
    """A page of single-outlet stories a month apart, and one widely reported story among them."""
    stories = [
        _story(
            f"m{n}",
            [_member(100 + n, f"M{n}", "independent", T0 - timedelta(days=30 * n))],
            T0 - timedelta(days=30 * n),
        )
        for n in range(12)
    ]
    wide_when = T0 - timedelta(days=45)
    wide = _story("wide", [_member(200 + n, f"W{n}", "independent", wide_when) for n in range(6)], wide_when)
    return [*stories, wide]


def test_in_a_slow_archive_the_cycle_stretches_so_wide_reporting_still_counts() -> None:
    ranked = rank_stories(_slow_archive())
    assert ranked[0].story.id == "wide"  # six outlets six weeks back beat one outlet today
    # with a fixed day, recency alone would decide
    assert rank_stories(_slow_archive(), half_life_hours=24)[0].story.id == "m0"


def test_an_undated_story_does_not_rank_as_if_it_happened_at_ingest() -> None:
    dated = _story("dated", [_member(1, "A", "independent")])
    undated_member = StoryMember("a2", "B", "t", None, "independent", 0.5, "similar")
    ingested = T0 + timedelta(days=200)  # its only time is when it was ingested
    undated = (StorySummary("undated", "undated", 1, 1, None, ingested), [undated_member])
    assert [r.story.id for r in rank_stories([undated, dated])] == ["dated", "undated"]
