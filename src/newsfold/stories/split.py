"""Telling two events inside one story apart: a normalised-cut bisection of its members.

An online clusterer decides with what has arrived.  When the first report of a second, look-alike
event (the same boxer defending his title against another man four years on) arrives while the
first event's story has one member, it joins that story, and every later report of either event
finds a story that already holds both.  Scores at arrival cannot undo that; the shape of the story
can.  Reports of one event are about equally similar to one another, so no cut through them is
cheap.  Two events form two dense blocks, joined only by the topic words they share, and cutting
between the blocks costs little.  The normalised cut (Shi and Malik) measures that cost against the
blocks' own weight: near 1 for one event, lower for two.

Each node is one copy group, not one article.  Wire copies of one text are near-identical and would
make a dense block of their own; a copy must stay in its original's story in any case.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

SPLIT_NCUT = 0.94
"""Normalised cut below which a story's members are two events."""
OWN_NAME_SHARE = 0.5
"""A split needs each side to have a name that at least this share of its copy groups mention …"""
OTHER_NAME_SHARE = 0.1
"""… and at most this share of the other side's groups mention."""
SPLIT_MIN_HOURS_APART = 48.0
"""Two dated sides of a story closer in time than this are one story developing, never split."""
SPLIT_MIN_NODES = 5
"""Copy groups a story needs before its shape says anything about how many events it holds."""
SPLIT_MAX_NODES = 300
"""Larger stories are not looked at for a split (the cost grows with the square of the size)."""


@dataclass(slots=True, frozen=True)
class MemberProfile:
    """What a story keeps of a member to judge a split and rebuild its sides (compact: a tuple and
    an array, as the clusterer holds one for each of its latest articles)."""

    terms: tuple[str, ...]
    weights: array[float]
    entities: tuple[str, ...]
    figures: tuple[str, ...]
    published: datetime | None
    headline_only: bool


Group = Sequence[MemberProfile]
"""One copy group of a story: an original and its copies, which no split parts."""


@dataclass(slots=True, frozen=True)
class Bisection:
    """The cheapest cut found: its normalised cost and which nodes fall on the first side."""

    ncut: float
    first_side: tuple[bool, ...]


def two_events(groups: Sequence[Group], ncut_limit: float = SPLIT_NCUT) -> Bisection | None:
    """The cut of a story's copy groups into two events, or ``None`` when they are one event.

    The cheapest normalised cut must cost less than ``ncut_limit``; then each side must name
    someone or something that most of its groups mention and (almost) none of the other side's
    do, since one event told in two vocabularies shares its names; and two dated sides must lie
    :data:`SPLIT_MIN_HOURS_APART` apart, since reports hours apart with new names are a story
    moving on.  Stories of headlines alone are never cut: a title is too short to show the shape.
    """
    members = [member for group in groups for member in group]
    if 2 * sum(member.headline_only for member in members) > len(members):
        return None
    if not SPLIT_MIN_NODES <= len(groups) <= SPLIT_MAX_NODES:
        return None
    found = bisect([_group_vector(group) for group in groups])
    if found is None or found.ncut >= ncut_limit:
        return None
    first = [group for group, side in zip(groups, found.first_side, strict=True) if side]
    second = [group for group, side in zip(groups, found.first_side, strict=True) if not side]
    if not (_own_names(first, second) and _own_names(second, first)):
        return None
    if _close_in_time(first, second):
        return None
    return found


def _group_vector(group: Group) -> dict[str, float]:
    """The normalised mean term vector of a copy group's members."""
    total: dict[str, float] = defaultdict(float)
    for member in group:
        for term, weight in zip(member.terms, member.weights, strict=True):
            total[term] += weight
    norm = math.sqrt(sum(w * w for w in total.values())) or 1.0
    return {term: weight / norm for term, weight in total.items()}


def _own_names(side: Sequence[Group], other: Sequence[Group]) -> bool:
    """Whether most copy groups of ``side`` name someone or something that (almost) none of
    ``other`` does: two events differ in who or where, one event told two ways does not."""

    def shares(groups: Sequence[Group]) -> Counter[str]:
        named: Counter[str] = Counter()
        for group in groups:
            named.update({entity for member in group for entity in member.entities})
        return named

    mine, theirs = shares(side), shares(other)
    return any(
        count >= OWN_NAME_SHARE * len(side) and theirs[name] <= OTHER_NAME_SHARE * len(other)
        for name, count in mine.items()
    )


def _close_in_time(side: Sequence[Group], other: Sequence[Group]) -> bool:
    """Whether both sides have dated members and their spans of time overlap or nearly meet."""
    spans = []
    for groups in (side, other):
        dates = [member.published for group in groups for member in group if member.published]
        if not dates:
            return False
        spans.append((min(dates), max(dates)))
    (start_a, end_a), (start_b, end_b) = spans
    gap = max(start_a, start_b) - min(end_a, end_b)
    return gap.total_seconds() < SPLIT_MIN_HOURS_APART * 3600


def bisect(vectors: list[dict[str, float]], *, min_side: int = 2) -> Bisection | None:
    """The lowest normalised cut of the nodes ``vectors`` (L2-normalised term weights).

    The nodes are ordered by the Fiedler vector of the normalised graph Laplacian of their
    cosine similarities, and every cut point along that order leaving at least ``min_side``
    nodes on each side is scored.  ``None`` when there are too few nodes or no similarity at all.
    """
    count = len(vectors)
    if count < 2 * min_side:
        return None
    column: dict[str, int] = {}
    for vector in vectors:
        for term in vector:
            column.setdefault(term, len(column))
    matrix = np.zeros((count, len(column)))
    for row, vector in enumerate(vectors):
        for term, weight in vector.items():
            matrix[row, column[term]] = weight
    similarity = np.clip(matrix @ matrix.T, 0.0, None)
    np.fill_diagonal(similarity, 0.0)
    degree = similarity.sum(axis=1)
    if np.any(degree <= 1e-12):  # a node sharing nothing with the rest: no graph to cut
        return None
    scale = 1.0 / np.sqrt(degree)
    laplacian = np.eye(count) - scale[:, None] * similarity * scale[None, :]
    _, eigenvectors = np.linalg.eigh(laplacian)
    fiedler = scale * eigenvectors[:, 1]
    order = np.argsort(fiedler, kind="stable")
    ordered = similarity[np.ix_(order, order)]
    # weight inside the first k nodes, for every k, from the lower triangle's row sums
    inside = np.concatenate(([0.0], np.cumsum(2.0 * np.tril(ordered, -1).sum(axis=1))))
    volume = np.concatenate(([0.0], np.cumsum(degree[order])))
    total = volume[-1]
    best_k, best_cut = 0, np.inf
    for k in range(min_side, count - min_side + 1):
        cut = volume[k] - inside[k]
        cost = cut / volume[k] + cut / (total - volume[k])
        if cost < best_cut:
            best_k, best_cut = k, cost
    if best_k == 0:
        return None
    first = np.zeros(count, dtype=bool)
    first[order[:best_k]] = True
    return Bisection(float(best_cut), tuple(bool(x) for x in first))
