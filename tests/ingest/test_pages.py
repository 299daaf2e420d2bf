"""HTML pages: telling pages from feeds, finding announced feeds, and picking article links off a front."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.ingest.pages import discover_article_links, discover_feeds, looks_like_html, sniff_root

FIXTURES = Path(__file__).parent / "fixtures"
HOME = (FIXTURES / "pages" / "home.html").read_bytes()
SITE = "http://news.example.test"
PAGE = f"{SITE}/front/today.html"  # not the site root, so the page's <base href="/"> matters


def page(body: str, head: str = "") -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


# --- sniffing -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (HOME, None, True),
        (b"\xef\xbb\xbf<!-- generated -->\n<HTML><body></body></HTML>", None, True),
        (b"<head><title>x</title></head>", None, True),
        (b"<div>fragment</div>", None, False),
        (b"<div>fragment</div>", "text/html; charset=utf-8", True),
        (b"<?xml version='1.0'?><rss version='2.0'/>", "text/html", False),
        (b"<urlset/>", "text/html", False),
        (b"plain words", "text/html", False),
        (b"", "text/html", False),
        ("<html>".encode("utf-16"), None, True),
    ],
)
def test_looks_like_html(body: bytes, content_type: str | None, expected: bool) -> None:
    assert looks_like_html(body, content_type) is expected


def test_sniff_root_skips_the_prolog() -> None:
    body = b"<?xml version='1.0'?>\n<!-- hi -->\n<!DOCTYPE rdf:RDF [ <!ENTITY x 'y'> ]>\n<rdf:RDF/>"
    assert sniff_root(body) == "rdf"
    assert sniff_root(b"<!doctype html>") == "html"
    assert sniff_root(b'{"version": 1}') is None


# --- feeds --------------------------------------------------------------------------------------------


def test_discover_feeds_honours_base_dedupes_and_filters_types() -> None:
    assert discover_feeds(HOME, PAGE) == [
        f"{SITE}/feeds/rss20.xml",  # relative to <base href="/">, not to /front/
        f"{SITE}/feeds/atom.xml",
        "https://news.example.test/feeds/feed.json",
    ]  # the second rss20 link (with a fragment) is the same feed; the hreflang alternate is no feed


def test_discover_feeds_without_base_uses_the_page_url() -> None:
    html = page(
        "",
        '<link rel="Alternate Home" type="Application/RSS+XML; charset=utf-8" href="rss.xml">'
        '<link rel="alternate" type="application/json" href="feed.json">'
        '<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">'
        '<link rel="stylesheet" type="application/rss+xml" href="not-alternate.xml">',
    )
    assert discover_feeds(html, PAGE) == [f"{SITE}/front/rss.xml", f"{SITE}/front/feed.json"]


# --- article links ------------------------------------------------------------------------------------


def test_article_links_on_the_fixture_home_page() -> None:
    assert discover_article_links(HOME, PAGE) == [
        f"{SITE}/2024/05/17/council-and-port-agree-on-new-sea-wall",  # in an article's own <header>
        f"{SITE}/2024-05-16-night-ferry-cancelled",
        "http://www.news.example.test/sport/rowing-club-wins-estuary-cup.html",
        f"{SITE}/news/98765",
        f"{SITE}/business/fish_market_opens_new_hall?ref=home",
    ]


def test_served_from_another_host_only_relative_links_follow() -> None:
    assert discover_article_links(HOME, "http://127.0.0.1:8765/pages/home.html") == [
        "http://127.0.0.1:8765/2024/05/17/council-and-port-agree-on-new-sea-wall",
        "http://127.0.0.1:8765/2024-05-16-night-ferry-cancelled",
        "http://127.0.0.1:8765/news/98765",
    ]


@pytest.mark.parametrize(
    ("href", "kept"),
    [
        ("/world/ferry-cancelled-by-storm", True),
        ("/world/ferry_cancelled_by_storm/", True),
        ("/world/ferry-cancelled-by-storm.htm", True),
        ("/2024/05/17/ferry", True),
        ("/archive/2024-05-17", True),
        ("/news/world-europe-68912345", True),
        ("/a/12345?utm_source=x", True),
        ("https://WWW.News.Example.Test/world/ferry-cancelled-by-storm", True),
        ("/world/ferry-cancelled", False),  # two words: a section, as often as a story
        ("/2024/05/17/", False),  # a day's archive
        ("/world/", False),
        ("/", False),
        ("/world/page/3", False),
        ("/tags/ferry-cancelled-by-storm", False),
        ("/authors/ada-marlow-smith", False),
        ("/about/our-history-since-1901", False),
        ("/terms-and-conditions", False),
        ("/img/ferry-cancelled-by-storm.webp", False),
        ("/files/ferry-cancelled-by-storm-report.pdf", False),
        ("/feed/ferry-cancelled-by-storm", False),
        ("mailto:ferry-cancelled-by-storm@news.example.test", False),
        ("http://evil.test/world/ferry-cancelled-by-storm", False),
        ("http://user@news.example.test/world/ferry-cancelled-by-storm", False),
        ("http://[::1/world/ferry-cancelled-by-storm", False),
        ("/world/ferry-cancelled\\by-storm", False),
    ],
)
def test_article_heuristic(href: str, kept: bool) -> None:
    found = discover_article_links(page(f'<main><a href="{href}">x</a></main>'), f"{SITE}/")
    assert bool(found) is kept, found


def test_furniture_is_left_out_but_teaser_headers_are_not() -> None:
    html = page(
        '<header><a href="/2024/05/17/masthead-promo-story">promo</a></header>'
        '<div role="banner"><a href="/2024/05/17/banner-promo-story">promo</a></div>'
        '<ul role="navigation"><li><a href="/2024/05/17/menu-story-link">menu</a></li></ul>'
        '<section><header><a href="/2024/05/17/section-lead-story">lead</a></header>'
        '<footer><a href="/2024/05/17/section-footer-story">more</a></footer></section>'
        '<aside><article><a href="/2024/05/17/sidebar-story-link">side</a></article></aside>'
        '<footer><a href="/2024/05/17/page-footer-story">old</a></footer>'
    )
    assert discover_article_links(html, f"{SITE}/") == [
        f"{SITE}/2024/05/17/section-lead-story",
        f"{SITE}/2024/05/17/section-footer-story",
    ]


def test_the_page_itself_is_not_an_article_link() -> None:
    url = f"{SITE}/2024/05/17/live-updates-from-the-harbour"
    html = page(f'<a href="{url}#latest">latest</a><a href="/2024/05/17/another-harbour-story">x</a>')
    assert discover_article_links(html, url) == [f"{SITE}/2024/05/17/another-harbour-story"]


def test_undeclared_utf8_is_read_as_utf8() -> None:
    html = "<html><body><a href='/kultur/børnenes-nye-bibliotek'>x</a></body></html>".encode()
    assert discover_article_links(html, "http://avis.example.test/") == [
        "http://avis.example.test/kultur/børnenes-nye-bibliotek"
    ]


@pytest.mark.parametrize(
    "junk", [b"", b"   ", b"\x00\x01\x02", b"<", b"\xff\xfe\x00", b"<a href='", HOME[:333]]
)
def test_junk_gives_no_links_and_no_error(junk: bytes) -> None:
    assert isinstance(discover_article_links(junk, PAGE), list)
    assert isinstance(discover_feeds(junk, PAGE), list)


# --- properties ---------------------------------------------------------------------------------------

_HREF = st.one_of(
    st.text(max_size=40),
    st.builds(
        lambda scheme, host, path, fragment: f"{scheme}{host}{path}{fragment}",
        st.sampled_from(["", "http://", "https://", "//", "HTTP://", "mailto:", "javascript:", "ftp://"]),
        st.sampled_from(
            ["", "news.example.test", "www.news.example.test", "NEWS.example.test:8080", "evil.test",
             "news.example.test.evil.test", "user:pw@evil.test", "evil.test@news.example.test",
             "[::1]", "news.example.test\\@evil.test"]
        ),
        st.sampled_from(["/", "/2024/05/17/", "/a-b-c", "/x/12345", "/tag/", "/page/2", "/a_b_c.html", "?q"]),
        st.sampled_from(["", "#", "#top", "#a#b"]),
    ),
)  # fmt: skip
_WRAPPER = st.sampled_from(["{}", "<nav>{}</nav>", "<article><header>{}</header></article>", "<p>{}</p>"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_WRAPPER, _HREF), max_size=8),
    st.sampled_from([f"{SITE}/", "https://www.news.example.test/x/"]),
)
def test_article_links_are_same_site_absolute_and_fragment_free(
    links: list[tuple[str, str]], page_url: str
) -> None:
    body = "".join(wrapper.format(f'<a href="{href}">x</a>') for wrapper, href in links)
    found = discover_article_links(page(body), page_url)
    assert len(found) == len(set(found))
    for url in found:
        parts = urlsplit(url)
        assert parts.scheme in ("http", "https")
        assert (parts.hostname or "").removeprefix("www.") == "news.example.test"
        assert "#" not in url


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=500))
def test_any_bytes_give_lists(data: bytes) -> None:
    assert all(isinstance(u, str) for u in discover_article_links(data, PAGE))
    assert all(isinstance(u, str) for u in discover_feeds(data, PAGE))
