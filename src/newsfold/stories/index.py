"""Candidate retrieval for the clusterer: which stories an article could belong to, found through
an inverted index over the members' terms, never by scanning all stories.

The cost of a query is bounded whatever the number of stories: only the heaviest terms of the
query are looked up, each posting list is walked from its newest end for at most
:data:`MAX_POSTINGS_WALKED` members, and at most :data:`MAX_POSTINGS_PER_QUERY` in all.  The
scores are partial dot products (the heaviest terms carry almost all of a TF-IDF cosine), good
for choosing candidates, which the clusterer then scores in full.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import defaultdict
from collections.abc import Mapping

MAX_POSTINGS_WALKED = 400
"""Members of one term walked per query, newest first (older members of a common word add little)."""
QUERY_TERMS = 40
"""The query's heaviest terms looked up; the rest are common words."""
MAX_POSTINGS_PER_QUERY = 3000
"""Postings walked per query in all, heaviest terms first (a bound on cost as stories grow)."""


class _Postings:
    __slots__ = ("ids", "weights")

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.weights = array("f")


class TermIndex:
    """Term → the members carrying it, with the term's weight in each.

    Ids and 32-bit weights are kept side by side, not a dict per member: this is most of the
    clusterer's memory as stories grow.  Members are only ever added; a member that moves to
    another story keeps its postings (they name the member, and the caller maps it to its story).
    """

    def __init__(self) -> None:
        self._postings: dict[str, _Postings] = {}

    def add(self, member: str, vector: Mapping[str, float]) -> None:
        for term, weight in vector.items():
            postings = self._postings.get(term)
            if postings is None:
                postings = self._postings[term] = _Postings()
            postings.ids.append(member)
            postings.weights.append(weight)

    def member_scores(self, vector: Mapping[str, float]) -> dict[str, float]:
        """Partial dot products of ``vector`` with the members sharing its heaviest terms."""
        scores: dict[str, float] = defaultdict(float)
        budget = MAX_POSTINGS_PER_QUERY
        for term, weight in sorted(vector.items(), key=lambda kv: -kv[1])[:QUERY_TERMS]:
            if budget <= 0:  # the rest are common words: they add little and cost most
                break
            postings = self._postings.get(term)
            if postings is None:
                continue
            walked = min(MAX_POSTINGS_WALKED, budget, len(postings.ids))
            budget -= walked
            for member, member_weight in zip(postings.ids[-walked:], postings.weights[-walked:], strict=True):
                scores[member] += weight * member_weight
        return scores


def closest_stories(member_scores: Mapping[str, float], story_of: Mapping[str, str], limit: int) -> list[str]:
    """The ``limit`` stories whose best member scores highest, best first (ties: the larger id).

    Only these are scored in full: common words reach members of many stories, and a centroid
    cosine for each would dominate the cost.
    """
    best: dict[str, float] = {}
    for member, score in member_scores.items():
        story = story_of[member]
        if score > best.get(story, -math.inf):
            best[story] = score
    return heapq.nlargest(limit, best, key=lambda story: (best[story], story))
