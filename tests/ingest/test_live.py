"""Passes over live sources, end to end: a real server on loopback, the engine, a SQLite store."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsfold.ingest.fetch import FetchPolicy, parse_networks
from newsfold.ingest.live import adapted_interval, backoff
from newsfold.model import Source, SourceKind
from newsfold.pipeline import Engine, FetchReport
from newsfold.store import Store, open_store
from tests.ingest.server import (
    FIXTURES,
    Hit,
    Reply,
    TestServer,
    article_page,
    endless,
    gzip_bomb,
    rss,
    serve_article,
    trickle,
)

POLICY = FetchPolicy(
    allow_networks=parse_networks(["127.0.0.0/8"]),
    per_host_delay=0.0,
    connect_timeout=2.0,
    read_timeout=2.0,
    total_timeout=5.0,
)
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'n.db'}") as opened:
        yield opened


def run_pass(store: Store, now: datetime = T0, policy: FetchPolicy = POLICY) -> FetchReport:
    return Engine(store).fetch_sources(store.due_sources(now), policy, now=now)


def add(store: Store, url: str, kind: SourceKind = SourceKind.FEED) -> Source:
    return store.add_source(Source(url, kind))


@pytest.mark.parametrize(
    ("fixture", "content_type"),
    [
        ("feeds/rss091.xml", "application/rss+xml"),
        ("feeds/rss092.xml", "text/xml"),
        ("feeds/rss10.rdf", "application/rdf+xml"),
        ("feeds/rss20.xml", "application/rss+xml; charset=utf-8"),
        ("feeds/atom.xml", "application/atom+xml"),
        ("feeds/feed.json", "application/feed+json"),
        ("feeds/malformed-recoverable.xml", "application/rss+xml"),
    ],
)
def test_every_feed_format_brings_its_articles_in(
    web: TestServer, store: Store, fixture: str, content_type: str
) -> None:
    web.serve_fixture("/feed", fixture, content_type)
    web.fallback = serve_article
    source = add(store, web.url("/feed"))
    report = run_pass(store)
    [outcome] = report.sources
    assert outcome.error is None, outcome.error
    assert outcome.documents
    assert report.ingest.new >= 1
    saved = store.source(source.id or 0)
    assert saved is not None
    assert saved.health == "ok"
    assert saved.title  # the feed's title became the source's


def test_a_feed_that_changes_between_passes_gives_new_articles_and_revisions_never_duplicates(
    web: TestServer, store: Store
) -> None:
    pages = {"/2026/03/02/dredging-vote-delayed": article_page("Dredging vote delayed", "dredging")}
    items = [("/2026/03/02/dredging-vote-delayed", "Dredging vote delayed", "The board delays its vote.")]
    web.routes["/feed"] = lambda _hit: Reply(200, rss(items).encode(), content_type="application/rss+xml")
    web.fallback = lambda hit: (
        Reply(200, pages[hit.path].encode()) if hit.path in pages else Reply(404, b"", content_type="text/plain")
    )
    add(store, web.url("/feed"))

    first = run_pass(store)
    assert (first.ingest.new, first.ingest.revised) == (1, 0)

    again = run_pass(store, T0 + timedelta(hours=2))
    assert again.sources[0].documents == []  # nothing new: no page fetched
    pages["/2026/03/02/ferry-timetable-cut"] = article_page("Ferry timetable cut", "the ferry timetable")
    items.insert(0, ("/2026/03/02/ferry-timetable-cut", "Ferry timetable cut", "Fewer sailings."))
    pages["/2026/03/02/dredging-vote-delayed"] = article_page(
        "Dredging vote delayed again", "dredging", day="Tuesday"
    )
    items[1] = ("/2026/03/02/dredging-vote-delayed", "Dredging vote delayed again", "Delayed to Tuesday.")
    third = run_pass(store, T0 + timedelta(days=1))
    assert (third.ingest.new, third.ingest.revised) == (1, 1)
    assert store.article_count() == 2
    fetched = [p for p in web.paths() if p.startswith("/2026")]
    assert fetched.count("/2026/03/02/ferry-timetable-cut") == 1


def test_a_304_costs_one_request_and_keeps_the_source_healthy(web: TestServer, store: Store) -> None:
    def conditional(hit: Hit) -> Reply:
        if hit.headers.get("if-none-match") == '"v1"':
            return Reply(304, b"", content_type=None)
        return Reply(200, rss([("/a-b-c-d", "Title", "summary")]).encode(), {"ETag": '"v1"'}, "application/rss+xml")

    web.routes["/feed"] = conditional
    web.fallback = serve_article
    source = add(store, web.url("/feed"))
    run_pass(store)
    report = run_pass(store, T0 + timedelta(days=1))
    assert report.sources[0].not_modified
    saved = store.source(source.id or 0)
    assert saved is not None
    assert (saved.health, saved.etag) == ("ok", '"v1"')


def test_failures_back_off_and_a_bad_source_never_stops_the_others(web: TestServer, store: Store) -> None:
    web.routes["/broken"] = lambda _hit: Reply(500, b"oops", content_type="text/plain")
    web.routes["/busy"] = lambda _hit: Reply(503, b"busy", {"Retry-After": "7200"}, "text/plain")
    web.serve("/junk", b"\x00\x01binary junk\xff" * 50, "application/rss+xml")
    web.serve("/good", rss([("/2026/03/02/harbour-fees-rise", "Harbour fees rise", "s")]), "application/rss+xml")
    web.fallback = serve_article
    broken, busy, junk = (add(store, web.url(p)) for p in ("/broken", "/busy", "/junk"))
    add(store, web.url("/good"))

    report = run_pass(store)
    assert report.ingest.new == 1
    assert {p.source.url for p in report.failed} == {broken.url, busy.url, junk.url}
    after = {s.url: s for s in store.sources()}
    assert after[broken.url].error_count == 1
    assert "HTTP 500" in (after[broken.url].last_error or "")
    assert after[busy.url].next_due == T0 + timedelta(seconds=7200)  # Retry-After respected
    first_wait = (after[broken.url].next_due or T0) - T0
    run_pass(store, T0 + first_wait)
    again = store.source(broken.id or 0)
    assert again is not None
    assert again.error_count == 2
    assert (again.next_due or T0) - (T0 + first_wait) == 2 * first_wait  # exponential backoff
    assert junk.url in {p.source.url for p in report.failed}


def test_links_to_private_addresses_are_refused_and_nothing_is_lost(web: TestServer, store: Store) -> None:
    items = [
        ("http://169.254.169.254/latest/meta-data/", "Cloud secrets", "s"),
        ("http://10.0.0.7/admin-panel-login-page", "Router", "s"),
        ("/2026/03/02/harbour-fees-rise", "Harbour fees rise", "s"),
    ]
    web.serve("/feed", rss(items), "application/rss+xml")
    web.fallback = serve_article
    add(store, web.url("/feed"))
    report = run_pass(store, policy=POLICY)
    assert report.ingest.new == 1
    refused = {s.origin: s.reason for s in report.ingest.skipped}
    assert "not a public address" in refused["http://169.254.169.254/latest/meta-data/"]
    assert "not a public address" in refused["http://10.0.0.7/admin-panel-login-page"]


def test_a_listing_page_and_a_sitemap_bring_their_articles(web: TestServer, store: Store) -> None:
    web.serve_fixture("/", "pages/home.html", "text/html; charset=utf-8")
    sitemap = (FIXTURES / "sitemaps/news-sitemap.xml").read_text().replace(
        "http://news.example.test", web.url("")
    )
    web.serve("/news-sitemap.xml", sitemap, "application/xml")
    web.fallback = serve_article
    add(store, web.url("/"), SourceKind.PAGE)
    add(store, web.url("/news-sitemap.xml"), SourceKind.SITEMAP)
    report = run_pass(store)
    by_kind = {p.source.kind: p for p in report.sources}
    assert not report.failed, [p.error for p in report.failed]
    assert by_kind[SourceKind.PAGE].documents
    assert by_kind[SourceKind.SITEMAP].documents
    again = run_pass(store, T0 + timedelta(days=1))
    assert all(p.documents == [] for p in again.sources)  # seen items are not fetched again


def test_the_interval_follows_how_often_a_source_publishes() -> None:
    hourly = [T0 - timedelta(hours=h) for h in range(10)]
    assert adapted_interval(3600, 3, hourly, T0) == 1800
    quiet = [T0 - timedelta(days=30 + d) for d in range(5)]
    assert adapted_interval(3600, 0, quiet, T0) == 24 * 3600
    assert adapted_interval(3600, 0, [], T0) == 5400
    assert adapted_interval(400, 2, [], T0) == 300  # never more often than every 5 minutes
    assert [backoff(3600, n) for n in (1, 2, 3)] == [1800, 3600, 7200]
    assert backoff(3600, 30) == 24 * 3600


def test_everything_broken_at_once_fails_cleanly_and_the_good_source_still_lands(
    web: TestServer, store: Store
) -> None:
    web.routes["/robots.txt"] = lambda _hit: Reply(200, b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    web.routes["/slow.xml"] = lambda _hit: Reply(200, trickle(chunks=100, pause=0.2), content_type="application/rss+xml")
    web.routes["/hang.xml"] = lambda _hit: (time.sleep(2), Reply(200, b"late"))[1]
    web.routes["/huge.xml"] = lambda _hit: Reply(200, endless(50 * 1024 * 1024), content_type="application/rss+xml")
    bomb = gzip_bomb(32 * 1024 * 1024)
    web.routes["/bomb.xml"] = lambda _hit: Reply(200, bomb, {"Content-Encoding": "gzip"}, "application/rss+xml")
    web.routes["/loop.xml"] = lambda _hit: Reply(302, b"", {"Location": "/loop2.xml"})
    web.routes["/loop2.xml"] = lambda _hit: Reply(302, b"", {"Location": "/loop.xml"})
    web.serve("/private/feed.xml", rss([("/2026/03/02/secret-plans-revealed", "Secret", "s")]), "application/rss+xml")
    web.serve_fixture("/broken.xml", "feeds/not-a-feed.xml", "application/rss+xml")
    web.serve("/good.xml", rss([("/2026/03/02/harbour-fees-rise", "Harbour fees rise", "s")]), "application/rss+xml")
    web.fallback = serve_article
    bad = ["/slow.xml", "/hang.xml", "/huge.xml", "/bomb.xml", "/loop.xml", "/private/feed.xml", "/broken.xml"]
    for path in [*bad, "/good.xml"]:
        add(store, web.url(path))
    policy = replace(POLICY, total_timeout=1.5, read_timeout=1.0, max_bytes=2 * 1024 * 1024)

    report = run_pass(store, policy=policy)
    assert report.ingest.new == 1
    errors = {p.source.url.removeprefix(web.url("")): p.error or "" for p in report.failed}
    assert set(errors) == set(bad)
    assert "within 1.5 s" in errors["/slow.xml"]
    assert "timed out" in errors["/hang.xml"] or "within" in errors["/hang.xml"]
    assert "limit" in errors["/huge.xml"]
    assert "decompression bomb" in errors["/bomb.xml"]
    assert "redirect loop" in errors["/loop.xml"]
    assert "robots.txt" in errors["/private/feed.xml"]
    assert "malformed XML" in errors["/broken.xml"] or "not a feed" in errors["/broken.xml"]
    for source in store.sources():
        if source.url.endswith("/good.xml"):
            assert source.health == "ok"
        else:
            assert (source.health, source.error_count) == ("failing", 1)
            assert source.next_due is not None
            assert source.next_due > T0  # backed off, not retried at once
    assert "/2026/03/02/secret-plans-revealed" not in web.paths()
