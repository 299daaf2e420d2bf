"""Clustering metrics shared by the evaluation scripts and the quality gates in the tests."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any


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


def per_class(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Precision, recall, F1 and support per label, their macro average, and the confusion matrix.

    ``confusion[g][p]`` counts items of gold label ``g`` predicted as ``p``.  A label never
    predicted has precision 0 (not undefined), so a rule that lacks a class scores 0 on it.
    """
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted must have the same length")
    confusion = {g: dict.fromkeys(labels, 0) for g in labels}
    for g, p in zip(gold, predicted, strict=True):
        confusion[g][p] += 1
    classes: dict[str, dict[str, float]] = {}
    for label in labels:
        hit = confusion[label][label]
        predicted_as = sum(confusion[g][label] for g in labels)
        support = sum(confusion[label].values())
        precision = hit / predicted_as if predicted_as else 0.0
        recall = hit / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        classes[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": support,
        }
    macro = sum(c["f1"] for c in classes.values()) / len(labels) if labels else 0.0
    return {"classes": classes, "macro_f1": round(macro, 4), "confusion": confusion}


def precision_recall_f1(hits_predicted: int, predicted: int, hits_gold: int, gold: int) -> dict[str, float]:
    """Precision (predictions that hit / predictions), recall (gold found / gold) and F1, rounded.

    Hits are counted on each side separately because a span-overlap match need not be
    one-to-one; an empty side scores 0, not undefined.
    """
    precision = hits_predicted / predicted if predicted else 0.0
    recall = hits_gold / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
