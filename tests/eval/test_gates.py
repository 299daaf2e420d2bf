"""Quick quality gates: the full evaluations on a small slice, with floors from quality_floors.json.

The full runs are ``python -m eval.stories_ecbplus``, ``python -m eval.stories_uci``,
``python -m eval.extraction_aeb``, ``python -m eval.copies_reuse``, ``python -m eval.timex_tempeval``
and ``python -m eval.quotes_polnear``; these
slices take seconds and catch a regression before it reaches the README's table.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from eval.metrics import bcubed
from eval.reuse_variants import LABELS
from eval.story_baselines import StreamItem, newsblur, ttrss

from eval import copies_reuse, extraction_aeb, quotes_polnear, stories_ecbplus, stories_uci, timex_tempeval
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


def test_tempeval_slice_dates() -> None:
    data = shared_path("data", "tempeval3", "train")
    try:
        importlib.import_module("newsfold.synthesis.timex")
    except ImportError as error:
        pytest.skip(f"newsfold.synthesis.timex cannot be imported yet: {error}")
    result = timex_tempeval.evaluate(data, limit=20)["all"]
    print(
        f"TempEval-3 first 20 documents: lenient F1 {result['lenient']['f1']:.3f}, "
        f"value accuracy {result['value_accuracy']:.3f} ({result['valued']} values)"
    )
    assert result["lenient"]["f1"] >= FLOORS["tempeval_slice_lenient_f1"]
    assert result["value_accuracy"] >= FLOORS["tempeval_slice_value_accuracy"]


def test_polnear_quote_slice() -> None:
    shared_path("data", "polnear", "dev")
    try:
        importlib.import_module("newsfold.synthesis.quotes")
    except ImportError as error:
        pytest.skip(f"newsfold.synthesis.quotes cannot be imported yet: {error}")
    result = quotes_polnear.evaluate("dev", limit=30, baselines=False)
    newsfold = result["systems"]["newsfold"]
    f1, accuracy = newsfold["quotes"]["f1"], newsfold["speaker"]["accuracy"]
    print(f"PolNeAR dev, first 30 articles: quote F1 {f1:.3f}, speaker accuracy {accuracy:.3f}")
    assert f1 >= FLOORS["polnear_slice_quote_f1"]
    assert accuracy >= FLOORS["polnear_slice_speaker_accuracy"]
