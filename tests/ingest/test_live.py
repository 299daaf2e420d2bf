"""Passes over live sources, end to end: a real server on loopback, the engine, a SQLite store."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsfold.ingest.fetch import FetchPolicy, parse_networks
from newsfold.ingest.live import PassStopped, SourcePass, adapted_interval, backoff, follow_moves, stop_pass
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
    serve_moved_feed,
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


def run_pass(
    store: Store, now: datetime = T0, policy: FetchPolicy = POLICY, max_items: int | None = None
) -> FetchReport:
    return Engine(store).fetch_sources(store.due_sources(now), policy, now=now, max_items=max_items)


def add(store: Store, url: str, kind: SourceKind = SourceKind.FEED) -> Source:
    return store.add_source(Source(url, kind))


@pytest.mark.parametrize(
    ("fixture", "content_type"),
    [
        ("feeds/rss090.rdf", "application/rdf+xml"),
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
        Reply(200, pages[hit.path].encode())
        if hit.path in pages
        else Reply(404, b"", content_type="text/plain")
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
        return Reply(
            200, rss([("/a-b-c-d", "Title", "summary")]).encode(), {"ETag": '"v1"'}, "application/rss+xml"
        )

    web.routes["/feed"] = conditional
    web.fallback = serve_article
    source = add(store, web.url("/feed"))
    run_pass(store)
    before = len(web.hits)
    report = run_pass(store, T0 + timedelta(days=1))
    assert report.sources[0].not_modified
    assert [h.path for h in web.hits[before:]] == ["/robots.txt", "/feed"]  # no page asked for
    saved = store.source(source.id or 0)
    assert saved is not None
    assert (saved.health, saved.etag) == ("ok", '"v1"')


def test_items_left_for_later_passes_all_arrive_though_the_feed_has_an_etag(
    web: TestServer, store: Store
) -> None:
    # three new items, two fetched per pass, and one page that is busy the first time it is asked
    paths = [f"/2026/03/02/harbour-story-number-{n}" for n in range(3)]
    items = [(path, f"Harbour story {n}", "A summary.") for n, path in enumerate(paths)]

    def conditional(hit: Hit) -> Reply:
        if hit.headers.get("if-none-match") == '"v1"':
            return Reply(304, b"", content_type=None)
        return Reply(200, rss(items).encode(), {"ETag": '"v1"'}, "application/rss+xml")

    def pages(hit: Hit) -> Reply:
        if hit.path == paths[2] and web.paths().count(hit.path) == 1:
            return Reply(503, b"busy", content_type="text/plain")  # newest first: asked in pass one
        return serve_article(hit)

    web.routes["/feed"] = conditional
    web.fallback = pages
    source = add(store, web.url("/feed"))
    first = run_pass(store, max_items=2)
    assert (first.ingest.new, first.sources[0].listed) == (1, 3)
    kept = store.source(source.id or 0)
    assert kept is not None
    assert kept.etag is None  # not adopted: two items were not brought in
    later = T0
    for _ in range(3):
        later += timedelta(days=1)
        run_pass(store, later, max_items=2)
    assert store.article_count() == 3  # every item arrived
    assert sorted(p for p in web.paths() if p.startswith("/2026")) == sorted([*paths, paths[2]])
    done = store.source(source.id or 0)
    assert done is not None
    assert (done.etag, done.health) == ('"v1"', "ok")  # adopted once everything was in
    assert web.hits[-1].headers.get("if-none-match") == '"v1"'


def test_a_child_sitemap_that_failed_is_read_next_pass_though_the_index_has_an_etag(
    web: TestServer, store: Store
) -> None:
    index = f"<sitemapindex><sitemap><loc>{web.url('/child.xml')}</loc></sitemap></sitemapindex>"
    child = f"<urlset><url><loc>{web.url('/2026/03/02/harbour-fees-rise')}</loc></url></urlset>"

    def conditional(hit: Hit) -> Reply:
        if hit.headers.get("if-none-match") == '"i1"':
            return Reply(304, b"", content_type=None)
        return Reply(200, index.encode(), {"ETag": '"i1"'}, "application/xml")

    def child_busy_once(_hit: Hit) -> Reply:
        if web.paths().count("/child.xml") == 1:
            return Reply(503, b"busy", content_type="text/plain")
        return Reply(200, child.encode(), content_type="application/xml")

    web.routes["/sitemap-index.xml"] = conditional
    web.routes["/child.xml"] = child_busy_once
    web.fallback = serve_article
    add(store, web.url("/sitemap-index.xml"), SourceKind.SITEMAP)
    assert run_pass(store).ingest.new == 0
    assert run_pass(store, T0 + timedelta(days=1)).ingest.new == 1  # not a 304: the child was read
    assert run_pass(store, T0 + timedelta(days=2)).sources[0].not_modified  # all in: now it is


def test_a_broken_feed_with_an_etag_stays_failing_and_is_asked_for_in_full(
    web: TestServer, store: Store
) -> None:
    broken = (FIXTURES / "feeds/not-a-feed.xml").read_bytes()

    def conditional(hit: Hit) -> Reply:
        if hit.headers.get("if-none-match") == '"v1"':
            return Reply(304, b"", content_type=None)
        return Reply(200, broken, {"ETag": '"v1"'}, "application/rss+xml")

    web.routes["/feed"] = conditional
    source = add(store, web.url("/feed"))
    run_pass(store)
    failed = store.source(source.id or 0)
    assert failed is not None
    assert (failed.health, failed.etag) == ("failing", None)
    run_pass(store, failed.next_due or T0)
    again = store.source(source.id or 0)
    assert again is not None
    assert "if-none-match" not in web.hits[-1].headers  # the broken body's ETag was never kept
    assert (again.health, again.error_count) == ("failing", 2)
    assert "malformed XML" in (again.last_error or "")


def test_a_feed_that_moved_for_good_is_followed_at_its_new_url_and_gets_its_304(
    web: TestServer, store: Store
) -> None:
    serve_moved_feed(web, 301)
    source = add(store, web.url("/old.xml"))

    first = run_pass(store)
    [outcome] = first.sources
    assert outcome.moved_to == web.url("/new.xml")
    # the engine saved the validators the new URL gave; even before the move is recorded, they go
    # on along the 301 and the new URL answers 304
    run_pass(store, T0 + timedelta(days=1))
    assert web.hits[-1].path == "/new.xml"
    assert web.hits[-1].headers.get("if-none-match") == '"v1"'

    assert follow_moves(store, first.sources) == [
        f"source {source.id} moved permanently to {web.url('/new.xml')}; following it there"
    ]
    moved = store.source(source.id or 0)
    assert moved is not None
    assert (moved.url, moved.etag) == (web.url("/new.xml"), '"v1"')
    before = len(web.hits)
    report = run_pass(store, T0 + timedelta(days=2))
    assert report.sources[0].not_modified
    assert [h.path for h in web.hits[before:]] == ["/robots.txt", "/new.xml"]  # the old URL is left alone


def test_a_move_onto_a_source_already_followed_is_not_taken(web: TestServer, store: Store) -> None:
    web.routes["/http-feed.xml"] = lambda _hit: Reply(301, b"", {"Location": "/feed.xml"})
    web.serve(
        "/feed.xml", rss([("/2026/03/02/harbour-fees-rise", "Harbour fees rise", "s")]), "application/rss+xml"
    )
    web.fallback = serve_article
    old = add(store, web.url("/http-feed.xml"))
    other = add(store, web.url("/feed.xml"))
    report = run_pass(store)
    [note] = follow_moves(store, report.sources)
    assert f"already followed as source {other.id}" in note
    assert {s.id: s.url for s in store.sources()} == {old.id: old.url, other.id: other.url}


def test_a_feed_carrying_the_whole_article_is_read_without_fetching_the_page(
    web: TestServer, store: Store
) -> None:
    text = " ".join(["The harbour board voted to dredge the north channel before the summer."] * 10)
    assert len(text) >= 600
    feed = (
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        "<channel><title>Courier</title><link>/</link>"
        "<item><title>Dredging approved</title><link>/2026/03/02/dredging-approved</link>"
        "<pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate><description>Short.</description>"
        f"<content:encoded><![CDATA[<p>{text}</p>]]></content:encoded></item>"
        "<item><title>Ferry fares</title><link>/2026/03/02/ferry-fares-go-up</link>"
        "<pubDate>Mon, 02 Mar 2026 07:00:00 GMT</pubDate><description>Fares rise.</description></item>"
        "</channel></rss>"
    )
    web.serve("/feed", feed, "application/rss+xml")
    web.fallback = serve_article
    add(store, web.url("/feed"))
    report = run_pass(store)
    assert report.ingest.new == 2
    assert "/2026/03/02/dredging-approved" not in web.paths()  # the feed's own content was the article
    assert "/2026/03/02/ferry-fares-go-up" in web.paths()  # a summary only: the page was fetched
    [article] = [a for a in store.iter_articles() if a[0].url and a[0].url.endswith("dredging-approved")]
    assert "north channel" in " ".join(article[0].paragraphs)


def test_a_pass_stopped_after_one_source_loses_nothing(web: TestServer, store: Store) -> None:
    for n in range(3):
        web.serve(
            f"/feed{n}.xml",
            rss([(f"/2026/03/02/harbour-story-number-{n}", f"Story {n}", "s")]),
            "application/rss+xml",
        )
    web.fallback = serve_article
    for n in range(3):
        add(store, web.url(f"/feed{n}.xml"))
    saved: list[str] = []

    def stop_after_the_first(source_pass: SourcePass) -> None:
        saved.append(source_pass.source.url)
        stop_pass()

    with pytest.raises(PassStopped):
        Engine(store).fetch_sources(store.due_sources(T0), POLICY, now=T0, on_source=stop_after_the_first)
    assert len(saved) == 1
    by_url = {s.url: s for s in store.sources()}
    assert by_url[saved[0]].health == "ok"
    assert by_url[saved[0]].articles == store.article_count() == 1
    untouched = [s for url, s in by_url.items() if url != saved[0]]
    assert all(s.health == "new" and s.next_due is None for s in untouched)  # still due, as they were
    report = run_pass(store)
    assert {p.source.url for p in report.sources} == {s.url for s in untouched}
    assert store.article_count() == 3
    # the saved source's page is not asked for again; the others' may be (fetched, never saved)
    saved_page = "/2026/03/02/harbour-story-number-" + saved[0].removesuffix(".xml")[-1]
    assert web.paths().count(saved_page) == 1


def test_failures_back_off_and_a_bad_source_never_stops_the_others(web: TestServer, store: Store) -> None:
    web.routes["/broken"] = lambda _hit: Reply(500, b"oops", content_type="text/plain")
    web.routes["/busy"] = lambda _hit: Reply(503, b"busy", {"Retry-After": "7200"}, "text/plain")
    web.serve("/junk", b"\x00\x01binary junk\xff" * 50, "application/rss+xml")
    web.serve(
        "/good", rss([("/2026/03/02/harbour-fees-rise", "Harbour fees rise", "s")]), "application/rss+xml"
    )
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
    sitemap = (
        (FIXTURES / "sitemaps/news-sitemap.xml").read_text().replace("http://news.example.test", web.url(""))
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
    web.routes["/robots.txt"] = lambda _hit: Reply(
        200, b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"
    )
    web.routes["/slow.xml"] = lambda _hit: Reply(
        200, trickle(chunks=100, pause=0.2), content_type="application/rss+xml"
    )
    web.routes["/hang.xml"] = lambda _hit: (time.sleep(2), Reply(200, b"late"))[1]
    web.routes["/huge.xml"] = lambda _hit: Reply(
        200, endless(50 * 1024 * 1024), content_type="application/rss+xml"
    )
    bomb = gzip_bomb(32 * 1024 * 1024)
    web.routes["/bomb.xml"] = lambda _hit: Reply(
        200, bomb, {"Content-Encoding": "gzip"}, "application/rss+xml"
    )
    web.routes["/loop.xml"] = lambda _hit: Reply(302, b"", {"Location": "/loop2.xml"})
    web.routes["/loop2.xml"] = lambda _hit: Reply(302, b"", {"Location": "/loop.xml"})
    web.serve(
        "/private/feed.xml",
        rss([("/2026/03/02/secret-plans-revealed", "Secret", "s")]),
        "application/rss+xml",
    )
    web.serve_fixture("/broken.xml", "feeds/not-a-feed.xml", "application/rss+xml")
    web.serve(
        "/good.xml", rss([("/2026/03/02/harbour-fees-rise", "Harbour fees rise", "s")]), "application/rss+xml"
    )
    web.fallback = serve_article
    bad = [
        "/slow.xml",
        "/hang.xml",
        "/huge.xml",
        "/bomb.xml",
        "/loop.xml",
        "/private/feed.xml",
        "/broken.xml",
    ]
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
