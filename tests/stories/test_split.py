"""The normalised-cut bisection that tells two events inside one story apart."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsfold.stories.split import SPLIT_NCUT, bisect


def _unit(weights: dict[str, float]) -> dict[str, float]:
    norm = sum(w * w for w in weights.values()) ** 0.5
    return {term: w / norm for term, w in weights.items()}


TOPIC = {"heavyweight": 1.0, "title": 1.0, "retained": 1.0, "brand": 1.0}


def test_two_events_sharing_their_topic_words_cut_cheaply_between_them() -> None:
    first = [_unit(TOPIC | {"sol": 1.5, "hamburg": 1.5, f"a{i}": 0.5}) for i in range(4)]
    second = [_unit(TOPIC | {"reyes": 1.5, "bern": 1.5, f"b{i}": 0.5}) for i in range(3)]
    found = bisect(first + second)
    assert found is not None
    sides = found.first_side
    assert len(set(sides[:4])) == 1
    assert len(set(sides[4:])) == 1
    assert sides[0] != sides[4]
    assert found.ncut < SPLIT_NCUT - 0.1


def test_reports_of_one_event_have_no_cheap_cut() -> None:
    one_event = [_unit(TOPIC | {"sol": 1.5, "hamburg": 1.5, f"w{i}": 0.7}) for i in range(7)]
    found = bisect(one_event)
    assert found is not None
    assert found.ncut > SPLIT_NCUT


def test_too_few_nodes_or_nothing_shared_gives_no_cut() -> None:
    assert bisect([_unit({"a": 1.0})] * 3) is None
    assert bisect([{"a": 1.0}, {"b": 1.0}, {"a": 1.0}, {"a": 1.0}]) is None


vectors = st.lists(
    st.dictionaries(st.sampled_from("abcdefgh"), st.floats(0.01, 1.0), min_size=1).map(_unit),
    min_size=0,
    max_size=12,
)


@given(vectors)
def test_a_cut_always_leaves_two_nodes_a_side_and_costs_at_most_two(nodes: list[dict[str, float]]) -> None:
    found = bisect(nodes)
    if found is None:
        return
    assert len(found.first_side) == len(nodes)
    assert 2 <= sum(found.first_side) <= len(nodes) - 2
    assert -1e-9 <= found.ncut <= 2.0 + 1e-9
