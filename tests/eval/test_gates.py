"""Quick quality gates: the full evaluations on a small slice, with floors from quality_floors.json.

The full runs are ``python -m eval.stories_ecbplus``, ``python -m eval.stories_uci``,
``python -m eval.extraction_aeb`` and ``python -m eval.copies_reuse``; these
slices take seconds and catch a regression before it reaches the README's table.
"""

from __future__ import annotations

import json
from pathlib import Path

from eval.metrics import bcubed
from eval.reuse_variants import LABELS
from eval.story_baselines import StreamItem, newsblur, ttrss

from eval import copies_reuse, extraction_aeb, stories_ecbplus, stories_uci
from newsfold.config import Settings
from tests.conftest import shared_path

FLOORS = json.loads((Path(__file__).parents[1] / "quality_floors.json").read_text())


def test_ecbplus_slice_clustering() -> None:
    path = shared_path("data", "ecbplus", "ecbplus_dev.jsonl")
    rows = [r for r in stories_ecbplus.load(path, "all") if r["topic"] <= 6]
    result = stories_ecbplus.cluster(
        rows, stories_ecbplus.extract_all(rows), threshold=Settings().story_threshold
    )
    print(f"ECB+ topics 1-6: B3 F1 {result['f1']:.3f}")
    assert result["f1"] >= FLOORS["ecbplus_slice_bcubed_f1"]


def test_uci_headline_slice_clustering_beats_the_title_rules() -> None:
    shared_path("data", "uci-news-aggregator", "sample.csv")
    rows = stories_uci.load(stories_uci.DATA, limit=1500)
    articles = [stories_uci.as_article(r) for r in rows]
    gold = {a.id: r["STORY"] for a, r in zip(articles, rows, strict=True)}
    predicted, _ = stories_uci.newsfold_stories(articles, Settings().story_threshold)
    items = [StreamItem(a.id, a.title, "", a.published) for a in articles]
    f1 = bcubed(predicted, gold)[2]
    print(f"UCI first 1500 headlines: B3 F1 {f1:.3f}")
    assert f1 >= FLOORS["uci_slice_bcubed_f1"]
    assert f1 > max(bcubed(newsblur(items), gold)[2], bcubed(ttrss(items), gold)[2])


def test_extraction_slice() -> None:
    data = shared_path("data", "article-extraction-benchmark")
    results = extraction_aeb.evaluate(data, limit=25)
    print({name: round(r["token_f1"], 3) for name, r in results.items()})
    assert results["newsfold"]["token_f1"] >= FLOORS["aeb_slice_token_f1"]


def test_reuse_benchmark_slice_beats_the_published_rules_on_every_class() -> None:
    path = shared_path("data", "ecbplus", "ecbplus_dev.jsonl")
    rows = [r for r in stories_ecbplus.load(path, "all") if r["topic"] <= 4]
    systems = copies_reuse.evaluate(rows)["systems"]
    f1 = {name: {label: s["classes"][label]["f1"] for label in LABELS} for name, s in systems.items()}
    print(f1)
    for label in LABELS:
        assert f1["newsfold"][label] >= FLOORS["reuse_slice_class_f1"], label
        assert f1["newsfold"][label] > max(f1["feedly_85"][label], f1["newsblur_title"][label]), label
