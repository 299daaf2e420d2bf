"""Clustering metrics shared by the evaluation scripts and the quality gates in the tests."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin, 1998), averaged over items.

    For each item, precision is the share of its predicted cluster that shares its gold cluster,
    recall the share of its gold cluster that the predicted cluster holds.  Unlike pairwise
    measures it does not let one huge cluster dominate.  Both mappings must cover the same items.
    """
    if set(predicted) != set(gold):
        raise ValueError("predicted and gold must label the same items")
    if not predicted:
        return 0.0, 0.0, 0.0
    by_predicted: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for item in predicted:
        by_predicted[predicted[item]].add(item)
        by_gold[gold[item]].add(item)
    precision = recall = 0.0
    for item in predicted:
        mine, truth = by_predicted[predicted[item]], by_gold[gold[item]]
        overlap = len(mine & truth)
        precision += overlap / len(mine)
        recall += overlap / len(truth)
    precision /= len(predicted)
    recall /= len(predicted)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
