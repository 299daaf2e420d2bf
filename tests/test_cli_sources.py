"""The live-source commands, as a user scripts them: add, list, fetch, watch, import, export, remove."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsfold.cli import cli
from tests.ingest.server import FIXTURES, Hit, Reply, TestServer, rss, serve_article, serve_moved_feed

ALLOW = ["--allow-network", "127.0.0.0/8"]


@pytest.fixture(autouse=True)
def _no_per_host_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI reads its settings from the environment: no second between requests to the test server."""
    monkeypatch.setenv("NEWSFOLD_PER_HOST_DELAY", "0")


@contextlib.contextmanager
def _sigterm_after(seconds: float) -> Iterator[Callable[..., None]]:
    """SIGTERM after ``seconds``, so a watch that would never end is stopped and the test fails on
    time rather than hanging; the handler yielded stands in meanwhile, so no signal kills pytest."""

    def stand_in(*_: object) -> None:
        pass

    previous = signal.signal(signal.SIGTERM, stand_in)
    timer = threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    try:
        yield stand_in
    finally:
        timer.cancel()
        signal.signal(signal.SIGTERM, previous)


def _run(db: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def _json(db: Path, *args: str) -> Any:
    result = _run(db, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_add_a_site_follows_its_feed_then_fetch_and_list_show_health(web: TestServer, tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    web.serve(
        "/",
        '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>'
        "<body><p>Welcome</p></body></html>",
    )
    web.serve(
        "/feed.xml", rss([("/2026/03/02/harbour-fees-rise", "Harbour fees rise", "s")]), "application/rss+xml"
    )
    web.fallback = serve_article
    added = _json(db, "sources", "add", web.url("/"), *ALLOW)
    assert (added["url"], added["kind"], added["health"]) == (web.url("/feed.xml"), "feed", "new")

    again = _run(db, "sources", "add", web.url("/feed.xml"), "--kind", "feed")
    assert again.exit_code != 0
    assert "already followed" in again.output

    report = _json(db, "fetch", *ALLOW)
    assert report["new"] == 1
    assert report["sources"][0]["status"] == "ok"
    [listed] = _json(db, "sources", "list")
    assert (listed["health"], listed["articles"], listed["title"]) == ("ok", 1, "Harbour Town Courier")
    assert _json(db, "fetch", *ALLOW)["sources"] == []  # nothing due until its interval passes
    readable = _run(db, "sources", "list").output
    assert "Harbour Town Courier" in readable
    assert "ok" in readable


def test_a_private_address_is_refused_unless_allowed(web: TestServer, tmp_path: Path) -> None:
    web.serve("/feed.xml", rss([]), "application/rss+xml")
    refused = _run(tmp_path / "n.db", "sources", "add", web.url("/feed.xml"))
    assert refused.exit_code != 0
    assert "not a public address" in refused.output
    assert "--allow-network" in refused.output


def test_a_failing_source_shows_its_error_in_the_list(web: TestServer, tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    _json(db, "sources", "add", web.url("/gone.xml"), "--kind", "feed")
    report = _json(db, "fetch", *ALLOW)
    assert report["failed"] == 1
    [listed] = _json(db, "sources", "list")
    assert listed["health"] == "failing"
    assert "HTTP 404" in listed["last_error"]
    assert "last error (1 in a row)" in _run(db, "sources", "list").output


def test_opml_import_export_round_trip_and_remove(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    opml = FIXTURES / "opml" / "subscriptions.opml"
    imported = _json(db, "sources", "import", str(opml))
    assert imported["added"]
    assert _json(db, "sources", "import", str(opml))["added"] == []  # nothing twice
    exported = tmp_path / "out.opml"
    assert _run(db, "sources", "export", "-o", str(exported)).exit_code == 0
    other = tmp_path / "other.db"
    assert len(_json(other, "sources", "import", str(exported))["added"]) == len(imported["added"])
    first = imported["added"][0]
    assert _run(db, "sources", "remove", str(first["id"])).exit_code == 0
    assert first["url"] not in {s["url"] for s in _json(db, "sources", "list")}
    missing = _run(db, "sources", "remove", "9999")
    assert missing.exit_code != 0
    assert "no source" in missing.output


def test_watch_runs_passes_until_told_to_stop(web: TestServer, tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    web.serve(
        "/feed.xml", rss([("/2026/03/02/harbour-fees-rise", "Harbour fees rise", "s")]), "application/rss+xml"
    )
    web.fallback = serve_article
    _json(db, "sources", "add", web.url("/feed.xml"), *ALLOW)
    result = _run(db, "watch", "--passes", "1", "--json", *ALLOW)
    assert result.exit_code == 0, result.output
    [line] = [json.loads(x) for x in result.output.splitlines() if x.startswith("{")]
    assert line["new"] == 1


def test_watch_passes_count_when_nothing_is_due_and_the_sigterm_handler_is_put_back(
    web: TestServer, tmp_path: Path
) -> None:
    db = tmp_path / "n.db"
    web.serve(
        "/feed.xml", rss([("/2026/03/02/harbour-fees-rise", "Harbour fees rise", "s")]), "application/rss+xml"
    )
    web.fallback = serve_article
    _json(db, "sources", "add", web.url("/feed.xml"), *ALLOW)
    assert _json(db, "fetch", *ALLOW)["new"] == 1  # now nothing is due for an hour
    with _sigterm_after(10) as stand_in:
        started = time.monotonic()
        result = _run(db, "watch", "--passes", "1", "--json", *ALLOW)
        elapsed = time.monotonic() - started
        assert signal.getsignal(signal.SIGTERM) is stand_in  # the watch put the handler back
    assert result.exit_code == 0, result.output
    assert elapsed < 5
    [line] = [json.loads(x) for x in result.output.splitlines() if x.startswith("{")]
    assert (line["sources"], line["new"]) == ([], 0)  # one pass, that found nothing due
    human = _run(db, "watch", "--passes", "2", "--max-sleep", "1", *ALLOW)
    assert human.output.count("nothing due") == 2
    assert "stopped after 2 passes" in human.output


def test_watch_with_no_sources_ends_at_once_saying_so(tmp_path: Path) -> None:
    with _sigterm_after(10):
        started = time.monotonic()
        result = _run(tmp_path / "n.db", "watch", "--passes", "3")
        elapsed = time.monotonic() - started
    assert result.exit_code == 0
    assert elapsed < 5
    assert "no sources to watch: `newsfold sources add URL` first" in result.output


def test_sigterm_stops_a_watch_after_the_source_being_saved_and_nothing_is_lost(
    web: TestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSFOLD_PER_HOST_CONCURRENCY", "3")  # the three feeds asked for at once
    db = tmp_path / "n.db"
    mid_pass = threading.Barrier(3, timeout=5)
    holding = threading.Event()
    holding.set()

    def feed(n: int) -> Callable[[Hit], Reply]:
        def route(_hit: Hit) -> Reply:
            if holding.is_set():
                if mid_pass.wait() == 0:  # all three feeds are being answered: the pass is under way
                    os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(0.1)  # the handler has run before any source can be saved
            body = rss([(f"/2026/03/02/harbour-story-number-{n}", f"Harbour story {n}", "s")])
            return Reply(200, body.encode(), content_type="application/rss+xml")

        return route

    for n in range(3):
        web.routes[f"/feed{n}.xml"] = feed(n)
        _json(db, "sources", "add", web.url(f"/feed{n}.xml"), "--kind", "feed")
    web.fallback = serve_article

    with _sigterm_after(20) as stand_in:
        result = _run(db, "watch", "--max-sleep", "1", "-q", *ALLOW)
        assert signal.getsignal(signal.SIGTERM) is stand_in
    holding.clear()
    assert result.exit_code == 0, result.output
    assert "stopped during a pass: 1 of 3 sources read and saved" in result.output
    listed = _json(db, "sources", "list")
    assert sorted(s["health"] for s in listed) == ["new", "new", "ok"]  # the other two left as they were
    assert [s["articles"] for s in listed if s["health"] == "ok"] == [1]

    report = _json(db, "fetch", *ALLOW)  # the next run reads the two that were left
    assert (len(report["sources"]), report["new"]) == (2, 2)
    listed = _json(db, "sources", "list")
    assert [(s["health"], s["articles"]) for s in listed] == [("ok", 1)] * 3  # nothing lost, nothing twice


def test_add_a_gzipped_sitemap_and_fetch_it(web: TestServer, tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    sitemap = (
        (FIXTURES / "sitemaps/news-sitemap.xml").read_text().replace("http://news.example.test", web.url(""))
    )
    web.serve("/sitemap-news.xml.gz", gzip.compress(sitemap.encode()), "application/x-gzip")
    web.fallback = serve_article
    added = _json(db, "sources", "add", web.url("/sitemap-news.xml.gz"), *ALLOW)
    assert (added["url"], added["kind"]) == (web.url("/sitemap-news.xml.gz"), "sitemap")
    report = _json(db, "fetch", *ALLOW)
    assert report["sources"][0]["status"] == "ok"
    assert report["new"] == 2


def test_fetch_follows_a_feed_that_moved_for_good(web: TestServer, tmp_path: Path) -> None:
    db = tmp_path / "n.db"

    serve_moved_feed(web, 308)
    _json(db, "sources", "add", web.url("/old.xml"), "--kind", "feed")
    first = _run(db, "fetch", "-q", *ALLOW)
    assert f"moved permanently to {web.url('/new.xml')}; following it there" in first.output
    [listed] = _json(db, "sources", "list")
    assert (listed["url"], listed["articles"]) == (web.url("/new.xml"), 1)
    again = _json(db, "fetch", "--all", *ALLOW)
    assert again["sources"][0]["status"] == "not modified"
    assert web.paths().count("/old.xml") == 1
