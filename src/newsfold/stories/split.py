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

from dataclasses import dataclass

import numpy as np


@dataclass(slots=True, frozen=True)
class Bisection:
    """The cheapest cut found: its normalised cost and which nodes fall on the first side."""

    ncut: float
    first_side: tuple[bool, ...]


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
