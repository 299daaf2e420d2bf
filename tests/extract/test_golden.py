"""Golden files for what people read: the cleaned form of a few demo articles.

A change in extraction that alters any of these shows up as a readable diff.  Regenerate on
purpose with ``NEWSFOLD_REGENERATE_GOLDEN=1 pytest tests/extract/test_golden.py`` and review it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newsfold.cli import demo_corpus
from newsfold.extract import extract
from newsfold.ingest import read_path
from newsfold.model import Article

GOLDEN = Path(__file__).parent / "golden"
FILES = [
    "a-01-pulse-aggregator.txt",
    "b-03-ledger-vault.html",
    "b-05-daily-compass.txt",
    "a-01-brightwater-times.html.gz",
]


def _readable(article: Article) -> dict[str, object]:
    return {
        "title": article.title,
        "outlet": article.outlet,
        "authors": article.authors,
        "published": article.published.isoformat() if article.published else None,
        "dateline": article.dateline,
        "paragraphs": article.paragraphs,
        "removed": [{"reason": r.reason, "text": r.text} for r in article.removed],
    }


@pytest.mark.parametrize("name", FILES)
def test_cleaned_article_matches_golden(name: str) -> None:
    (raw,) = list(read_path(demo_corpus() / name, 10_000_000))
    article = extract(raw)
    assert isinstance(article, Article)
    got = json.dumps(_readable(article), indent=2, ensure_ascii=False) + "\n"
    golden = GOLDEN / f"{name.split('.')[0]}.json"
    if os.environ.get("NEWSFOLD_REGENERATE_GOLDEN"):
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")
