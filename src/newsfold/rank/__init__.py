"""Rank: the order stories are shown in (front page today; related stories and feeds later)."""

from newsfold.rank.front_page import RankedStory, independent_sources, rank_stories

__all__ = ["RankedStory", "independent_sources", "rank_stories"]
