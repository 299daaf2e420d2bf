"""The bundled demo corpus against its gold labels: cleaning, copies and stories, with pinned floors."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from eval.metrics import bcubed

from newsfold.cli import cli, demo_corpus
from newsfold.extract import extract
from newsfold.ingest import read_path
from newsfold.model import Article, RawDocument
from newsfold.pipeline import Engine
from newsfold.store import open_store

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text())
GOLD_DIR = demo_corpus().parent / "gold"


def gold_documents() -> list[dict[str, Any]]:
    return [
        doc for path in sorted(GOLD_DIR.glob("*.json")) for doc in json.loads(path.read_text())["documents"]
    ]


def _origin(doc: dict[str, Any]) -> str:
    file, _, line = doc["file"].partition("#")
    path = str(demo_corpus() / file)
    return f"{path}#{line}" if line else path


@cache
def extracted() -> dict[str, Article]:
    out: dict[str, Article] = {}
    for path in sorted(p for p in demo_corpus().iterdir() if p.is_file()):
        for raw in read_path(path, 10_000_000):
            if isinstance(raw, RawDocument):
                article = extract(raw)
                if isinstance(article, Article):
                    out[raw.origin] = article
    return out


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_corpus_is_big_enough() -> None:
    docs = gold_documents()
    events = {d["event"] for d in docs if d["relation"] != "single"}
    assert len(events) >= 12
    sizes = [sum(d["event"] == e for d in docs) for e in events]
    assert min(sizes) >= 2
    assert max(sizes) <= 8
    relations = {d["relation"] for d in docs}
    assert {"original", "wire_copy", "rewrite", "independent", "single"} <= relations
    assert any(d["file"].endswith(".html") for d in docs)
    assert any(d["file"].endswith(".gz") for d in docs)


def test_every_gold_document_is_extracted() -> None:
    articles = extracted()
    missing = [d["file"] for d in gold_documents() if _origin(d) not in articles]
    assert not missing


def _cleaning_checks() -> Iterator[tuple[str, str, bool]]:
    articles = extracted()
    for doc in gold_documents():
        article = articles[_origin(doc)]
        text = _norm(article.text)
        for fragment in doc["boilerplate"]:
            # "Most read" lists may repeat the page's own headline: the title itself is no leak.
            leaked = _norm(fragment) in text or (
                _norm(fragment) in article.title and fragment != doc["title"]
            )
            yield "boilerplate", f"{doc['file']}: {fragment[:60]!r}", not leaked
        for sentence in doc["must_keep"]:
            yield "keep", f"{doc['file']}: {sentence[:60]!r}", _norm(sentence) in _norm(article.text)


def test_boilerplate_removed_and_reporting_kept() -> None:
    checks = list(_cleaning_checks())
    removed = [ok for kind, _, ok in checks if kind == "boilerplate"]
    kept = [ok for kind, _, ok in checks if kind == "keep"]
    failures = "\n".join(f"{kind}: {what}" for kind, what, ok in checks if not ok)
    assert sum(removed) / len(removed) >= FLOORS["demo_boilerplate_removed"], failures
    assert sum(kept) / len(kept) >= FLOORS["demo_sentences_kept"], failures
    print(f"boilerplate removed {sum(removed)}/{len(removed)}, sentences kept {sum(kept)}/{len(kept)}")


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}")
    Engine(store).ingest_paths([demo_corpus()])
    yield store
    store.close()


def _stored_by_origin(store: Any) -> dict[str, tuple[Article, str | None]]:
    return {article.origin: (article, story) for article, story in store.iter_articles()}


def test_stories_match_gold_events(demo_store: Any) -> None:
    stored = _stored_by_origin(demo_store)
    docs = gold_documents()
    predicted = {_origin(d): stored[_origin(d)][1] or "" for d in docs}
    gold = {_origin(d): d["event"] for d in docs}
    precision, recall, f1 = bcubed(predicted, gold)
    print(f"demo B-cubed P={precision:.3f} R={recall:.3f} F1={f1:.3f}")
    assert f1 >= FLOORS["demo_story_bcubed_f1"]


def test_copies_are_linked_to_their_original(demo_store: Any) -> None:
    stored = _stored_by_origin(demo_store)
    docs = [d for d in gold_documents() if d["relation"] in {"wire_copy", "edited_copy"}]
    linked = directed = 0
    for doc in docs:
        copy = stored[_origin(doc)][0]
        original = stored[_origin({"file": doc["copy_of"]})][0]
        pairs = {(link.article_id, link.original_id) for link in demo_store.copy_links([copy.id])}
        linked += (copy.id, original.id) in pairs or (original.id, copy.id) in pairs
        directed += (copy.id, original.id) in pairs
    print(f"copy pairs linked {linked}/{len(docs)}, pointing at the right original {directed}/{len(docs)}")
    assert linked / len(docs) >= FLOORS["demo_copy_pairs_linked"]
    assert directed / len(docs) >= FLOORS["demo_copy_direction"]


def test_demo_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "d.db"), "demo", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["ingest"]["skipped"] == []
    assert len(data["stories"]) >= 12


def test_gzipped_html_reads(tmp_path: Path) -> None:
    page = next(demo_corpus().glob("*.html.gz"))
    assert gzip.decompress(page.read_bytes()).lstrip().lower().startswith((b"<!doctype", b"<html"))


def test_rewrites_are_found_and_independent_reports_stay_unlinked(demo_store: Any) -> None:
    stored = _stored_by_origin(demo_store)
    rewrites = [d for d in gold_documents() if d["relation"] == "rewrite"]
    found = 0
    for doc in rewrites:
        copy = stored[_origin(doc)][0]
        original = stored[_origin({"file": doc["copy_of"]})][0]
        kinds = {
            link.kind.value
            for link in demo_store.copy_links([copy.id])
            if {link.article_id, link.original_id} == {copy.id, original.id}
        }
        found += kinds == {"rewrite"}
    independent = [stored[_origin(d)][0] for d in gold_documents() if d["relation"] == "independent"]
    linked = [
        a.origin
        for a in independent
        if any(link.article_id == a.id for link in demo_store.copy_links([a.id]))
    ]
    print(f"rewrites found {found}/{len(rewrites)}; independent reports linked as copies: {linked}")
    assert found / len(rewrites) >= FLOORS["demo_rewrites_found"]
    assert linked == []
