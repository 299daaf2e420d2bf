"""Rank: the order stories are shown in: the front page, and each reader's personal feed."""

from newsfold.rank.front_page import FRONT_PAGE_CANDIDATES, RankedStory, independent_sources, rank_stories
from newsfold.rank.personal import FeedStory, personal_feed

__all__ = [
    "FRONT_PAGE_CANDIDATES",
    "FeedStory",
    "RankedStory",
    "independent_sources",
    "personal_feed",
    "rank_stories",
]
