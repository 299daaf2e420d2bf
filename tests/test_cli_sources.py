"""The live-source commands, as a user scripts them: add, list, fetch, watch, import, export, remove."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from newsfold.cli import cli
from tests.ingest.server import FIXTURES, TestServer, rss, serve_article

ALLOW = ["--allow-network", "127.0.0.0/8"]


def _run(db: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def _json(db: Path, *args: str) -> Any:
    result = _run(db, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_add_a_site_follows_its_feed_then_fetch_and_list_show_health(web: TestServer, tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    web.serve("/", '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>'
                   "<body><p>Welcome</p></body></html>")
    web.serve("/feed.xml", rss([("/2026/03/02/harbour-fees-rise", "Harbour fees rise", "s")]), "application/rss+xml")
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
    web.serve("/feed.xml", rss([("/2026/03/02/harbour-fees-rise", "Harbour fees rise", "s")]), "application/rss+xml")
    web.fallback = serve_article
    _json(db, "sources", "add", web.url("/feed.xml"), *ALLOW)
    result = _run(db, "watch", "--passes", "1", "--json", *ALLOW)
    assert result.exit_code == 0, result.output
    [line] = [json.loads(x) for x in result.output.splitlines() if x.startswith("{")]
    assert line["new"] == 1
