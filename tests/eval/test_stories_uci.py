"""The UCI evaluation's own helpers: the time structure it reports and the orders it streams."""

from __future__ import annotations

from eval import stories_uci


def _row(n: int, story: str, ms: int) -> dict[str, str]:
    return {
        "ID": str(n),
        "TITLE": f"headline {n}",
        "URL": f"https://x.test/{n}",
        "PUBLISHER": "X",
        "STORY": story,
        "TIMESTAMP": str(ms),
    }


def test_the_time_structure_counts_runs_and_gaps() -> None:
    rows = [_row(1, "a", 0), _row(2, "a", 1500), _row(3, "b", 200_000), _row(4, "a", 201_000)]
    assert stories_uci.time_structure(rows) == {
        "runs": 3,
        "stories": 2,
        "longest_gap_inside_a_story_s": 1.5,
        "shortest_gap_between_stories_s": 1.0,
    }


def test_the_shuffled_order_keeps_every_headline_and_drops_the_times() -> None:
    rows = [_row(n, "a", n * 1000) for n in range(20)]
    shuffled = stories_uci.in_order(rows, "shuffled", seed=3)
    assert sorted(a.id for a in shuffled) == sorted(a.id for a in stories_uci.in_order(rows, "time", 0))
    assert [a.id for a in shuffled] != [f"uci{n}" for n in range(20)]
    assert all(a.published is None for a in shuffled)
    assert [a.id for a in stories_uci.in_order(rows, "shuffled", seed=3)] == [a.id for a in shuffled]
