"""A reader's feed: which follows match a story, what a mute takes out, the order, and what is new."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsfold.model import Follow, FollowKind, FollowMode, StoryMember, StoryRead, StorySummary
from newsfold.rank import FeedStory, personal_feed, rank_stories

T0 = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)

Candidate = tuple[StorySummary, list[StoryMember]]


def _member(article_id: str, outlet: str, relation: str = "independent") -> StoryMember:
    return StoryMember(article_id, outlet, "t", T0, relation, 0.5, "similar")


def _story(story_id: str, *members: StoryMember) -> Candidate:
    summary = StorySummary(story_id, story_id, len(members), len({m.outlet for m in members}), T0, T0)
    return summary, list(members)


def _follow(kind: FollowKind, value: str, mode: FollowMode = FollowMode.FOLLOW) -> Follow:
    return Follow(kind, value, mode, T0)


def _ids(feed: list[FeedStory]) -> list[str]:
    return [item.ranked.story.id for item in feed]


HERALD = _story("herald", _member("h1", "Herald"))
WIRE = _story("wire", _member("w1", "Wire"))


def test_a_followed_story_is_in_the_feed_with_its_follow_as_the_reason() -> None:
    rule = _follow(FollowKind.STORY, "herald")
    (item,) = personal_feed([HERALD, WIRE], [rule], {}, {})
    assert item.ranked.story.id == "herald"
    assert item.reasons == (rule,)


def test_a_followed_story_that_was_merged_is_found_under_its_live_id() -> None:
    found = {(FollowKind.STORY, "merged-away"): {"herald"}}
    feed = personal_feed([HERALD, WIRE], [_follow(FollowKind.STORY, "merged-away")], found, {})
    assert _ids(feed) == ["herald"]


def test_a_followed_source_matches_outlet_names_whatever_their_case() -> None:
    both = _story("both", _member("b1", "The Herald"), _member("b2", "Wire"))
    feed = personal_feed([both, WIRE], [_follow(FollowKind.SOURCE, "the HERALD")], {}, {})
    assert _ids(feed) == ["both"]


def test_entity_and_keyword_follows_match_the_stories_their_search_found() -> None:
    other = _story("other", _member("o1", "Post"))
    follows = [_follow(FollowKind.ENTITY, "Edi Rama"), _follow(FollowKind.KEYWORD, "tariffs")]
    found = {(FollowKind.ENTITY, "Edi Rama"): {"herald"}, (FollowKind.KEYWORD, "tariffs"): {"wire"}}
    feed = personal_feed([HERALD, WIRE, other], follows, found, {})
    assert sorted(_ids(feed)) == ["herald", "wire"]


def test_an_entity_follow_the_search_found_nothing_for_matches_nothing() -> None:
    assert personal_feed([HERALD, WIRE], [_follow(FollowKind.ENTITY, "Edi Rama")], {}, {}) == []


def test_every_matching_follow_is_a_reason() -> None:
    follows = [
        _follow(FollowKind.STORY, "herald"),
        _follow(FollowKind.SOURCE, "Wire"),
        _follow(FollowKind.SOURCE, "herald"),
        _follow(FollowKind.KEYWORD, "tariffs"),
    ]
    found = {(FollowKind.KEYWORD, "tariffs"): {"herald"}}
    (item,) = personal_feed([HERALD], follows, found, {})
    assert item.reasons == (follows[0], follows[2], follows[3])


@pytest.mark.parametrize("kind", [FollowKind.ENTITY, FollowKind.KEYWORD, FollowKind.STORY])
def test_a_muted_entity_keyword_or_story_takes_out_a_story_followed_another_way(kind: FollowKind) -> None:
    also = _story("also", _member("a1", "Herald"))
    follows = [_follow(FollowKind.SOURCE, "Herald"), _follow(kind, "herald", FollowMode.MUTE)]
    found = {(kind, "herald"): {"herald"}}
    assert _ids(personal_feed([HERALD, also], follows, found, {})) == ["also"]


def test_a_muted_source_takes_out_only_stories_all_from_muted_outlets() -> None:
    tabloid_only = _story(
        "tabloid-only", _member("t1", "Tabloid"), _member("t2", "TABLOID", "wire_copy of t1")
    )
    mixed = _story("mixed", _member("m1", "Tabloid"), _member("m2", "Herald"))
    follows = [_follow(FollowKind.KEYWORD, "tariffs"), _follow(FollowKind.SOURCE, "tabloid", FollowMode.MUTE)]
    found = {(FollowKind.KEYWORD, "tariffs"): {"tabloid-only", "mixed"}}
    assert _ids(personal_feed([tabloid_only, mixed], follows, found, {})) == ["mixed"]


def test_the_feed_is_ordered_like_the_front_page() -> None:
    widely = _story("widely", *(_member(f"w{n}", f"Outlet {n}") for n in range(3)))
    follows = [_follow(FollowKind.SOURCE, "Herald"), _follow(FollowKind.STORY, "widely")]
    feed = personal_feed([HERALD, widely], follows, {}, {})
    assert _ids(feed) == ["widely", "herald"]
    assert [item.ranked for item in feed] == rank_stories([HERALD, widely])


def test_new_articles_counts_members_not_seen_at_the_last_visit() -> None:
    grown = _story("grown", _member("g1", "Herald"), _member("g2", "Wire"), _member("g3", "Post"))
    reads = {"grown": StoryRead("grown", T0, frozenset({"g1", "gone"}), frozenset({"Herald"}))}
    follows = [_follow(FollowKind.STORY, "grown"), _follow(FollowKind.STORY, "herald")]
    feed = personal_feed([grown, HERALD], follows, {}, reads)
    assert {item.ranked.story.id: item.new_articles for item in feed} == {"grown": 2, "herald": None}


def test_a_story_read_in_full_has_no_new_articles() -> None:
    reads = {"herald": StoryRead("herald", T0, frozenset({"h1"}), frozenset({"Herald"}))}
    (item,) = personal_feed([HERALD], [_follow(FollowKind.STORY, "herald")], {}, reads)
    assert item.new_articles == 0


def test_nothing_followed_gives_an_empty_feed() -> None:
    assert personal_feed([HERALD, WIRE], [], {}, {}) == []
    assert personal_feed([HERALD, WIRE], [_follow(FollowKind.SOURCE, "Wire", FollowMode.MUTE)], {}, {}) == []
