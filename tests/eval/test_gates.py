"""Quick quality gates: the full evaluations on a small slice, with floors from quality_floors.json.

The full runs are ``python -m eval.stories_ecbplus`` and ``python -m eval.extraction_aeb``; these
slices take seconds and catch a regression before it reaches the README's table.
"""

from __future__ import annotations

import json
from pathlib import Path

from eval import extraction_aeb, stories_ecbplus
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


def test_extraction_slice() -> None:
    data = shared_path("data", "article-extraction-benchmark")
    results = extraction_aeb.evaluate(data, limit=25)
    print({name: round(r["token_f1"], 3) for name, r in results.items()})
    assert results["newsfold"]["token_f1"] >= FLOORS["aeb_slice_token_f1"]
