"""The reader in Chromium: what a person sees and clicks, over the demo corpus and over hostile
scraped text.  Full-page screenshots of the front page and of the widest story are saved."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Dialog, Page, expect


def css_string(value: str) -> str:
    """``value`` as a double-quoted CSS string, for attribute selectors."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def widest_story(page: Page) -> dict[str, Any]:
    """The story reported by the most outlets (its summary, from the JSON API; not ``top=true``,
    which would synthesise every front-page story on a server that has not yet)."""
    stories = page.request.get("/api/stories?limit=500").json()
    return dict(max(stories, key=lambda s: (s["outlets"], s["id"])))


def story_document(page: Page, story_id: str) -> dict[str, Any]:
    return dict(page.request.get(f"/api/stories/{story_id}").json())


def test_front_page_of_the_demo_lists_story_cards(demo_page: Page, screenshots: Path) -> None:
    page = demo_page
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Top stories")
    cards = page.locator("li.story-card[data-story]")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 10  # the demo folds into twenty-odd stories
    page.screenshot(path=screenshots / "front.png", full_page=True)


def test_clicking_a_card_opens_its_story_with_a_cited_account(demo_page: Page, screenshots: Path) -> None:
    page = demo_page
    page.goto("/")
    first = page.locator("li.story-card").first
    story_id = first.get_attribute("data-story")
    first.locator("h2 a").click()
    expect(page).to_have_url(re.compile(rf"/story/{story_id}$"))
    expect(page.locator(f"article.story[data-story={css_string(story_id or '')}]")).to_be_visible()
    expect(page.locator("article.story section.account p").first).to_be_visible()

    widest = widest_story(page)
    page.goto(f"/story/{widest['id']}")
    expect(page.locator("article.story h1")).to_have_text(widest["title"])
    assert page.locator("section.account p").count() >= 2
    page.screenshot(path=screenshots / "story.png", full_page=True)


def test_citations_link_to_the_story_s_articles(demo_page: Page, demo_server: str) -> None:
    page = demo_page
    story = story_document(page, widest_story(page)["id"])
    page.goto(f"/story/{story['id']}")
    cites = page.locator("section.account a.cite")
    expect(cites.first).to_be_visible()
    for href in cites.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        parts = urlsplit(href)
        assert parts.path.startswith("/article/"), href
        assert not parts.netloc or f"{parts.scheme}://{parts.netloc}" == demo_server, href

    cites.first.click()
    expect(page).to_have_url(re.compile(r"/article/[^/]+$"))
    article_id = urlsplit(page.url).path.removeprefix("/article/")
    members = {m["article_id"]: m for m in story["members"]}
    assert article_id in members
    heading = page.locator("article.article h1")
    expect(heading).not_to_be_empty()
    assert " ".join(heading.inner_text().split()) == " ".join(members[article_id]["title"].split())


def test_search_form_finds_articles_and_their_stories(demo_page: Page) -> None:
    page = demo_page
    title = widest_story(page)["title"]
    word = max(re.findall(r"[A-Za-z]{4,}", title), key=len)  # a word the widest story's articles share
    page.goto("/search")
    page.locator('form.search input[name="q"]').fill(word)
    with page.expect_response(lambda r: urlsplit(r.url).path == "/search" and "q=" in r.url) as answer:
        page.locator('form.search button[type="submit"]').click()
    response = answer.value
    assert response.ok, f"{response.url}: {response.status} {response.text()[:300]}"
    articles = page.locator("ul.results-articles li a")
    expect(articles.first).to_be_visible()
    assert all("/article/" in (a.get_attribute("href") or "") for a in articles.all())
    expect(page.locator('ul.results-stories li a[href*="/story/"]').first).to_be_visible()

    lead = story_document(page, widest_story(page)["id"])["account"][0]["text"]
    in_text = max(re.findall(r"[A-Za-z]{5,}", lead), key=len)  # a word of an article's text, not only a title
    page.goto(f"/search?q={in_text}")
    mark = page.locator("ul.results-articles span.snippet mark").first
    expect(mark).to_be_visible()  # the matched word highlighted, no [brackets]
    assert mark.inner_text().casefold() == in_text.casefold()
    assert f"[{in_text.casefold()}]" not in page.locator("ul.results-articles").inner_text().casefold()

    outlet = page.locator("ul.results-articles span.outlet").first.inner_text()
    page.locator('form.search select[name="source"]').select_option(outlet)  # the outlets present
    page.locator('form.search button[type="submit"]').click()
    expect(page.locator("ul.results-articles span.outlet").first).to_have_text(outlet)
    assert set(page.locator("ul.results-articles span.outlet").all_inner_texts()) == {outlet}
    feed = page.locator("a.search-feed").get_attribute("href") or ""
    assert "source=" in feed


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_following_an_entity_puts_its_story_in_the_personal_feed(
    new_page: Callable[..., Page], fresh_demo_server: str, javascript: bool
) -> None:
    page = new_page(fresh_demo_server, javascript=javascript)
    response = page.goto("/feed")
    assert response is not None
    assert response.status == 200, f"GET /feed: {response.status}"
    story = widest_story(page)
    page.goto(f"/story/{story['id']}")
    page.locator("a#nav-feed").click()
    expect(page).to_have_url(re.compile(r"/feed$"))
    expect(page.locator("h1")).to_have_text("Your feed")
    expect(page.locator("p#feed-empty")).to_be_visible()

    page.goto(f"/story/{story['id']}")
    button = page.locator('form.follow button.follow-button[data-kind="entity"]').first
    name = button.get_attribute("data-value")
    assert name
    button.click()
    selector = f"button.follow-button[data-kind=entity][data-value={css_string(name)}]"
    expect(page.locator(selector).first).to_have_text("Following")

    page.locator("a#nav-feed").click()
    expect(page.locator("h1")).to_have_text("Your feed")
    expect(page.locator(f"li.story-card[data-story={css_string(story['id'])}]")).to_be_visible()
    expect(page.locator(f"ul.follows li[data-kind=entity][data-value={css_string(name)}]")).to_be_visible()
    expect(page.locator("p#feed-empty")).to_have_count(0)


