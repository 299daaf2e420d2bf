"""Shared fixtures: paths to ../shared data (skipping cleanly without it), article builders and a
loopback HTTP server for live-source tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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


def what_readers_see(folder: Path, url: str) -> dict[str, Any]:
    """``folder`` ingested into the store at ``url``: what readers see of it (stories, each member's
    relation, copy links), with article ids replaced by the file each article came from (ids
    follow where the files lay; nothing else may, nor may the backend)."""
    from newsfold.pipeline import Engine
    from newsfold.store import open_store

    with open_store(url) as store:
        Engine(store).ingest_paths([folder])
        name = {article.id: Path(article.origin).name for article, _ in store.iter_articles()}

        def named(text: str) -> str:
            for article_id, file_name in name.items():
                text = text.replace(article_id, file_name)
            return text

        stories, relations = [], {}
        for summary in store.stories():
            found = store.story(summary.id)
            assert found is not None
            stories.append(sorted(name[m.article_id] for m in found[1]))
            relations.update({name[m.article_id]: named(m.relation) for m in found[1]})
        links = sorted(
            (name[link.article_id], link.kind.value, name[link.original_id], link.score)
            for link in store.iter_copy_links()
        )
    return {"stories": sorted(stories), "relations": relations, "links": links}


# Two title defences by one boxer, four years apart: the same topic words, other opponents and cities.
DEFENCE_SOL = [
    (
        "Ivo Brand stops Marek Sol in Hamburg",
        "Ivo Brand retained his heavyweight title on Saturday, stopping challenger Marek Sol in the "
        "seventh round in front of 40,000 fans at the Hamburg arena.",
    ),
    (
        "Brand too strong for Sol",
        "Marek Sol was knocked down twice before the referee stopped the Hamburg fight, and Ivo Brand "
        "kept the heavyweight belts he has held since the spring.",
    ),
    (
        "Sol beaten in seven rounds",
        "A bruised Marek Sol said in Hamburg that Ivo Brand's left hook was the hardest punch of his "
        "career after losing the heavyweight title fight in the seventh.",
    ),
    (
        "Hamburg crowd cheers Brand win over Sol",
        "Ivo Brand's promoter said after the Hamburg win over Marek Sol that a rematch would not "
        "happen this year, as the champion's heavyweight title stays his.",
    ),
]
DEFENCE_REYES = [
    (
        "Ivo Brand stops Tom Reyes in Bern",
        "Ivo Brand retained his heavyweight title on Saturday, stopping challenger Tom Reyes in the "
        "sixth round in front of 18,000 fans at the Bern stadium.",
    ),
    (
        "Brand too strong for Reyes",
        "Tom Reyes was knocked down three times before the referee stopped the Bern fight, and Ivo "
        "Brand kept the heavyweight belts for a fourteenth defence.",
    ),
    (
        "Reyes beaten in six rounds",
        "A bruised Tom Reyes said in Bern that Ivo Brand's jab had kept him from ever getting close "
        "after losing the heavyweight title fight in the sixth.",
    ),
    (
        "Bern crowd cheers Brand win over Reyes",
        "Ivo Brand's trainer said after the Bern win over Tom Reyes that the champion would defend the "
        "heavyweight title again in the autumn.",
    ),
]
