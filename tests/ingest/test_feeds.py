"""Feed parsing: every format's title, links, dates and content, recovery, refusal, and no surprises."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.ingest.feeds import FeedEntry, FeedError, ParsedFeed, looks_like_feed, parse_feed

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
SITE = "http://news.example.test"


def read(name: str, *, url: str | None = None, content_type: str | None = None) -> ParsedFeed:
    return parse_feed((FEEDS / name).read_bytes(), url or f"{SITE}/feeds/{name}", content_type)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- each format --------------------------------------------------------------------------------------


def test_rss090_items_are_a_title_and_a_link() -> None:
    feed = read("rss090.rdf")
    assert (feed.format, feed.title, feed.site_url, feed.warnings) == (
        "rss090",
        "Harbour Town Courier: Port",
        f"{SITE}/port/",
        (),
    )
    engine, night = feed.entries
    assert engine == FeedEntry(
        url=f"{SITE}/port/2024/05/14/pilot-boat-gets-a-new-engine",
        guid=None,
        title="Pilot boat gets a new engine",
        published=None,
        updated=None,
        summary_html=None,
        content_html=None,
        authors=(),
    )
    assert night.title == "Harbour board & pilots agree on night arrivals"
    assert len(feed.entries) == 2  # the <image> is not an item


def test_rss091_items_have_links_and_summaries_but_no_dates() -> None:
    feed = read("rss091.xml")
    assert (feed.format, feed.title, feed.site_url, feed.warnings) == (
        "rss091u",
        "Harbour Town Courier",
        f"{SITE}/",
        (),
    )
    first = feed.entries[0]
    assert first.url == f"{SITE}/2024/05/17/lighthouse-keeper-retires-after-forty-years"
    assert first.title == "Lighthouse keeper retires after forty years"
    assert first.summary_html == "Margaret Penrose switched off the lamp for the last time on Friday."
    assert (first.published, first.updated, first.content_html, first.guid, first.authors) == (
        None,
        None,
        None,
        None,
        (),
    )
    assert len(feed.entries) == 2


def test_rss092_html_description_and_an_item_without_title() -> None:
    feed = read("rss092.xml")
    assert feed.format == "rss092"
    assert feed.site_url == f"{SITE}/sport/"
    rowing, cricket = feed.entries
    assert rowing.summary_html == "<p>The coxless four finished <b>two lengths</b> clear.</p>"
    assert cricket.title is None
    assert cricket.url == f"{SITE}/sport/cricket-fixtures-2024-season"


def test_rss10_dc_date_is_the_publication_date_in_utc() -> None:
    feed = read("rss10.rdf")
    assert (feed.format, feed.title) == ("rss10", "Harbour Town Courier: Business")
    (entry,) = feed.entries
    assert entry.url == f"{SITE}/business/2024/05/15/fish-market-opens-new-hall"
    assert entry.published == utc(2024, 5, 15, 5, 45)  # 06:45 +01:00
    assert entry.published is not None
    assert entry.published.tzinfo is UTC
    assert entry.authors == ("Tomas Quill",)


def test_rss20_content_encoded_and_summary_only_items() -> None:
    feed = read("rss20.xml")
    assert (feed.format, feed.title, feed.site_url) == ("rss20", "Harbour Town Courier", f"{SITE}/")
    wall, ferry = feed.entries
    assert wall == FeedEntry(
        url=f"{SITE}/2024/05/17/council-and-port-agree-on-new-sea-wall",
        guid="courier-2024-0517-seawall",
        title="Council & port agree on new sea wall",
        published=utc(2024, 5, 17, 7, 15),  # 09:15 +02:00
        updated=None,
        summary_html="The wall will protect 300 homes on the east quay.",
        content_html=wall.content_html,
        authors=("Ada Marlow",),
    )
    assert wall.content_html is not None
    assert wall.content_html.startswith("<p>The wall will protect 300 homes on the east quay.</p>")
    # links inside the content are made absolute too
    assert f'href="{SITE}/topics/sea-wall"' in wall.content_html
    assert f'src="{SITE}/img/wall.jpg"' in wall.content_html
    # the summary-only item: no content, fragment kept off the link, "email (Name)" author
    assert ferry.content_html is None
    assert ferry.summary_html == "Passengers were offered rooms at the <em>Anchor Hotel</em>."
    assert ferry.url == f"{SITE}/2024/05/16/night-ferry-cancelled-by-storm"
    assert ferry.published == utc(2024, 5, 16, 22, 40)
    assert ferry.authors == ("Night Desk",)


def test_atom10_html_title_text_summary_and_inherited_author() -> None:
    feed = read("atom.xml")
    assert (feed.format, feed.title, feed.site_url) == ("atom10", "Harbour Town Courier", f"{SITE}/")
    dredging, library = feed.entries
    assert dredging.title == "Harbour dredging to begin in June"  # markup removed
    assert dredging.url == f"{SITE}/2024/05/17/harbour-dredging-to-begin-in-june"
    assert dredging.guid == "urn:uuid:8d2b7f44-2c1e-4e0a-b1f3-6c0d9e2a5b21"
    assert dredging.published == utc(2024, 5, 17, 9, 30)
    assert dredging.updated == utc(2024, 5, 17, 11, 5)
    assert dredging.summary_html == "<p>Dredgers arrive on 3 June.</p>"
    assert dredging.content_html == "<p>Dredgers arrive on 3 June and work for six weeks.</p>"
    assert dredging.authors == ("Ada Marlow", "Tomas Quill")
    assert library.published is None  # Atom keeps published and updated apart
    assert library.updated == utc(2024, 5, 16, 8, 0)
    assert library.summary_html == "<p>Open until 17:00 on Saturdays &amp; Sundays.</p>"
    assert library.content_html is None
    assert library.authors == ("Courier Newsroom",)


def test_atom03() -> None:
    body = b"""<?xml version="1.0"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#">
  <title>Harbour Town Courier</title>
  <link rel="alternate" type="text/html" href="/"/>
  <entry>
    <title>Pier reopens after repairs</title>
    <link rel="alternate" type="text/html" href="/2024/05/14/pier-reopens-after-repairs"/>
    <issued>2024-05-14T10:00:00Z</issued>
    <modified>2024-05-14T11:00:00Z</modified>
    <content type="text/html" mode="escaped">&lt;p&gt;Anglers welcome.&lt;/p&gt;</content>
  </entry>
