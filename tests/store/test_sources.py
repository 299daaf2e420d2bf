"""Live sources in the store: added once, state kept across reopenings, items remembered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsfold.model import Source, SourceKind
from newsfold.store import SourceExists, open_store

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_sources_survive_a_restart_with_their_fetch_state(store_url: str) -> None:
    url = store_url
    with open_store(url) as store:
        feed = store.add_source(
            Source("https://news.example.test/feed.xml", SourceKind.FEED, title="Example")
        )
        assert feed.id is not None
        assert feed.health == "new"
        with pytest.raises(SourceExists, match="already followed"):
            store.add_source(Source("https://news.example.test/feed.xml", SourceKind.FEED))
        feed.etag, feed.last_fetched, feed.error_count, feed.last_error = '"v3"', NOW, 2, "HTTP 500"
        feed.next_due = NOW + timedelta(minutes=40)
        store.update_source(feed)
    with open_store(url) as store:
        again = store.source(feed.id)
        assert again is not None
        assert (again.etag, again.last_fetched, again.error_count, again.health) == (
            '"v3"',
            NOW,
            2,
            "failing",
        )
        assert store.source("https://news.example.test/feed.xml") == again
        assert store.due_sources(NOW) == []
        assert store.due_sources(NOW + timedelta(hours=1)) == [again]


def test_due_sources_put_never_fetched_ones_first(store_url: str) -> None:
    with open_store(store_url) as store:
        old = store.add_source(Source("https://a.example.test/feed", SourceKind.FEED))
        old.next_due = NOW - timedelta(minutes=5)
        store.update_source(old)
        new = store.add_source(Source("https://b.example.test/", SourceKind.PAGE))
        assert [s.id for s in store.due_sources(NOW)] == [new.id, old.id]


def test_items_are_remembered_per_source_and_forgotten_with_it(store_url: str) -> None:
    with open_store(store_url) as store:
        a = store.add_source(Source("https://a.example.test/feed", SourceKind.FEED))
        b = store.add_source(Source("https://b.example.test/feed", SourceKind.FEED))
        assert a.id is not None
        assert b.id is not None
        store.remember_items(a.id, {"https://a.example.test/1": "h1", "https://a.example.test/2": "h2"}, NOW)
        store.remember_items(a.id, {"https://a.example.test/1": "h1-edited"}, NOW)
        assert store.seen_items(a.id, ["https://a.example.test/1", "https://a.example.test/2", "x"]) == {
            "https://a.example.test/1": "h1-edited",
            "https://a.example.test/2": "h2",
        }
        assert store.seen_items(b.id, ["https://a.example.test/1"]) == {}
        assert store.remove_source(a.id)
        assert not store.remove_source(a.id)
        assert store.seen_items(a.id, ["https://a.example.test/1"]) == {}
        assert [s.id for s in store.sources()] == [b.id]
