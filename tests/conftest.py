"""Shared fixtures: paths to ../shared data (skipping cleanly without it), article builders and a
loopback HTTP server for live-source tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsfold.model import Article, RemovedText, article_id, text_hash
from tests.ingest.server import TestServer

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a skip saying what is missing (CI has it; a bare checkout may not)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (real data lives in ../shared, beside the repository)")
    return path


@pytest.fixture
def seeds_dir() -> Path:
    return shared_path("seeds")


def make_article(
    paragraphs: list[str],
    *,
    title: str = "A headline",
    url: str | None = None,
    outlet: str | None = None,
    published: datetime | None = None,
) -> Article:
    body = "\n\n".join(paragraphs)
    digest = text_hash(body)
    return Article(
        id=article_id(url, url or digest),
        origin=url or "test",
        title=title,
        paragraphs=paragraphs,
        url=url,
        outlet=outlet,
        published=published or datetime(2025, 3, 4, 9, 0, tzinfo=UTC),
        text_hash=digest,
    )


def story_article(
    ident: str, outlet: str, paragraphs: list[str], *, published: datetime, captions: tuple[str, ...] = ()
) -> Article:
    """A story member with the id, outlet and time a synthesis test names it by (its headline is
    its first words; ``captions`` are what extraction removed as photo captions)."""
    return Article(
        ident,
        f"{ident}.txt",
        paragraphs[0][:40],
        list(paragraphs),
        outlet=outlet,
        published=published,
        removed=[RemovedText(text, "caption") for text in captions],
    )


@pytest.fixture
def web() -> Iterator[TestServer]:
    """A fresh HTTP server on 127.0.0.1 with no routes (every path 404s until a test adds one)."""
    server = TestServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus ingested once per test process; never opened by a test, only copied."""
    from newsfold.cli import demo_corpus
    from newsfold.pipeline import Engine
    from newsfold.store import open_store

    path = tmp_path_factory.mktemp("demo") / "demo-template.db"
    with open_store(f"sqlite:///{path}") as store:
        Engine(store).ingest_paths([demo_corpus()])
    return path


@pytest.fixture
def demo_url(demo_template: Path, tmp_path: Path) -> str:
    """A private copy of the demo store, for a test that writes to it."""
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    return f"sqlite:///{path}"
