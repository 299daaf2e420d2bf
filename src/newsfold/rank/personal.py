"""A reader's own feed: the stories of what they follow, without what they muted, best first.

What a follow matches is decided before this stage: a followed story by its id, a source by
the outlet names of a story's members, an entity or keyword by the stories a search finds
(the caller runs the search and passes the story ids in ``found``).  This module only
combines them, so the rules a reader sees are all here:

- a story is in the feed when any follow matches it, with every matching follow as a reason;
- a muted story, entity or keyword takes a story out whatever else matches it;
- a muted source takes a story out only when every report in it comes from muted outlets (a
  story other outlets also carry is still news; muting one site is not muting the event);
- order is the front page's (independent sources, recency, growth), so a followed story that
  is big today comes first, and each story says how many articles arrived since the reader's
  last visit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from newsfold.model import Follow, FollowKind, FollowMode, StoryMember, StoryRead, StorySummary
from newsfold.rank.front_page import RankedStory, rank_stories


@dataclass(slots=True, frozen=True)
class FeedStory:
    """A story in a personal feed, why it is there, and what is new in it for this reader."""

    ranked: RankedStory
    reasons: tuple[Follow, ...]
    new_articles: int | None
    """Articles the reader has not seen since their last visit; None if they never opened it."""


def personal_feed(
    candidates: Iterable[tuple[StorySummary, list[StoryMember]]],
    follows: Iterable[Follow],
    found: Mapping[tuple[FollowKind, str], set[str]],
    reads: Mapping[str, StoryRead],
    *,
    now: datetime | None = None,
) -> list[FeedStory]:
    """Order the candidate stories that the reader's follows match.

    ``found`` maps each entity and keyword follow or mute, as ``(kind, value)``, to the ids of
    the stories it finds (and a followed story's id to the live story it was merged into);
    ``reads`` the reader's last visit per story id.
    """
    rules = list(follows)
    followed = [f for f in rules if f.mode is FollowMode.FOLLOW]
    muted = [f for f in rules if f.mode is FollowMode.MUTE]
    muted_outlets = {f.value.casefold() for f in muted if f.kind is FollowKind.SOURCE}
    kept: list[tuple[StorySummary, list[StoryMember]]] = []
    reasons: dict[str, tuple[Follow, ...]] = {}
    for summary, members in candidates:
        if summary.id in reasons:
            continue
        if any(
            _matches(rule, summary, members, found) for rule in muted if rule.kind is not FollowKind.SOURCE
        ):
            continue
        if muted_outlets and members and all(m.outlet.casefold() in muted_outlets for m in members):
            continue
        why = tuple(rule for rule in followed if _matches(rule, summary, members, found))
        if why:
            kept.append((summary, members))
            reasons[summary.id] = why
    by_id = {summary.id: members for summary, members in kept}
    return [
        FeedStory(
            ranked,
            reasons[ranked.story.id],
            _new_articles(by_id[ranked.story.id], reads.get(ranked.story.id)),
        )
        for ranked in rank_stories(kept, now=now)
    ]


def _matches(
    rule: Follow,
    summary: StorySummary,
    members: list[StoryMember],
    found: Mapping[tuple[FollowKind, str], set[str]],
) -> bool:
    if rule.kind is FollowKind.STORY:  # ``found`` may say what a merged story's id became
        return summary.id in found.get((rule.kind, rule.value), {rule.value})
    if rule.kind is FollowKind.SOURCE:
        outlet = rule.value.casefold()
        return any(m.outlet.casefold() == outlet for m in members)
    return summary.id in found.get((rule.kind, rule.value), set())


def _new_articles(members: list[StoryMember], read: StoryRead | None) -> int | None:
    if read is None:
        return None
    return sum(1 for m in members if m.article_id not in read.article_ids)
