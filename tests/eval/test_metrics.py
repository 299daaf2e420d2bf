"""B-cubed on cases small enough to compute by hand."""

from __future__ import annotations

import pytest
from eval.metrics import bcubed, per_class


def test_perfect_clustering() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    assert bcubed({"a": "1", "b": "1", "c": "2"}, gold) == (1.0, 1.0, 1.0)


def test_all_singletons_have_full_precision() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    precision, recall, _ = bcubed({"a": "1", "b": "2", "c": "3"}, gold)
    assert precision == 1.0
    assert recall == pytest.approx((0.5 + 0.5 + 1) / 3)


def test_all_in_one_has_full_recall() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    precision, recall, f1 = bcubed({"a": "1", "b": "1", "c": "1"}, gold)
    assert recall == 1.0
    assert precision == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3)
    assert f1 == pytest.approx(2 * precision / (precision + 1))


def test_items_must_match() -> None:
    with pytest.raises(ValueError, match="same items"):
        bcubed({"a": "1"}, {"b": "x"})


def test_per_class_scores_and_confusion() -> None:
    gold = ["dup", "dup", "wire", "none"]
    predicted = ["dup", "wire", "wire", "none"]
    result = per_class(gold, predicted, ["dup", "wire", "none", "rewrite"])
    assert result["classes"]["dup"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert result["classes"]["wire"]["precision"] == 0.5
    assert result["classes"]["rewrite"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert result["confusion"]["dup"] == {"dup": 1, "wire": 1, "none": 0, "rewrite": 0}
