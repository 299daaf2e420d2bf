"""The reader through its ASGI app: pages, JSON API, Atom feeds, and scraped text kept inert."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

from click.testing import CliRunner
from fastapi.testclient import TestClient

from newsfold.cli import cli
from tests.web import reader_app, store_with

ATOM = "{http://www.w3.org/2005/Atom}"


def test_front_page_lists_top_stories_with_lead_and_counts(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "Content-Security-Policy" in page.headers
    cards = re.findall(r'<li class="story-card" data-story="(\w+)">', page.text)
    top = client.get("/api/stories", params={"top": True, "limit": 30}).json()
    assert cards == [s["id"] for s in top]
    assert 'class="lead"' in page.text
    assert "independent source" in page.text


def test_story_page_cites_articles_and_shows_every_section(client: TestClient) -> None:
    top = client.get("/api/stories", params={"top": True, "limit": 30}).json()
    best = max(top, key=lambda s: (s["outlets"], s["id"]))  # a story whose hits name their outlets
    story = client.get(f"/api/stories/{best['id']}").json()
    page = client.get(f"/story/{best['id']}")
    assert page.status_code == 200
    cited = set(re.findall(r'href="[^"]*/article/(\w+)" data-article', page.text))
    assert cited
    assert cited <= {m["article_id"] for m in story["members"]}
    for article_id in cited:
        assert client.get(f"/article/{article_id}").status_code == 200
    for heading in ("The story", "Coverage", "Who said what", "Timeline", "People, organisations, places"):
        assert heading in page.text, heading
    assert "<svg" in page.text


def test_api_story_is_the_cli_document(client: TestClient, demo_db: str) -> None:
    [best] = client.get("/api/stories", params={"top": True, "limit": 1}).json()
    from_api = client.get(f"/api/stories/{best['id']}").json()
    printed = CliRunner().invoke(cli, ["--db", demo_db, "story", best["id"], "--json"])
    assert from_api == json.loads(printed.output)


def test_article_page_offers_the_removed_boilerplate(client: TestClient) -> None:
    top = client.get("/api/stories", params={"top": True, "limit": 30}).json()
    best = max(top, key=lambda s: (s["outlets"], s["id"]))  # a story whose hits name their outlets
    story = client.get(f"/api/stories/{best['id']}").json()
    with_removed = [
        m["article_id"]
        for m in story["members"]
        if client.get(f"/api/articles/{m['article_id']}").json()["removed"]
    ]
    assert with_removed
    page = client.get(f"/article/{with_removed[0]}")
    assert '<details class="removed">' in page.text


def test_missing_things_are_404s(client: TestClient) -> None:
    assert client.get("/story/nope").status_code == 404
    assert client.get("/api/stories/nope").status_code == 404
    assert client.get("/api/articles/nope").status_code == 404


def test_atom_feeds_parse_and_link_back(client: TestClient) -> None:
    top = ET.fromstring(client.get("/feeds/top.atom").content)
    entries = top.findall(f"{ATOM}entry")
    assert entries
    first = entries[0].find(f"{ATOM}link")
    assert first is not None
    story_id = first.attrib["href"].rsplit("/", 1)[-1]
    story = ET.fromstring(client.get(f"/feeds/stories/{story_id}.atom").content)
    assert len(story.findall(f"{ATOM}entry")) == client.get(f"/api/stories/{story_id}").json()["articles"]


def test_openapi_documents_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/sources"} <= set(
        paths
    )


PAYLOAD_TITLE = 'Mayor resigns <script>alert("t")</script> <img src=x onerror=alert(1)>'


def test_scraped_script_and_handlers_render_inert(tmp_path: Path) -> None:
    article = {
        "url": "https://evil.example.test/a",
        "title": PAYLOAD_TITLE,
        "source": "Evil <b>Gazette</b>",
        "published": "2026-03-02T09:00:00+00:00",
        "text": (
            "The mayor resigned on Monday <script>document.title='owned'</script> after a vote. "
            'Council members said "<img src=x onerror=alert(2)>" was not a policy. ' * 3
        ),
    }
    url = store_with(tmp_path, article)
    with TestClient(reader_app(url)) as client:
        [story] = client.get("/api/stories").json()
        pages = [client.get("/").text, client.get(f"/story/{story['id']}").text]
        [member] = client.get(f"/api/stories/{story['id']}").json()["members"]
        pages.append(client.get(f"/article/{member['article_id']}").text)
        feed = client.get("/feeds/top.atom").text
    for page in pages:
        assert "<script>" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;" in page or "&lt;img" in page
    assert "<script>" not in feed


def test_search_finds_stories_and_articles_with_filters(client: TestClient) -> None:
    top = client.get("/api/stories", params={"top": True, "limit": 30}).json()
    best = max(top, key=lambda s: (s["outlets"], s["id"]))  # a story whose hits name their outlets
    story = client.get(f"/api/stories/{best['id']}").json()
    entity = story["entities"][0]["name"]
    found = client.get("/api/search", params={"entity": entity}).json()
    assert best["id"] in {s["id"] for s in found["stories"]}
    assert all(a["story_id"] for a in found["articles"])
    outlet = next(a["outlet"] for a in found["articles"] if a["outlet"])  # plain-text files name none
    narrowed = client.get("/api/search", params={"entity": entity, "source": outlet}).json()
    assert {a["outlet"] for a in narrowed["articles"]} == {outlet}
    future = client.get("/api/search", params={"entity": entity, "since": "2100-01-01"}).json()
    assert future["articles"] == []
    page = client.get("/search", params={"entity": entity})
    assert f'href="http://testserver/story/{best["id"]}"' in page.text
    story_page = client.get(f"/story/{best['id']}").text
    assert "/search?entity=" in story_page  # entities link to their search
    feed = ET.fromstring(client.get("/feeds/search.atom", params={"entity": entity}).content)
    assert len(feed.findall(f"{ATOM}entry")) == len(found["articles"])
    assert client.get("/api/search", params={"q": "x", "since": "not a date"}).status_code == 422
