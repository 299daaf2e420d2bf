"""The store (SQLite, and PostgreSQL where a server answers): migrations, round-trips, atomic batches, and surviving a killed ingest."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfold.model import (
    AlignedSpan,
    CopyKind,
    CopyLink,
    RemovedText,
    StoryAssignment,
    StoryMerge,
    StoryMove,
    StorySplit,
)
from newsfold.store import Batch, open_store
from newsfold.store.schema import MIGRATIONS
from tests.conftest import make_article

T0 = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)


def _assignment(article_id: str, story: str) -> StoryAssignment:
    return StoryAssignment(article_id, story, 0.5, False, "similar")


def test_migrations_run_once(store_url: str) -> None:
    with open_store(store_url) as store:
        assert store.schema_version == len(MIGRATIONS)
    with open_store(store_url) as store:
        assert store.schema_version == len(MIGRATIONS)
        with store.engine.connect() as connection:
            rows = connection.execute(sa.text("select version from schema_migrations order by version")).all()
    assert [tuple(r) for r in rows] == [(v,) for v in range(1, len(MIGRATIONS) + 1)]


def test_article_round_trip_and_story_listing(store_url: str) -> None:
    with open_store(store_url) as store:
        old = make_article(
            ["An older article about the harbour strike in Port Elsa."],
            url="https://a.example/1",
            published=T0,
        )
        old.removed = [RemovedText("Follow us", "follow line")]
        new = make_article(
            ["A newer article about a wildfire."], url="https://b.example/2", published=T0 + timedelta(days=1)
        )
        batch = Batch([(old, _assignment(old.id, "s1")), (new, _assignment(new.id, "s2"))])
        span = AlignedSpan("The shared sentence.", "The shared sentence!", 1.0, verbatim=True)
        link = CopyLink(new.id, old.id, CopyKind.WIRE_COPY, 0.4, (span,), copy_share=1.0, original_share=0.5)
        batch.links.append(link)
        store.save(batch)
        assert store.article(old.id) == old
        assert store.articles([new.id, "missing", old.id]) == [new, old]  # in the order asked
        assert list(store.iter_copy_links()) == [link]
        assert [s.id for s in store.stories()] == ["s2", "s1"]
        summary, members = store.story("s2") or (None, [])
        assert summary is not None
        assert members[0].relation == f"wire_copy of {old.id}"
        assert store.story("s1") is not None
        assert store.story("s1")[1][0].relation == "original"  # type: ignore[index]


def test_merged_stories_move_their_articles_and_their_ids_keep_resolving(store_url: str) -> None:
    url = store_url
    with open_store(url) as store:
        first, second, third = (
            make_article([f"Report number {n} about the Kovar mine flood."], url=f"https://a.example/{n}")
            for n in range(3)
        )
        store.save(Batch([(first, _assignment(first.id, "sA")), (second, _assignment(second.id, "sB"))]))
        # in one batch: a new article joins sC, then sA merges into sB and sB into sC
        batch = Batch([(third, _assignment(third.id, "sC"))])
        batch.merges = [StoryMerge("sB", "sA", 0.8, "bridged"), StoryMerge("sC", "sB", 0.75, "bridged")]
        store.save(batch)
    with open_store(url) as store:  # survives a restart
        assert [s.id for s in store.stories()] == ["sC"]
        assert store.stories()[0].article_count == 3
        for old_id in ("sA", "sB", "sC"):
            assert store.resolve_story(old_id) == "sC"
            found = store.story(old_id)
            assert found is not None
            assert found[0].id == "sC"
        assert store.resolve_story("nope") == "nope"
        assert store.story("nope") is None


def test_a_moved_article_changes_story_and_an_emptied_story_resolves(store_url: str) -> None:
    with open_store(store_url) as store:
        one, two, stray = (
            make_article([f"Report {n} about the Port Elsa strike."], url=f"https://a.example/{n}")
            for n in range(3)
        )
        store.save(
            Batch(
                [
                    (one, _assignment(one.id, "sA")),
                    (two, _assignment(two.id, "sA")),
                    (stray, _assignment(stray.id, "sS")),
                ]
            )
        )
        batch = Batch()
        batch.moves = [StoryMove(stray.id, "sS", "sA", 0.42, "fits sA better (0.420)")]
        batch.merges = [StoryMerge("sA", "sS", 0.42, "its last article moved")]
        store.save(batch)
        assert [(s.id, s.article_count) for s in store.stories()] == [("sA", 3)]
        found = store.story("sS")
        assert found is not None
        assert found[0].id == "sA"
        moved = next(m for m in found[1] if m.article_id == stray.id)
        assert moved.reason == "fits sA better (0.420)"


def test_splits_and_merges_are_kept_for_the_clusterer_to_replay_after_a_restart(store_url: str) -> None:
    reports = [
        make_article([f"Report {n} of the Brand title fights."], url=f"https://b.example/{n}")
        for n in range(3)
    ]
    with open_store(store_url) as store:
        store.save(Batch([(r, _assignment(r.id, "sA")) for r in reports]))
        split = StorySplit("sA", "sB", 0.72, "split from sA: two events (normalised cut 0.72)")
        batch = Batch()
        batch.moves = [StoryMove(reports[2].id, "sA", "sB", 0.72, split.reason)]
        batch.splits = [split]
        store.save(batch)
        assert sorted(s.article_count for s in store.stories()) == [1, 2]
        assert [(s.id, s.article_count) for s in store.story_summaries(["sB", "nope", "sA"])] == [
            ("sB", 1),
            ("sA", 2),
        ]
        brief = make_article(["A stray brief."], url="https://b.example/x")
        store.save(Batch([(brief, _assignment(brief.id, "sX"))]))
        gone = Batch()
        gone.merges = [StoryMerge("sA", "sX", 0.3, "a small story that fits it (0.30)")]
        store.save(gone)
    with open_store(store_url) as store:
        assert list(store.iter_story_splits()) == [split]
        assert list(store.iter_story_merges()) == [
            StoryMerge("sA", "sX", 0.3, "a small story that fits it (0.30)")
        ]
        # the same pair split again (never twice in one run) replaces the row rather than failing the batch
        again = Batch()
        again.splits = [split]
        store.save(again)
        assert list(store.iter_story_splits()) == [split]


def test_a_failed_batch_writes_nothing(store_url: str) -> None:
    with open_store(store_url) as store:
        good = make_article(["A fine article."], url="https://a.example/1")
        broken = make_article(["Another."], url="https://a.example/2")
        broken.authors = [object()]  # type: ignore[list-item]  # not JSON-serialisable: the insert fails
        with pytest.raises(Exception):  # noqa: B017, PT011 - whatever the driver raises
            store.save(Batch([(good, _assignment(good.id, "s1")), (broken, _assignment(broken.id, "s1"))]))
        assert store.article_count() == 0
        assert store.stories() == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    paragraphs=st.lists(st.text(min_size=1, max_size=100), min_size=1, max_size=4),
    title=st.text(min_size=1, max_size=50),
    authors=st.lists(st.text(max_size=20), max_size=3),
)
def test_any_article_round_trips(
    tmp_path: Path, paragraphs: list[str], title: str, authors: list[str]
) -> None:
    article = make_article(paragraphs, title=title, url=f"https://x.example/{len(paragraphs)}")
    article.authors = authors
    with open_store("sqlite:///:memory:") as store:
        store.save(Batch([(article, _assignment(article.id, "s"))]))
        assert store.article(article.id) == article


def test_killed_ingest_leaves_a_sound_store_and_a_rerun_completes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(1500):
        (folder / f"{i:04}.txt").write_text(
            f"Headline number {i} about the town of Varn{i}\n\n"
            f"The council of Varn{i} voted on measure {i} on Tuesday, the mayor's office said in a statement. "
            f"Residents of Varn{i} had asked for the vote for {i % 12 + 2} years, according to local records.",
            encoding="utf-8",
        )
    db = tmp_path / "n.db"
    env = {**os.environ, "NEWSFOLD_BATCH_SIZE": "25"}
    command = [sys.executable, "-m", "newsfold", "--db", str(db), "ingest", "-q", str(folder)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
        if db.exists():
            try:
                stored = sqlite3.connect(db).execute("select count(*) from articles").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if stored >= 100:
                break
    if process.poll() is not None:
        pytest.fail("ingest finished before it could be killed; make the input larger")
    process.send_signal(signal.SIGKILL)
    process.wait()
    connection = sqlite3.connect(db)
    assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"
    partial = connection.execute("select count(*) from articles").fetchone()[0]
    assert partial % 25 == 0, "a batch is written whole or not at all"
    orphans = connection.execute(
        "select count(*) from articles a left join stories s on s.id = a.story_id where s.id is null"
    ).fetchone()[0]
    assert orphans == 0
    connection.close()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    final = sqlite3.connect(db).execute("select count(*) from articles").fetchone()[0]
    assert final == 1500


def test_recent_stories_reads_in_bulk_what_story_reads_one_by_one(demo_url: str) -> None:
    with open_store(demo_url) as store:
        bulk = store.recent_stories(500)
        assert any(" of " in m.relation for _, members in bulk for m in members)  # the demo has copies
        assert bulk == [store.story(summary.id) for summary in store.stories(limit=500)]
