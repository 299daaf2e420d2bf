"""Story clustering on headlines alone: the UCI News Aggregator sample, streamed in time order.

``../shared/data/uci-news-aggregator/sample.csv`` holds 6,367 headlines from March 2014 grouped
into 88 stories by Google News (``STORY``).  Only the TITLE is used (no text, as a feed of
headlines gives), the PUBLISHER as outlet and TIMESTAMP (ms) as publication time; items stream in
TIMESTAMP order through newsfold's story clusterer.  Scored with B-cubed P/R/F1 against STORY,
side by side with NewsBlur's title rule, Tiny Tiny RSS's trigram rule and TF-IDF + agglomerative
clustering at its best (oracle) threshold (``eval/story_baselines.py``).

    python -m eval.stories_uci [--limit N] [--threshold T] [--no-baselines] [--ablate] [--json]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eval._common import SHARED_DATA, require
from eval.metrics import bcubed
from eval.story_baselines import StreamItem, agglomerative, newsblur, ttrss
from eval.story_signals import SIGNAL_ABLATIONS
from newsfold.config import Settings
from newsfold.model import Article
from newsfold.stories import StoryClusterer

DATA = SHARED_DATA / "uci-news-aggregator" / "sample.csv"


def load(path: Path, limit: int | None = None) -> list[dict[str, str]]:
    """Rows in stream order (TIMESTAMP, then ID); rows without a timestamp or title are dropped."""
    with require(path).open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r.get("TIMESTAMP") and r.get("TITLE")]
    rows.sort(key=lambda r: (int(r["TIMESTAMP"]), int(r["ID"])))
    return rows[:limit] if limit else rows


def as_article(row: dict[str, str]) -> Article:
    published = datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, tz=UTC)
    return Article(
        id=f"uci{row['ID']}",
        origin=row["URL"],
        title=row["TITLE"],
        paragraphs=[],
        url=row["URL"],
        outlet=row["PUBLISHER"],
        published=published,
        text_hash=hashlib.blake2b(row["TITLE"].encode(), digest_size=8).hexdigest(),
    )


ABLATIONS: dict[str, dict[str, Any]] = SIGNAL_ABLATIONS | {
    "without time": {"window_hours": 1e9},
}
"""Each signal turned off in turn (remaining weights renormalised; no time: an endless window)."""


def newsfold_stories(
    articles: list[Article], threshold: float, *, second_look: bool = True, **options: Any
) -> tuple[dict[str, str], float]:
    settings = Settings()
    options.setdefault("window_hours", settings.story_window_hours)
    clusterer = StoryClusterer(threshold=threshold, **options)
    start = time.perf_counter()
    for number, article in enumerate(articles, start=1):
        clusterer.assign(article)
        if second_look and number % settings.batch_size == 0:  # as ingest, after each chunk
            clusterer.refine()
    if second_look:
        clusterer.refine()
    # where each article's story ended up (merges and second looks moved some)
    predicted = {a.id: clusterer.story_of(a.id) or a.id for a in articles}
    return predicted, time.perf_counter() - start


def run(limit: int | None, threshold: float, baselines: bool) -> dict[str, Any]:
    rows = load(DATA, limit)
    articles = [as_article(r) for r in rows]
    gold = {a.id: r["STORY"] for a, r in zip(articles, rows, strict=True)}
    items = [StreamItem(a.id, a.title, "", a.published) for a in articles]
    results: dict[str, Any] = {"items": len(rows), "gold_stories": len(set(gold.values()))}
    predicted, seconds = newsfold_stories(articles, threshold)
    systems: dict[str, dict[str, Any]] = {
        "newsfold": _scores(predicted, gold) | {"threshold": threshold, "items_per_s": len(rows) / seconds}
    }
    if baselines:
        systems["newsblur"] = _scores(newsblur(items), gold)
        systems["ttrss_trigram"] = _scores(ttrss(items), gold)
        best, cut = agglomerative(items, lambda p: bcubed(p, gold)[2], titles_only=True)
        systems["tfidf_agglomerative"] = _scores(best, gold) | {"threshold": cut}
    results["systems"] = systems
    return results


def ablate(limit: int | None, threshold: float, as_json: bool) -> None:
    rows = load(DATA, limit)
    articles = [as_article(r) for r in rows]
    gold = {a.id: r["STORY"] for a, r in zip(articles, rows, strict=True)}
    found = {
        name: _scores(newsfold_stories(articles, threshold, **o)[0], gold) for name, o in ABLATIONS.items()
    }
    if as_json:
        print(json.dumps(found, indent=2))
        return
    print(f"UCI headlines, threshold {threshold}: each signal off in turn")
    for name, r in found.items():
        print(
            f"{name:<30} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}  ({r['stories']} stories)"
        )


def _scores(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, Any]:
    precision, recall, f1 = bcubed(predicted, gold)
    return {"precision": precision, "recall": recall, "f1": f1, "stories": len(set(predicted.values()))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N headlines in time order")
    parser.add_argument("--threshold", type=float, default=Settings().story_threshold)
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--ablate", action="store_true", help="turn each signal off in turn")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.ablate:
        ablate(args.limit, args.threshold, args.json)
        return
    result = run(args.limit, args.threshold, not args.no_baselines)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"UCI headlines: {result['items']} titles, {result['gold_stories']} gold stories, time order")
    print(f"{'system':<22}{'B3 P':>7}{'B3 R':>7}{'B3 F1':>7}{'stories':>9}  note")
    for name, s in result["systems"].items():
        note = f"threshold {s['threshold']}" if "threshold" in s else ""
        if "items_per_s" in s:
            note += f", {s['items_per_s']:.0f} items/s"
        print(f"{name:<22}{s['precision']:7.3f}{s['recall']:7.3f}{s['f1']:7.3f}{s['stories']:9d}  {note}")


if __name__ == "__main__":
    main()
