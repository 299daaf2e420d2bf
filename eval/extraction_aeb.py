"""Main-text extraction quality on the Scrapinghub article-extraction-benchmark (181 news pages).

For every page, newsfold's extraction (trafilatura plus newsfold's boilerplate rules) and
trafilatura alone (the baseline, same run, same options) are compared with the benchmark's
``articleBody``.  The ground truth holds the body without the headline, so the headline is left
out of both predictions; newsfold's dateline, which it keeps in a field of its own, is put back
in front of the text because the ground truth keeps it.

Scores, per document and then averaged over documents as the benchmark's own ``evaluate.py`` does
(counts normalised per document so long pages do not weigh more):

* ``token``: multiset overlap of ``\\w+`` tokens (token-level P/R/F1);
* ``shingle``: the benchmark's headline metric, the same on 4-token shingles.

Speed is docs/s over the extraction calls alone (files are read beforehand).

    python -m eval.extraction_aeb [--data DIR] [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

from eval._common import SHARED_DATA, require
from newsfold.extract import extract
from newsfold.model import Article, DocumentKind, RawDocument

_TOKEN = re.compile(r"\w+")


def _counts(text: str, n: int) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def overlap(true: str, pred: str, n: int) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of ``n``-token shingles for one document."""
    t, p = _counts(true, n), _counts(pred, n)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def scores(rows: list[tuple[float, float, float]]) -> dict[str, float]:
    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (tp / (tp + fp) if tp + fp else 0.0)

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (tp / (tp + fn) if tp + fn else 0.0)

    p = statistics.mean(precision(*r) for r in rows if r[0] + r[1] > 0)
    r = statistics.mean(recall(*r) for r in rows if r[0] + r[2] > 0)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def newsfold_text(html: bytes, url: str | None) -> str:
    article = extract(
        RawDocument(origin=url or "page", body=html, kind=DocumentKind.HTML, url=url), min_text_chars=0
    )
    if not isinstance(article, Article):
        return ""
    return f"{article.dateline} — {article.text}" if article.dateline else article.text


def trafilatura_text(html: bytes, url: str | None) -> str:
    return trafilatura.extract(html, url=url, include_comments=False, include_tables=False) or ""


SYSTEMS: dict[str, Callable[[bytes, str | None], str]] = {
    "newsfold": newsfold_text,
    "trafilatura": trafilatura_text,
}


def evaluate(data: Path, limit: int | None = None) -> dict[str, dict[str, float]]:
    truth = json.loads((require(data) / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for path in sorted((data / "html").glob("*.html.gz"))[:limit]:
        key = path.name.removesuffix(".html.gz")
        pages.append((gzip.decompress(path.read_bytes()), truth[key]["url"], truth[key]["articleBody"]))
    results: dict[str, dict[str, float]] = {}
    for name, system in SYSTEMS.items():
        start = time.perf_counter()
        predictions = [system(html, url) for html, url, _ in pages]
        elapsed = time.perf_counter() - start
        token = scores(
            [overlap(true, pred, 1) for (_, _, true), pred in zip(pages, predictions, strict=True)]
        )
        shingle = scores(
            [overlap(true, pred, 4) for (_, _, true), pred in zip(pages, predictions, strict=True)]
        )
        results[name] = {
            **{f"token_{k}": v for k, v in token.items()},
            **{f"shingle_{k}": v for k, v in shingle.items()},
            "docs_per_s": len(pages) / elapsed,
            "documents": len(pages),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED_DATA / "article-extraction-benchmark")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    results = evaluate(args.data, args.limit)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    n = next(iter(results.values()))["documents"]
    print(f"article-extraction-benchmark, {n:.0f} pages")
    print(
        f"{'system':<12} {'tok P':>6} {'tok R':>6} {'tok F1':>6}  {'4sh P':>6} {'4sh R':>6} {'4sh F1':>6}  {'docs/s':>7}"
    )
    for name, r in results.items():
        print(
            f"{name:<12} {r['token_precision']:6.3f} {r['token_recall']:6.3f} {r['token_f1']:6.3f}  "
            f"{r['shingle_precision']:6.3f} {r['shingle_recall']:6.3f} {r['shingle_f1']:6.3f}  {r['docs_per_s']:7.1f}"
        )


if __name__ == "__main__":
    main()
