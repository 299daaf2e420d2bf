"""What the reader's pages show: the API docs offline, related stories, search with marks and
outlet names as citations give them, feeds with every filter, articles placed in their story,
citations with their copies folded, counts in words, numbers formatted, merged ids redirected."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit
from xml.etree import ElementTree as ET

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from newsfold.config import Settings
from newsfold.model import Article, DocumentKind, RawDocument
from newsfold.pipeline import Engine
from newsfold.store import open_store
from newsfold.store.schema import story_aliases
from newsfold.web.docs import redoc_policy
from newsfold.web.middleware import CONTENT_SECURITY_POLICY
from newsfold.web.related import RelatedIndex
from newsfold.web.views import count, number, sources, web_url
from tests.conftest import DEFENCE_REYES, DEFENCE_SOL
from tests.web import reader_app

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def stories(client: TestClient) -> list[dict[str, Any]]:
    return list(client.get("/api/stories", params={"limit": 500}).json())


def _story(stories: list[dict[str, Any]], *words: str) -> str:
    """The id of the one story whose title has all of ``words``."""
    [found] = [s["id"] for s in stories if all(w in s["title"] for w in words)]
    return str(found)


def _related(client: TestClient, story_id: str) -> set[str]:
    page = client.get(f"/story/{story_id}").text
    section = re.search(r'<section class="related">(.*?)</section>', page, re.DOTALL)
    return set(re.findall(r'href="[^"]*/story/(\w+)"', section.group(1))) if section else set()


# -- 1. the API docs, offline ----------------------------------------------------------------


def test_docs_load_their_scripts_from_this_server_only(client: TestClient) -> None:
    redoc = redoc_policy(CONTENT_SECURITY_POLICY)
    assert "script-src 'self';" in redoc
    assert "http" not in redoc  # no CDN, no foreign origin
    for path, policy in (("/docs", CONTENT_SECURITY_POLICY), ("/redoc", redoc)):
        page = client.get(path)
        assert page.status_code == 200
        assert page.headers["Content-Security-Policy"] == policy
        assert "<script>" not in page.text  # no inline script
        sources = re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', page.text)
        assert sources
        for src in sources:
            assert urlsplit(src).netloc in ("", "testserver"), src
            asset = client.get(src)
            assert asset.status_code == 200, src
            assert asset.content.strip(), src
    assert client.get("/vendor/docs/core.py").status_code == 404  # a fixed list, not the package's files


# -- 5. related stories ----------------------------------------------------------------------


def test_related_stories_are_about_the_same_thing(client: TestClient, stories: list[dict[str, Any]]) -> None:
    antwerp, genoa = _story(stories, "Antwerp"), _story(stories, "Genoa port strike")
    breach, bank = _story(stories, "Brightmart", "hackers"), _story(stories, "Bank hack")
    assert _related(client, antwerp) == {genoa}
    assert _related(client, genoa) == {antwerp}
    assert _related(client, breach) == {bank}
    assert _related(client, bank) == {breach}
    for lone in (
        _story(stories, "red panda"),
        _story(stories, "night tram"),
        _story(stories, "Porto Marathon"),
    ):
        assert _related(client, lone) == set(), lone


def test_the_related_index_rereads_only_changed_stories(demo_db: str) -> None:
    with open_store(demo_db) as store:
        recent = store.recent_stories(500)
        read: list[str] = []

        def load(ids: list[str]) -> list[Article]:
            read.extend(ids)
            return store.articles(ids)

        first = RelatedIndex.build(recent, load)
        assert len(read) == sum(min(12, len(m)) for _, m in recent)
        read.clear()
        again = RelatedIndex.build(recent, load, first)
        assert read == []
        assert again.vectors == first.vectors


# -- 6. search -------------------------------------------------------------------------------


def test_search_marks_the_matched_words_and_escapes_the_rest(client: TestClient) -> None:
    page = client.get("/search", params={"q": "dockworkers"}).text
    snippets = re.findall(r'<span class="snippet">(.*?)</span>', page)
    assert snippets
    assert all("<mark>" in s for s in snippets)
    assert not any(re.search(r"\[dockworkers\]", s, re.IGNORECASE) for s in snippets)
    api = client.get("/api/search", params={"q": "dockworkers"}).json()["articles"][0]
    assert any(part["match"] and part["text"].lower() == "dockworkers" for part in api["snippet_parts"])


def test_search_outlets_are_named_as_citations_name_them(
    client: TestClient, stories: list[dict[str, Any]]
) -> None:
    story = client.get(f"/api/stories/{_story(stories, 'Antwerp')}").json()
    cited = {c["article_id"]: c["outlet"] for s in story["account"] for c in s["citations"]}
    hits = client.get("/api/search", params={"q": "Antwerp"}).json()["articles"]
    by_id = {h["article_id"]: h["outlet"] for h in hits}
    both = [article_id for article_id in cited if article_id in by_id]
    assert both
    for article_id in both:
        assert by_id[article_id] == cited[article_id]
    outlet = cited[both[0]]
    narrowed = client.get("/api/search", params={"q": "Antwerp", "source": outlet.upper()}).json()
    assert narrowed["articles"]
    assert {h["outlet"] for h in narrowed["articles"]} == {outlet}  # any case


def test_the_outlet_filter_offers_the_outlets_present(client: TestClient) -> None:
    page = client.get("/search", params={"q": "strike", "source": "meridian wire"}).text
    select = re.search(r'<select name="source"[^>]*>(.*?)</select>', page, re.DOTALL)
    assert select
    options = re.findall(r'<option value="([^"]*)"', select.group(1))
    assert "" in options  # any outlet
    assert {"Meridian Wire", "Riverside Gazette", "Dockside Journal"} <= set(options)
    assert re.search(r'<option value="Meridian Wire" selected>', select.group(1))
    outlets = set(re.findall(r'<span class="outlet">([^<]*)</span>', page))
    assert outlets == {"Meridian Wire"}


def test_the_search_feed_keeps_every_filter(client: TestClient) -> None:
    params = {"q": "strike", "source": "Meridian Wire", "since": "2025-10-01", "entity": ""}
    page = client.get("/search", params=params).text
    link = html.unescape(re.search(r'class="search-feed" href="([^"]+)"', page).group(1))  # type: ignore[union-attr]
    query = parse_qs(urlsplit(link).query)
    assert query == {"q": ["strike"], "source": ["Meridian Wire"], "since": ["2025-10-01"]}
    feed = ET.fromstring(client.get(link).content)
    entries = feed.findall(f"{ATOM}entry")
    wanted = client.get("/api/search", params=params).json()["articles"]
    assert len(entries) == len(wanted) > 0
    everything = client.get("/api/search", params={"q": "strike"}).json()["articles"]
    assert len(everything) > len(wanted)
    for entry in entries:
        summary = entry.findtext(f"{ATOM}summary") or ""
        assert summary.startswith("Meridian Wire: ")
        assert "[" not in summary  # plain text in a feed


def test_each_entity_has_a_feed_linked_from_the_story(
    client: TestClient, stories: list[dict[str, Any]]
) -> None:
    story_id = _story(stories, "Antwerp")
    page = client.get(f"/story/{story_id}").text
    links = dict(re.findall(r'class="entity-feed" href="([^"]+)" title="Atom feed of ([^"]+)"', page))
    assert links
    named = next((href, name) for href, name in links.items() if " " in name)  # a name with a space
    href, name = named[0], html.unescape(named[1])
    assert urlsplit(href).path == f"/feeds/entities/{quote(name)}.atom"
    feed = ET.fromstring(client.get(href).content)
    assert feed.findtext(f"{ATOM}title") == f"newsfold: {name}"
    found = client.get("/api/search", params={"entity": name}).json()["articles"]
    assert len(feed.findall(f"{ATOM}entry")) == len(found) > 0


# -- 8. an article in its story ---------------------------------------------------------------


def test_an_article_links_its_story_and_says_what_it_is(
    client: TestClient, stories: list[dict[str, Any]]
) -> None:
    story_id = _story(stories, "Antwerp")
    members = {m["article_id"]: m for m in client.get(f"/api/stories/{story_id}").json()["members"]}
    seen = set()
    for article_id, member in members.items():
        page = client.get(f"/article/{article_id}").text
        assert f'class="story-link" href="http://testserver/story/{story_id}"' in page
        kind = member["relation"].split(" of ")[0]
        relation = re.search(r'<p class="relation" data-relation="([^"]+)">(.*?)</p>', page, re.DOTALL)
        assert relation, article_id
        assert relation.group(1) == kind.replace("_", " ")
        if " of " in member["relation"]:
            original = member["relation"].split(" of ")[1]
            assert f"/article/{original}" in relation.group(2)
            assert html.escape(members[original]["outlet"], quote=False) in relation.group(2)
        seen.add(kind)
    assert {"original", "independent", "wire_copy", "duplicate"} <= seen


# -- 9. counts, numbers, favicon, merged ids, undated stories ---------------------------------


def test_counts_agree_with_their_nouns(client: TestClient, stories: list[dict[str, Any]]) -> None:
    lone = _story(stories, "red panda")
    texts = [client.get("/").text, client.get(f"/story/{lone}").text, client.get("/feeds/top.atom").text]
    texts.append(client.get("/search", params={"q": "panda"}).text)
    for text in texts:
        assert not re.search(r"\b1 (independent sources|articles|outlets|copies)\b", text)
    assert "1 independent source, 1 article)" in texts[2]
    assert "1 independent source · 1 outlet · 1 article" in texts[1]
    assert (count(1, "copy", "copies"), count(1204, "article")) == ("1 copy", "1,204 articles")


def test_discrepancy_numbers_have_thousands_separators(
    client: TestClient, stories: list[dict[str, Any]]
) -> None:
    large = [
        (story["id"], variant["value"])
        for story in (client.get(f"/api/stories/{s['id']}").json() for s in stories)
        for found in story["discrepancies"]
        if found["kind"] == "number"
        for variant in found["variants"]
        if re.fullmatch(r"\d{4,}", str(variant["value"]))
    ]
    assert large, "the demo's sources differ on some number in the thousands"
    for story_id, value in large:
        page = client.get(f"/story/{story_id}").text
        section = page.split('<section class="discrepancies">')[1].split("</section>")[0]
        assert f"<strong>{int(value):,}</strong>" in section
        assert f"<strong>{value}</strong>" not in section
    formatted = [number(v) for v in ("410000", "5.5", "-12000.25", "1.2 billion", 6200)]
    assert formatted == ["410,000", "5.5", "-12,000.25", "1.2 billion", "6,200"]


def test_the_site_has_a_favicon(client: TestClient) -> None:
    page = client.get("/").text
    assert '<link rel="icon" href="http://testserver/static/favicon.svg" type="image/svg+xml">' in page
    for path in ("/static/favicon.svg", "/favicon.ico"):
        icon = client.get(path)
        assert icon.status_code == 200
        assert icon.headers["content-type"].startswith("image/svg+xml")
        assert icon.text.startswith("<svg")


def test_a_merged_story_s_old_id_redirects_to_the_survivor(demo_url: str) -> None:
    with open_store(demo_url) as store, store.engine.begin() as connection:
        survivor = store.stories(limit=1)[0].id
        connection.execute(
            sa.insert(story_aliases).values(
                story_id="sold0000merged",
                merged_into=survivor,
                similarity=0.9,
                reason="test",
                merged_at="2026-01-01",
            )
        )
    with TestClient(reader_app(demo_url), follow_redirects=False) as client:
        page = client.get("/story/sold0000merged")
        assert page.status_code == 308
        assert page.headers["location"] == f"http://testserver/story/{survivor}"
        feed = client.get("/feeds/stories/sold0000merged.atom")
        assert feed.status_code == 308
        assert feed.headers["location"].endswith(f"/feeds/stories/{survivor}.atom")
        assert client.get(f"/story/{survivor}").status_code == 200


def test_a_story_page_says_why_each_article_is_there_and_links_an_event_told_apart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'n.db'}"
    with open_store(url) as store:
        Engine(store, Settings(story_threshold=0.1)).ingest_documents(
            RawDocument(
                origin=f"https://outlet{n}.example/fight",
                body=text.encode(),
                kind=DocumentKind.TEXT,
                url=f"https://outlet{n}.example/fight",
                title=title,
                outlet=f"Outlet {n}",
            )
            for n, (title, text) in enumerate(DEFENCE_SOL + DEFENCE_REYES)
        )
        [split] = store.iter_story_splits()
        other, kept = store.story(split.split_off), store.story(split.kept)
    assert other is not None
    assert kept is not None
    other_title, members = other[0].title, kept[1]
    joined = next(m for m in members if m.nearest)
    with TestClient(reader_app(url, accounts=False)) as client:
        page = client.get(f"/story/{split.kept}").text
    told = re.search(r'<p class="told-apart">.*?</p>', page, re.S)
    assert told is not None
    assert f'href="http://testserver/story/{split.split_off}">{html.escape(other_title)}</a>' in told.group(0)
    assert page.count('<details class="why"><summary>why here</summary>') == len(members)
    assert f"{joined.reason} · score {joined.score:.2f} · nearest: " in page


def test_an_undated_story_does_not_pass_ingest_time_for_news_time(
    client: TestClient, stories: list[dict[str, Any]]
) -> None:
    undated = next(s for s in stories if s["first_published"] is None)
    page = client.get(f"/story/{undated['id']}").text
    meta = re.search(r'<p class="meta">(.*?)</p>', page.split('<article class="story"')[1], re.DOTALL)
    assert meta
    assert "undated, first seen" in meta.group(1)
    assert "updated" not in meta.group(1)
    front = client.get("/").text
    card = front.split(f'data-story="{undated["id"]}"')[1].split("</li>")[0]
    assert "undated, first seen" in card
    dated = next(s for s in stories if s["first_published"])
    assert "· updated " in client.get(f"/story/{dated['id']}").text


# -- 10. citations: one per source, the copies folded -----------------------------------------


def test_citations_show_each_source_once_and_fold_its_copies(
    client: TestClient, stories: list[dict[str, Any]]
) -> None:
    story_id = _story(stories, "Antwerp")
    story = client.get(f"/api/stories/{story_id}").json()
    page = client.get(f"/story/{story_id}").text
    sentences = re.findall(r'<div class="sentence">(.*?)</div>', page, re.DOTALL)
    assert len(sentences) == len(story["account"])
    folded = 0
    for sentence, account in zip(sentences, story["account"], strict=True):
        split = sources(account["citations"])
        shown = re.findall(r'<a class="cite" href="[^"]*/article/(\w+)"', sentence)
        copies = re.findall(r'<a class="cite copy" href="[^"]*/article/(\w+)"', sentence)
        assert shown == [c["article_id"] for c in split["reports"]]
        assert copies == [c["article_id"] for c in split["copies"]]
        assert len(shown) == len({c.get("copy_of") or c["article_id"] for c in account["citations"]})
        if copies:
            folded += 1
            label = f"+{len(copies)} cop{'y' if len(copies) == 1 else 'ies'}"
            assert f">{label}</summary>" in sentence
    assert folded  # the wire story's sentences are carried by an original and its copies


def test_helpers_that_keep_links_and_citations_honest() -> None:
    assert web_url("https://example.org/a")
    assert web_url("HTTP://example.org")
    for bad in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "//example.org",
        "/a",
        None,
        "http://",
    ):
        assert not web_url(bad), bad
    citations = [
        {"article_id": "c1", "outlet": "Copy One", "copy_of": "o"},
        {"article_id": "o", "outlet": "Original", "copy_of": None},
        {"article_id": "c2", "outlet": "Copy Two", "copy_of": "o"},
        {"article_id": "x1", "outlet": "Copy of an uncited one", "copy_of": "gone"},
        {"article_id": "x2", "outlet": "Its sibling", "copy_of": "gone"},
        {"article_id": "i", "outlet": "Independent", "copy_of": None},
    ]
    split = sources(citations)
    assert [c["article_id"] for c in split["reports"]] == ["o", "x1", "i"]
    assert [c["article_id"] for c in split["copies"]] == ["c1", "c2", "x2"]
