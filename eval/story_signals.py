"""The story signals both story evaluations turn off (or on) in turn, from the clusterer's own weights."""

from __future__ import annotations

from typing import Any

from eval import _common  # noqa: F401  (newsfold importable uninstalled)
from newsfold.stories.clusterer import ENTITY_WEIGHT, TEXT_CENTROID_WEIGHT, TEXT_MEMBER_WEIGHT

_ALL = (TEXT_MEMBER_WEIGHT, TEXT_CENTROID_WEIGHT, ENTITY_WEIGHT, 0.0)


def _without(index: int) -> tuple[float, float, float, float]:
    weights = list(_ALL)
    weights[index] = 0.0
    return (weights[0], weights[1], weights[2], weights[3])


SIGNAL_ABLATIONS: dict[str, dict[str, Any]] = {
    "all signals": {},
    "without nearest-member text": {"weights": _without(0)},
    "without centroid text": {"weights": _without(1)},
    "without entities": {"weights": _without(2)},
    "with dates and numbers (weight 0.1)": {"weights": (*_ALL[:3], 0.1)},
    "without the second look": {"second_look": False},
}
"""Each signal turned off in turn (the remaining weights renormalised), to measure what it adds;
figures, off by default, are turned on instead."""
