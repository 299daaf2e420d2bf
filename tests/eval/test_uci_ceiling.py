"""The UCI ceiling's supervised bound: a classifier trained on the gold, scored as the README says."""

from __future__ import annotations

from eval import stories_uci
from tests.conftest import shared_path


def _rows(words: dict[str, list[str]]) -> list[dict[str, str]]:
    return [
        {"ID": str(n), "TITLE": title, "STORY": story, "TIMESTAMP": str(n), "URL": "", "PUBLISHER": "X"}
        for n, (story, title) in enumerate((s, t) for s, titles in words.items() for t in titles)
    ]


def test_the_supervised_bound_labels_each_headline_with_its_own_story() -> None:
    # three stories in words of their own: every held-out headline is told apart, and the
    # predictions are scored against the headline they belong to
    words = {
        "quake": [f"Earthquake strikes coast, tsunami warning {n}" for n in range(10)],
        "court": [f"Supreme court ruling on patents, judges split {n}" for n in range(10)],
        "chips": [f"Chipmaker quarterly earnings beat forecasts {n}" for n in range(10)],
    }
    bound = stories_uci.supervised_bound(_rows(words), folds=5)
    assert bound == {
        "supervised_accuracy": 1.0,
        "supervised_bcubed_precision": 1.0,
        "supervised_bcubed_recall": 1.0,
        "supervised_bcubed_f1": 1.0,
    }


def test_uci_slice_supervised_bound_is_above_the_gold_centroid_oracle() -> None:
    shared_path("data", "uci-news-aggregator", "sample.csv")
    bound = stories_uci.ceiling(stories_uci.load(stories_uci.DATA, 800))
    print({name: round(value, 3) for name, value in bound.items()})
    assert all(0.0 <= value <= 1.0 for value in bound.values())
    # first 800 headlines in time order: supervised 0.941 / F1 0.894, oracle 0.920 / F1 0.858
    assert bound["supervised_accuracy"] > bound["gold_centroid_accuracy"]
    assert bound["supervised_bcubed_f1"] > bound["gold_centroid_bcubed_f1"]
