"""Rank: the order stories are shown in (front page today; related stories and feeds later)."""

from newsfold.rank.front_page import FRONT_PAGE_CANDIDATES, RankedStory, independent_sources, rank_stories

__all__ = ["FRONT_PAGE_CANDIDATES", "RankedStory", "independent_sources", "rank_stories"]
