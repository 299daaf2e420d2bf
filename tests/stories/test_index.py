"""Candidate retrieval: the term index scores members by their shared terms, within its bounds."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from newsfold.stories.index import MAX_POSTINGS_WALKED, TermIndex, closest_stories

vectors = st.dictionaries(st.sampled_from("abcdefgh"), st.floats(0.01, 1.0), min_size=1, max_size=6)


@given(st.lists(vectors, min_size=1, max_size=12), vectors)
def test_small_indexes_give_the_full_dot_product_of_every_member_sharing_a_term(
    members: list[dict[str, float]], query: dict[str, float]
) -> None:
    index = TermIndex()
    for number, vector in enumerate(members):
        index.add(f"m{number}", vector)
    scores = index.member_scores(query)
    for number, vector in enumerate(members):
        expected = sum(weight * vector[term] for term, weight in query.items() if term in vector)
        if set(vector) & set(query):
            assert math.isclose(scores[f"m{number}"], expected, rel_tol=1e-5)  # weights kept as 32-bit
        else:
            assert f"m{number}" not in scores


def test_a_common_term_is_walked_from_its_newest_members_only() -> None:
    index = TermIndex()
    for number in range(MAX_POSTINGS_WALKED + 50):
        index.add(f"m{number}", {"common": 1.0})
    scores = index.member_scores({"common": 1.0})
    assert len(scores) == MAX_POSTINGS_WALKED
    assert "m0" not in scores
    assert f"m{MAX_POSTINGS_WALKED + 49}" in scores


def test_closest_stories_rank_by_their_best_member_and_break_ties_alike_every_time() -> None:
    scores = {"a1": 0.2, "a2": 0.9, "b1": 0.5, "c1": 0.5, "d1": 0.1}
    story_of = {"a1": "sA", "a2": "sA", "b1": "sB", "c1": "sC", "d1": "sD"}
    assert closest_stories(scores, story_of, 3) == ["sA", "sC", "sB"]
    assert closest_stories(scores, story_of, 10) == ["sA", "sC", "sB", "sD"]
    assert closest_stories({}, story_of, 3) == []
