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
