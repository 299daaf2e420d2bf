"""The seeds stay one story of their own when ingested among the demo corpus and all of ECB+.

Five reports of one event, and 700-odd other articles (other events, some on look-alike topics)
arriving around them: the seeds must neither split nor absorb anything.
"""

from __future__ import annotations

import json
from pathlib import Path

from eval.stories_ecbplus import raw_document

from newsfold.cli import demo_corpus
from newsfold.model import RawDocument
from newsfold.pipeline import Engine
from newsfold.store import open_store
from tests.conftest import shared_path


def _ecbplus_documents(path: Path) -> list[RawDocument]:
    return [raw_document(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_seeds_are_one_story_and_only_theirs_among_demo_and_ecbplus(tmp_path: Path) -> None:
    seeds = shared_path("seeds").resolve()  # stored origins are resolved paths
    ecbplus = shared_path("data", "ecbplus", "ecbplus_dev.jsonl")
    with open_store(f"sqlite:///{tmp_path / 'crowd.db'}") as store:
        engine = Engine(store)
        engine.ingest_paths([demo_corpus()])
        assert engine.ingest_paths([seeds]).new == 5
        # after the seeds, so a seed story that attracted other events' articles would show
        engine.ingest_documents(_ecbplus_documents(ecbplus))
        seed_stories = {
            story_id for article, story_id in store.iter_articles() if Path(article.origin).parent == seeds
        }
        assert len(seed_stories) == 1
        [story_id] = seed_stories
        members = store.story_article_ids([story_id])[story_id]
        assert len(members) == 5
