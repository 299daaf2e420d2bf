"""Front-page order: how many outlets *independently* report a story, how fresh and how fast-growing it is.

Copies do not count: a wire story republished by thirty sites is one source, not thirty.  The
score is ``log2(1 + independent sources) + log2(1 + articles in the last day of the story)``,
halved for every half-life between the story's newest article and the reference time.
The reference time is the newest dated activity in the listing unless the caller gives one, so
an archive (or the demo corpus) ranks the same whenever it is read.

The half-life is a news cycle: a day, or, where news arrives more slowly than a page of stories
a day (a small archive, a quiet set of sources), as long as the latest :data:`PAGE_STORIES`
stories took to arrive.  With a fixed day, a year-long archive would rank by recency alone and
its widest-reported story would come last.  A story with no dated article ranks as one half-life
old: its only time is when it was ingested, which says nothing of when it happened.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from newsfold.model import StoryMember, StorySummary

COPY_RELATIONS = ("duplicate", "near_duplicate", "wire_copy", "rewrite")
FRONT_PAGE_CANDIDATES = 500
"""Only the most recently active stories are ranked for a front page: an old story never wins."""
PAGE_STORIES = 10
"""How many stories one news cycle should hold: the half-life stretches until the cycle holds them."""
DAY_HOURS = 24.0


@dataclass(slots=True, frozen=True)
class RankedStory:
    """A story with the numbers its rank comes from."""

    story: StorySummary
    score: float
    independent_sources: int
    recent_articles: int


def independent_sources(members: Iterable[StoryMember]) -> int:
    """Distinct outlets among the members that are not copies of another member."""
    return len({m.outlet for m in members if not m.relation.startswith(COPY_RELATIONS)})


def rank_stories(
    stories: Iterable[tuple[StorySummary, list[StoryMember]]],
    *,
    now: datetime | None = None,
    half_life_hours: float | None = None,
) -> list[RankedStory]:
    """Order stories for a front page, best first.

    ``half_life_hours`` fixes the half-life; by default it is the news cycle of these stories
    (see the module docstring)."""
    items = list(stories)
    if not items:
        return []
    # a story with no dated member shows its ingest time as activity; it must not set the clock
    dated = [summary.last_activity for summary, _ in items if summary.first_published is not None]
    reference = now or max(dated or [summary.last_activity for summary, _ in items])
    half_life = half_life_hours or news_cycle_hours(dated, reference)
    ranked = []
    for summary, members in items:
        sources = independent_sources(members)
        day_start = summary.last_activity - timedelta(days=1)
        # an undated member's only time is its arrival, which made the story's activity
        recent = sum(1 for m in members if m.published is None or m.published >= day_start)
        if summary.first_published is None:
            age_hours = half_life
        else:
            age_hours = max(0.0, (reference - summary.last_activity).total_seconds() / 3600)
        score = (math.log2(1 + sources) + math.log2(1 + recent)) * 0.5 ** (age_hours / half_life)
        ranked.append(RankedStory(summary, score, sources, recent))
    return sorted(ranked, key=lambda r: (-r.score, r.story.id))


def news_cycle_hours(activity: list[datetime], reference: datetime) -> float:
    """Hours back from ``reference`` that hold the latest :data:`PAGE_STORIES` stories, at least a day.

    Fewer stories than a page: a day (nothing says the news is slow, only that there is little)."""
    if len(activity) < PAGE_STORIES:
        return DAY_HOURS
    kth_latest = sorted(activity, reverse=True)[PAGE_STORIES - 1]
    return max(DAY_HOURS, (reference - kth_latest).total_seconds() / 3600)