</feed>"""
    feed = parse_feed(body, f"{SITE}/feeds/atom03.xml")
    assert (feed.format, feed.site_url) == ("atom03", f"{SITE}/")
    (entry,) = feed.entries
    assert entry.url == f"{SITE}/2024/05/14/pier-reopens-after-repairs"
    assert (entry.published, entry.updated) == (utc(2024, 5, 14, 10), utc(2024, 5, 14, 11))
    assert entry.content_html == "<p>Anglers welcome.</p>"
    assert entry.summary_html is None  # feedparser's copy of the content is not a summary


def test_json_feed_11() -> None:
    feed = read("feed.json")
    assert (feed.format, feed.title, feed.site_url, feed.warnings) == (
        "json1.1",
        "Harbour Town Courier",
        f"{SITE}/",
        (),
    )
    choir, bus = feed.entries
    assert choir == FeedEntry(
        url=f"{SITE}/2024/05/17/school-choir-heads-to-national-final",
        guid="courier-1001",
        title="School choir heads to national final",
        published=utc(2024, 5, 17, 8, 0),
        updated=utc(2024, 5, 17, 9, 30),
        summary_html="<p>Forty singers from St Brendan's travel on Saturday.</p>",
        content_html="<p>Forty singers from St Brendan's travel on Saturday.</p>",
        authors=("Ada Marlow",),  # the author with only a URL has no name to give
    )
    assert bus.guid == "1002"  # numeric id coerced
    assert bus.url == f"{SITE}/2024/05/16/bus-route-7-to-run-on-sundays"  # from external_url
    assert bus.content_html == (
        "<p>From June the 7 runs every hour on Sundays.</p>\n"
        "<p>Fares stay at £2 &amp; under-16s &lt;still&gt; travel free.</p>"
    )
    assert bus.authors == ("Courier Newsroom",)  # the feed's authors


def test_json_feed_1_with_author_object_sanitised_html_and_bad_items() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1",
        "title": "Courier",
        "author": {"name": "Courier Newsroom"},
        "items": [
            {
                "id": "a",
                "url": "/2024/05/13/harbour-seals-return#photos",
                "content_html": '<script>steal()</script><p onclick="x()"><a href="/more">more</a></p>',
                "date_published": "not a date",
                "author": {"name": "Ada Marlow"},
            },
            "not an object",
        ],
    }
    feed = parse_feed(json.dumps(doc).encode(), f"{SITE}/feeds/v1.json", "application/json")
    assert feed.format == "json1"
    (entry,) = feed.entries
    assert entry.url == f"{SITE}/2024/05/13/harbour-seals-return"
    assert entry.content_html == f'<p><a href="{SITE}/more">more</a></p>'
    assert entry.authors == ("Ada Marlow",)
    assert entry.published is None
    assert feed.warnings == (
        "item 1: unreadable date_published 'not a date' ignored",
        "item 2 is not an object; skipped",
    )


def test_links_resolve_against_wherever_the_feed_was_served() -> None:
    feed = read("rss20.xml", url="http://127.0.0.1:8765/feeds/rss20.xml")
    assert feed.site_url == "http://127.0.0.1:8765/"
    assert feed.entries[0].url == "http://127.0.0.1:8765/2024/05/17/council-and-port-agree-on-new-sea-wall"


def test_non_http_links_are_dropped() -> None:
    body = b"""<rss version="2.0"><channel><item><title>x</title><link>javascript:alert(1)</link>
    </item></channel></rss>"""
    assert parse_feed(body, f"{SITE}/f").entries[0].url is None


# --- damage and refusal -------------------------------------------------------------------------------


def test_recoverable_feed_is_read_with_a_warning() -> None:
    feed = read("malformed-recoverable.xml")
    (entry,) = feed.entries
    assert entry.title == "Fish & chips festival returns to the quay"
    assert entry.published == utc(2024, 5, 18, 8, 0)
    assert entry.summary_html == "Stalls open at noon\xa0on Saturday."
    (warning,) = feed.warnings
    assert warning.startswith("malformed XML at line 8: a bare '&'")
    assert "read leniently" in warning


def test_broken_feed_is_refused_with_the_place_it_breaks() -> None:
    with pytest.raises(FeedError, match=r"^malformed XML at line 5: "):
        read("not-a-feed.xml")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "not a feed: the body is empty"),
        (b"  \n ", "not a feed: the body is empty"),
        (b"<!DOCTYPE html><html><body><p>Hello</p></body></html>", "not a feed: looks like an HTML page"),
        (b"<urlset><url><loc>http://a.test/</loc></url></urlset>", "not a feed: the document is <urlset>"),
        (b"Service Unavailable", "not a feed: neither XML nor JSON"),
        (b'{"status": "ok"}', "not a feed: JSON without a JSON Feed version"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "malformed JSON at line 1"),
        (b'{"version": "https://jsonfeed.org/version/1.1"}', "malformed JSON Feed: it has no 'items' list"),
        (b"\xff\xfe\x00\x00junk", "not a feed"),
    ],
)
def test_unreadable_bytes_say_why(body: bytes, message: str) -> None:
    with pytest.raises(FeedError) as caught:
        parse_feed(body, f"{SITE}/feed")
    assert str(caught.value).startswith(message)


def test_feed_served_as_html_is_still_read_with_a_warning() -> None:
    feed = read("rss20.xml", content_type="text/html; charset=utf-8")
    assert len(feed.entries) == 2
    assert feed.warnings == ("served as text/html, which is not an XML media type; read anyway",)


def test_unreadable_date_is_a_warning() -> None:
    body = b"""<rss version="2.0"><channel><item><title>x</title><pubDate>last Tuesday</pubDate>
    </item></channel></rss>"""
    feed = parse_feed(body, f"{SITE}/f", "application/rss+xml")
    assert feed.entries[0].published is None
    assert feed.warnings == ("entry 1: unreadable date 'last Tuesday' ignored",)


def test_an_empty_but_valid_feed_has_no_entries() -> None:
    feed = parse_feed(b'<rss version="2.0"><channel><title>Quiet day</title></channel></rss>', f"{SITE}/f")
    assert (feed.title, feed.entries, feed.warnings) == ("Quiet day", (), ())


def test_bytes_naming_a_local_file_are_never_opened(tmp_path: Path) -> None:
    # feedparser.parse(bytes) would first try the bytes as a file name; parse_feed must not.
    path = tmp_path / "secret.xml"
    path.write_bytes((FEEDS / "rss20.xml").read_bytes())
    with pytest.raises(FeedError, match="neither XML nor JSON"):
        parse_feed(str(path).encode(), f"{SITE}/f")


# --- sniffing -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["rss090.rdf", "rss091.xml", "rss092.xml", "rss10.rdf", "rss20.xml", "atom.xml", "feed.json"]
)
def test_fixtures_look_like_feeds(name: str) -> None:
    assert looks_like_feed((FEEDS / name).read_bytes())


def test_pages_sitemaps_and_json_do_not_look_like_feeds() -> None:
    fixtures = FEEDS.parent
    assert not looks_like_feed((fixtures / "pages" / "home.html").read_bytes(), "application/rss+xml")
    assert not looks_like_feed((fixtures / "sitemaps" / "sitemap.xml").read_bytes())
    assert not looks_like_feed(b'{"status": "ok"}')
    assert not looks_like_feed(b"")


def test_content_type_only_breaks_a_tie() -> None:
    long_prolog = b"<!--" + b" " * 20_000 + b"-->\n<rss version='2.0'/>"
    assert not looks_like_feed(long_prolog)
    assert looks_like_feed(long_prolog, "application/rss+xml; charset=utf-8")
    escaped = b'{"items": [], "version": "https:\\/\\/jsonfeed.org\\/version\\/1.1"}'
    assert looks_like_feed(escaped)
    assert looks_like_feed(b"\xef\xbb\xbf  <rss version='2.0'/>", "text/html")


# --- properties ---------------------------------------------------------------------------------------

_STARTS = st.sampled_from(
    [
        b"",
        b"<?xml version='1.0'?>",
        b"<rss version='2.0'><channel><item><title>",
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="html">',
        b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><item>",
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
        b"<!DOCTYPE rss [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><rss version='2.0'>&e;",
    ]
)


def _outcome(body: bytes, content_type: str | None) -> None:
    try:
        feed = parse_feed(body, f"{SITE}/feed", content_type)
    except FeedError:
        return
    for entry in feed.entries:
        assert entry.url is None or entry.url.startswith(("http://", "https://"))
        assert entry.url is None or "#" not in entry.url
        for moment in (entry.published, entry.updated):
            assert moment is None or moment.utcoffset() is not None


@settings(max_examples=150, deadline=None)
@given(_STARTS, st.binary(max_size=400), st.sampled_from([None, "text/html", "application/json", "text/xml"]))
def test_any_bytes_give_a_feed_or_a_feed_error(start: bytes, tail: bytes, content_type: str | None) -> None:
    _outcome(start + tail, content_type)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
_ITEM_KEYS = st.sampled_from(
    ["id", "url", "external_url", "title", "content_html", "content_text", "summary", "date_published",
     "date_modified", "author", "authors"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(_JSON, st.dictionaries(_ITEM_KEYS, _JSON, max_size=6)), max_size=4),
    st.dictionaries(st.sampled_from(["title", "home_page_url", "author", "authors"]), _JSON, max_size=3),
)
def test_any_json_feed_shape_gives_a_feed_or_a_feed_error(items: list[Any], top: dict[str, Any]) -> None:
    doc = {"version": "https://jsonfeed.org/version/1.1", "items": items, **top}
    _outcome(json.dumps(doc).encode(), "application/feed+json")
