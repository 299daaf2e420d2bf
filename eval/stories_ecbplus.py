"""Story clustering quality on ECB+ (651 news articles, 58 gold events in 29 topics).

Each ECB+ topic holds two events that look alike (two celebrities entering rehab years apart),
so the set measures event-level precision, not only topic-level grouping.  The documents are
streamed in file order through the same stages as ``newsfold ingest`` (extract → copies →
stories); ECB+ has no publication times, so the time signal is silent here.  Predicted stories
are scored with B-cubed precision, recall and F1 against the gold ``story`` field.

Splits, for tuning honestly: ``tune`` = odd topics, ``heldout`` = even topics, ``all``.
Thresholds are chosen on ``tune`` only; ``heldout`` says whether the choice generalises.

Side by side, on the same documents in the same order: NewsBlur's title rule, Tiny Tiny RSS's
title trigram rule and TF-IDF + agglomerative clustering at its best (oracle) threshold
(``eval/story_baselines.py``).

    python -m eval.stories_ecbplus [--split all|tune|heldout] [--threshold T] [--sweep]
                                   [--no-baselines] [--ablate] [--json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from eval._common import SHARED_DATA, require
from eval.metrics import bcubed
from eval.story_baselines import StreamItem, agglomerative, newsblur, ttrss
from eval.story_signals import SIGNAL_ABLATIONS
from newsfold.config import Settings
from newsfold.copies import CopyDetector
from newsfold.extract import extract
from newsfold.model import Article, DocumentKind, RawDocument
from newsfold.stories import StoryClusterer


def load(path: Path, split: str) -> list[dict[str, Any]]:
    rows = [
        json.loads(line) for line in require(path).read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    if split == "tune":
        return [r for r in rows if r["topic"] % 2 == 1]
    if split == "heldout":
        return [r for r in rows if r["topic"] % 2 == 0]
    return rows


def raw_document(row: dict[str, Any]) -> RawDocument:
    """An ECB+ row as the plain-text document newsfold ingests."""
    return RawDocument(
        origin=f"ecbplus:{row['id']}",
        body=row["text"].encode("utf-8"),
        kind=DocumentKind.TEXT,
        url=row["url"],
        title=row["title"],
        encoding="utf-8",
    )


def extract_all(rows: list[dict[str, Any]]) -> list[Article | None]:
    out: list[Article | None] = []
    for row in rows:
        article = extract(raw_document(row), min_text_chars=0)
        out.append(article if isinstance(article, Article) else None)
    return out


ABLATIONS: dict[str, dict[str, Any]] = SIGNAL_ABLATIONS | {
    "without copy links": {"follow_copy_links": False},
}
"""Each signal turned off in turn (the remaining weights renormalised), to measure what it adds."""


def cluster(
    rows: list[dict[str, Any]],
    articles: list[Article | None],
    threshold: float,
    *,
    second_look: bool = True,
    **options: Any,
) -> dict[str, Any]:
    """Stream the articles through copies and stories; score the stories against gold.

    ``options`` go to :class:`StoryClusterer` (``weights``, ``follow_copy_links``); without
    ``second_look`` the clusterer's :meth:`~StoryClusterer.refine` is never called.
    """
    settings = Settings()
    detector = CopyDetector(near_duplicate_threshold=settings.near_duplicate_threshold)
    clusterer = StoryClusterer(threshold=threshold, window_hours=settings.story_window_hours, **options)
    predicted: dict[str, str] = {}
    start = time.perf_counter()
    for row, article in zip(rows, articles, strict=True):
        if article is None:  # nothing to cluster: a story of its own
            predicted[row["id"]] = f"unextracted:{row['id']}"
            continue
        predicted[row["id"]] = clusterer.assign(article, detector.links(article)).story_id
        if second_look and len(predicted) % settings.batch_size == 0:  # as ingest, after each chunk
            clusterer.refine()
    if second_look:
        clusterer.refine()
    elapsed = time.perf_counter() - start
    # where each article's story ended up (merges and second looks moved some)
    by_id = {
        row["id"]: article.id for row, article in zip(rows, articles, strict=True) if article is not None
    }
    predicted = {
        item: clusterer.story_of(by_id[item]) or story if item in by_id else story
        for item, story in predicted.items()
    }
    gold = {row["id"]: row["story"] for row in rows}
    precision, recall, f1 = bcubed(predicted, gold)
    return {
        "threshold": threshold,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "stories": len(set(predicted.values())),
        "gold_stories": len(set(gold.values())),
        "documents": len(rows),
        "unextracted": sum(a is None for a in articles),
        "mixed_topics": mixed_topics(rows, predicted),
        "docs_per_s": len(rows) / elapsed if elapsed else 0.0,
    }


def mixed_topics(rows: list[dict[str, Any]], predicted: dict[str, str]) -> list[int]:
    """Topics whose two look-alike events share a predicted story (where event precision is lost)."""
    events_in: dict[str, set[tuple[int, str]]] = {}
    for row in rows:
        events_in.setdefault(predicted[row["id"]], set()).add((row["topic"], row["story"]))
    return sorted({topic for events in events_in.values() if len(events) > 1 for topic, _ in events})


def baselines(rows: list[dict[str, Any]], articles: list[Article | None]) -> dict[str, dict[str, Any]]:
    """The peers' rules on the same documents, in the same order (ECB+ has no times)."""
    gold = {row["id"]: row["story"] for row in rows}
    items = [
        StreamItem(row["id"], row["title"], article.text if article else row["text"], None)
        for row, article in zip(rows, articles, strict=True)
    ]

    def scores(predicted: dict[str, str]) -> dict[str, Any]:
        precision, recall, f1 = bcubed(predicted, gold)
        return {"precision": precision, "recall": recall, "f1": f1, "stories": len(set(predicted.values()))}

    best, cut = agglomerative(items, lambda p: bcubed(p, gold)[2])
    return {
        "newsblur": scores(newsblur(items)),
        "ttrss_trigram": scores(ttrss(items)),
        "tfidf_agglomerative": scores(best) | {"threshold": cut},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED_DATA / "ecbplus" / "ecbplus_dev.jsonl")
    parser.add_argument("--split", choices=["all", "tune", "heldout"], default="all")
    parser.add_argument("--threshold", type=float, default=Settings().story_threshold)
    parser.add_argument("--sweep", action="store_true", help="score thresholds 0.10 … 0.60 in steps of 0.02")
    parser.add_argument("--no-baselines", action="store_true", help="newsfold only")
    parser.add_argument("--ablate", action="store_true", help="turn each signal off in turn")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    rows = load(args.data, args.split)
    articles = extract_all(rows)
    thresholds = [round(0.10 + 0.02 * i, 2) for i in range(26)] if args.sweep else [args.threshold]
    if args.ablate:
        ablated = {name: cluster(rows, articles, args.threshold, **o) for name, o in ABLATIONS.items()}
        if args.json:
            print(json.dumps(ablated, indent=2))
            return
        print(f"ECB+ dev, split {args.split}, threshold {args.threshold}: each signal off in turn")
        for name, r in ablated.items():
            print(
                f"{name:<30} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}  ({r['stories']} stories)"
            )
        return
    results = [cluster(rows, articles, t) for t in thresholds]
    peers = {} if args.no_baselines else baselines(rows, articles)
    if args.json:
        print(json.dumps({"newsfold": results if args.sweep else results[0], "baselines": peers}, indent=2))
        return
    print(f"ECB+ dev, split {args.split}: {len(rows)} documents, {results[0]['gold_stories']} gold stories")
    topics = len({row["topic"] for row in rows})
    for r in results:
        mixed = r["mixed_topics"]
        print(
            f"threshold {r['threshold']:.2f}: {len(mixed)} of {topics} topics have events sharing a story {mixed}"
        )
    print(f"{'system':<22}{'threshold':>9} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'stories':>7} {'docs/s':>7}")
    for r in results:
        print(
            f"{'newsfold':<22}{r['threshold']:9.2f} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} {r['stories']:7d} {r['docs_per_s']:7.1f}"
        )
    for name, p in peers.items():
        cut = f"{p['threshold']:9.3f}" if "threshold" in p else f"{'':9}"
        print(f"{name:<22}{cut} {p['precision']:6.3f} {p['recall']:6.3f} {p['f1']:6.3f} {p['stories']:7d}")


if __name__ == "__main__":
    main()