def test_scraped_script_and_markup_stay_inert_text_in_the_browser(
    new_page: Callable[..., Page], evil_server: str
) -> None:
    page = new_page(evil_server)
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", record)
    [story] = page.request.get("/api/stories").json()
    [member] = story_document(page, story["id"])["members"]
    visits = [
        ("/", "li.story-card h2 a"),
        (f"/story/{story['id']}", "article.story h1"),
        (f"/article/{member['article_id']}", "article.article h1"),
    ]
    for path, heading in visits:
        page.goto(path, wait_until="load")
        expect(page.locator(heading)).to_contain_text('<script>alert("t")</script>')
        expect(page.locator(heading)).to_contain_text("<img src=x onerror=alert(1)>")
        assert page.evaluate("document.title") != "owned", path
        assert page.locator('img[src="x"], [onerror]').count() == 0, path
        assert page.locator("b", has_text="Gazette").count() == 0, path
        assert page.locator("script:not([src])").count() == 0, path  # no inline script, scraped or not
    expect(page.locator("article.article p.meta")).to_contain_text("Evil <b>Gazette</b>")
    expect(page.locator("article.article")).to_contain_text("<script>document.title='owned'</script>")
    page.wait_for_timeout(200)  # a handler that was going to fire has had its chance
    assert dialogs == []
    assert page.evaluate("document.title") != "owned"


def test_citations_fold_copies_and_an_article_leads_back_to_its_story(demo_page: Page) -> None:
    page = demo_page
    stories = page.request.get("/api/stories?limit=500").json()
    story = next(s for s in stories if "Antwerp" in s["title"])
    page.goto(f"/story/{story['id']}")
    copies = page.locator("section.account details.copies").first
    expect(copies).to_be_visible()
    expect(copies.locator("summary")).to_have_text(re.compile(r"^\+\d+ cop(y|ies)$"))
    copy_link = copies.locator("a.cite.copy").first
    expect(copy_link).to_be_hidden()  # folded until asked for
    copies.locator("summary").click()
    expect(copy_link).to_be_visible()
    copy_link.click()
    expect(page).to_have_url(re.compile(r"/article/[^/]+$"))
    expect(page.locator("p.relation")).to_contain_text("copy of")
    page.locator("a.story-link").click()
    expect(page).to_have_url(re.compile(rf"/story/{story['id']}$"))


def test_the_api_docs_render_offline_under_their_policy(demo_page: Page, demo_server: str) -> None:
    page = demo_page
    problems: list[str] = []
    foreign: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on(
        "request",
        lambda r: foreign.append(r.url) if not r.url.startswith((demo_server, "data:", "blob:")) else None,
    )
    page.goto("/docs")
    operations = page.locator("#swagger-ui .opblock")
    expect(operations.first).to_be_visible()
    assert operations.count() >= 10
    expect(page.locator("#swagger-ui .opblock-summary-path", has_text="/api/search").first).to_be_visible()
    assert problems == []  # nothing blocked by the policy, nothing failed
    assert foreign == []

    page.goto("/redoc")
    expect(page.get_by_role("heading", name="Api Search").first).to_be_visible()
    # ReDoc's footer asks a CDN for its logo; the policy blocks it (the image hides itself)
    assert all("cdn.redoc.ly" in url for url in foreign)
