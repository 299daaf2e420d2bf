"""Copy classification on the synthetic reuse benchmark built from ECB+ (:mod:`eval.reuse_variants`).

Every real ECB+ dev article and every generated variant is streamed, in order, through one
:class:`~newsfold.copies.CopyDetector` (so candidates come from its indexes, as in production,
with all the other articles competing), after the same extraction as ``newsfold ingest``.  Each
labelled pair is then predicted as duplicate (newsfold's duplicate and near-duplicate), wire copy,
rewrite or unrelated, and scored per class with precision, recall, F1 and a confusion matrix.

Side by side, on the same pairs and the same extracted texts, the rules peers publish:

* **Feedly**: more than 85 % content overlap is a duplicate (overlap taken as the Jaccard
  similarity of word 3-shingle sets); everything else unrelated.
* **NewsBlur**: title overlap coefficient (shared words / words of the shorter title) of 0.6 or
  more is a duplicate; everything else unrelated.

Neither rule has a wire-copy or rewrite class, so their recall there is zero by construction; the
comparison that tells is on duplicate and unrelated.

    python -m eval.copies_reuse [--bases N] [--json] [--errors K]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from eval._common import SHARED_DATA
from eval.metrics import per_class
from eval.reuse_variants import LABELS, Doc, Pair, build
from eval.stories_ecbplus import load
from newsfold.copies import CopyDetector
from newsfold.extract import extract
from newsfold.model import Article, CopyKind, DocumentKind, RawDocument

DATA = SHARED_DATA / "ecbplus" / "ecbplus_dev.jsonl"
T0 = datetime(2024, 1, 1, tzinfo=UTC)
FEEDLY_OVERLAP = 0.85
NEWSBLUR_TITLE_OVERLAP = 0.6
_KIND_LABEL = {
    CopyKind.DUPLICATE: "duplicate",
    CopyKind.NEAR_DUPLICATE: "duplicate",
    CopyKind.WIRE_COPY: "wire_copy",
    CopyKind.REWRITE: "rewrite",
}
_WORD = re.compile(r"\w+")


def to_article(doc: Doc, position: int) -> Article | None:
    """Extract ``doc`` the way ingest would; None when extraction refuses it."""
    if doc.html is not None:
        raw = RawDocument(f"reuse:{doc.id}", doc.html.encode("utf-8"), DocumentKind.HTML, encoding="utf-8")
    else:
        raw = RawDocument(
            f"reuse:{doc.id}", doc.text.encode("utf-8"), DocumentKind.TEXT, title=doc.title, encoding="utf-8"
        )
    raw.url = f"https://reuse.example/{doc.id}"
    raw.published = T0 + timedelta(minutes=position)
    article = extract(raw, min_text_chars=0)
    return article if isinstance(article, Article) else None


def newsfold_predictions(articles: dict[str, Article]) -> dict[frozenset[str], str]:
    """Stream every article through one detector; the label of each linked pair."""
    detector = CopyDetector()
    found: dict[frozenset[str], str] = {}
    for article in articles.values():
        for link in detector.links(article):
            found[frozenset((link.article_id, link.original_id))] = _KIND_LABEL[link.kind]
    return found


def _shingles(text: str, width: int = 3) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    return {tuple(words[i : i + width]) for i in range(max(1, len(words) - width + 1))}


def feedly(a: Article, b: Article) -> str:
    left, right = _shingles(a.text), _shingles(b.text)
    union = len(left | right)
    return "duplicate" if union and len(left & right) / union > FEEDLY_OVERLAP else "unrelated"


def newsblur(a: Article, b: Article) -> str:
    left, right = set(_WORD.findall(a.title.casefold())), set(_WORD.findall(b.title.casefold()))
    smaller = min(len(left), len(right))
    overlap = len(left & right) / smaller if smaller else 0.0
    return "duplicate" if overlap >= NEWSBLUR_TITLE_OVERLAP else "unrelated"


def evaluate(rows: list[dict[str, Any]], bases: int | None = None, errors: int = 0) -> dict[str, Any]:
    started = time.perf_counter()
    docs, pairs = build(rows, bases=bases)
    articles: dict[str, Article] = {}
    ids: dict[str, str] = {}
    for position, doc in enumerate(docs):
        article = to_article(doc, position)
        if article is not None:
            articles[article.id] = article
            ids[doc.id] = article.id
    scored: list[tuple[Pair, Article, Article]] = [
        (pair, articles[ids[pair.base]], articles[ids[pair.variant]])
        for pair in pairs
        if pair.base in ids and pair.variant in ids
    ]
    linked = newsfold_predictions(articles)
    elapsed = time.perf_counter() - started
    gold = [pair.label for pair, _, _ in scored]
    systems = {
        "newsfold": [linked.get(frozenset((a.id, b.id)), "unrelated") for _, a, b in scored],
        "feedly_85": [feedly(a, b) for _, a, b in scored],
        "newsblur_title": [newsblur(a, b) for _, a, b in scored],
    }
    by_variant: dict[str, Counter[str]] = {}
    for (pair, _, _), predicted in zip(scored, systems["newsfold"], strict=True):
        by_variant.setdefault(pair.kind, Counter())[predicted] += 1
    result: dict[str, Any] = {
        "pairs": len(scored),
        "documents": len(articles),
        "lost_in_extraction": len(pairs) - len(scored),
        "gold": dict(Counter(gold)),
        "seconds": round(elapsed, 1),
        "systems": {name: per_class(gold, predicted, LABELS) for name, predicted in systems.items()},
        "newsfold_by_variant": {kind: dict(counts) for kind, counts in sorted(by_variant.items())},
    }
    if errors:
        wrong = [
            (pair, predicted)
            for (pair, _, _), predicted in zip(scored, systems["newsfold"], strict=True)
            if predicted != pair.label
        ]
        result["errors"] = [
            {"base": p.base, "variant": p.variant, "kind": p.kind, "gold": p.label, "predicted": predicted}
            for p, predicted in wrong[:errors]
        ]
    return result


def _print(result: dict[str, Any]) -> None:
    print(
        f"{result['pairs']} labelled pairs over {result['documents']} documents "
        f"(gold: {result['gold']}; {result['lost_in_extraction']} lost in extraction); "
        f"{result['seconds']} s for newsfold"
    )
    print()
    print(f"{'system':<16}{'class':<11}{'P':>7}{'R':>7}{'F1':>7}{'support':>9}")
    for name, scores in result["systems"].items():
        for label in LABELS:
            s = scores["classes"][label]
            print(
                f"{name:<16}{label:<11}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}{s['support']:>9}"
            )
        print(f"{name:<16}{'macro F1':<11}{'':>14}{scores['macro_f1']:>7.3f}")
        print()
    matrix = result["systems"]["newsfold"]["confusion"]
    print("newsfold confusion (rows gold, columns predicted)")
    print(f"{'':<11}" + "".join(f"{label:>11}" for label in LABELS))
    for label in LABELS:
        print(f"{label:<11}" + "".join(f"{matrix[label][other]:>11}" for other in LABELS))
    print()
    print("newsfold by variant")
    for kind, counts in result["newsfold_by_variant"].items():
        print(f"  {kind:<12}" + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    for error in result.get("errors", []):
        print("  error:", error)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--bases", type=int, default=None, help="give variants to the first N eligible articles"
    )
    parser.add_argument("--errors", type=int, default=0, help="list up to K misclassified pairs")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = evaluate(load(DATA, "all"), bases=args.bases, errors=args.errors)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        _print(result)


if __name__ == "__main__":
    main()
