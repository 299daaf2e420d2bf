"""Sitemaps: URLs and news details out, compressed input capped, hostile XML defused."""

from __future__ import annotations

import gzip
import time
import tracemalloc
import zlib
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.ingest.sitemaps import Sitemap, SitemapError, SitemapUrl, looks_like_sitemap, parse_sitemap

SITEMAPS = Path(__file__).parent / "fixtures" / "sitemaps"
SITE = "http://news.example.test"


def read(name: str) -> Sitemap:
    return parse_sitemap((SITEMAPS / name).read_bytes(), f"{SITE}/sitemaps/{name}")


def test_plain_sitemap() -> None:
    sitemap = read("sitemap.xml")
    assert sitemap.sitemaps == ()
    assert sitemap.urls == (
        SitemapUrl(
            f"{SITE}/2024/05/17/council-and-port-agree-on-new-sea-wall",
            datetime(2024, 5, 17, 7, 15, tzinfo=UTC),  # 09:15 +02:00; the image's <loc> is not a URL entry
            None,
            None,
            None,
        ),
        SitemapUrl(  # listed twice: the first entry wins
            f"{SITE}/2024/05/16/night-ferry-cancelled-by-storm",
            datetime(2024, 5, 16, tzinfo=UTC),
            None,
            None,
            None,
        ),
        SitemapUrl(
            f"{SITE}/sport/rowing-club-wins-estuary-cup?from=sitemap&v=2",
            datetime(2024, 5, 1, tzinfo=UTC),  # "2024-05": month precision
            None,
            None,
            None,
        ),
        # the relative and ftp: URLs are dropped; an unreadable lastmod is just missing
        SitemapUrl(f"{SITE}/about", None, None, None, None),
    )


def test_news_sitemap() -> None:
    dredging, choir = read("news-sitemap.xml").urls
    assert dredging == SitemapUrl(
        url=f"{SITE}/2024/05/17/harbour-dredging-to-begin-in-june",
        lastmod=None,
        news_title="Harbour dredging to begin in June",
        news_published=datetime(2024, 5, 17, 9, 30, tzinfo=UTC),
        news_publication="Harbour Town Courier",
    )
    assert choir.news_title == "School choir heads to national final & more"
    assert choir.news_published == datetime(2024, 5, 17, tzinfo=UTC)
    assert choir.lastmod == datetime(2024, 5, 17, 10, 5, tzinfo=UTC)


def test_sitemap_index_lists_absolute_child_sitemaps() -> None:
    assert read("sitemap-index.xml") == Sitemap(
        urls=(),
        sitemaps=(
            f"{SITE}/sitemaps/news-sitemap.xml",
            f"{SITE}/sitemaps/sitemap.xml",
            f"{SITE}/sitemaps/sitemap-2024-04.xml.gz",
        ),
    )


def test_missing_namespaces_are_tolerated() -> None:
    data = b"""<urlset><url><loc> http://news.example.test/a-b-c </loc><news><title>T</title>
    <publication><name>P</name></publication><publication_date>2024-05-17T10:00Z</publication_date></news>
    </url></urlset>"""
    (entry,) = parse_sitemap(data, f"{SITE}/s.xml").urls
    assert entry == SitemapUrl(f"{SITE}/a-b-c", None, "T", datetime(2024, 5, 17, 10, 0, tzinfo=UTC), "P")


def test_gzip_is_read_and_sniffed() -> None:
    raw = (SITEMAPS / "news-sitemap.xml").read_bytes()
    packed = gzip.compress(raw)
    assert parse_sitemap(packed, f"{SITE}/s.xml.gz") == parse_sitemap(raw, f"{SITE}/s.xml")
    assert looks_like_sitemap(packed)


def _gzip_bomb(inflated_size: int) -> bytes:
    """``inflated_size`` bytes of zeros, gzip-compressed a megabyte at a time (never held whole)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    megabyte = bytes(1 << 20)
    parts = [compressor.compress(megabyte) for _ in range(inflated_size >> 20)]
    parts.append(compressor.flush())
    return b"".join(parts)


def test_gzip_bomb_is_refused_without_being_inflated() -> None:
    bomb = _gzip_bomb(200 << 20)  # 200 MB of zeros
    assert len(bomb) < 1 << 20  # a fraction of a megabyte on the wire
    tracemalloc.start()
    try:
        with pytest.raises(SitemapError, match=r"decompresses to more than the 1\.0 MB limit"):
            parse_sitemap(bomb, f"{SITE}/bomb.xml.gz", max_bytes=1 << 20)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20, f"peak memory {peak:,} bytes"


def test_uncompressed_input_is_capped_too() -> None:
    with pytest.raises(SitemapError, match="larger than the 100 bytes limit"):
        parse_sitemap((SITEMAPS / "sitemap.xml").read_bytes(), f"{SITE}/s.xml", max_bytes=100)


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("http://news.example.test/TOP-SECRET")
    data = f"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>
<urlset><url><loc>&xxe;</loc></url><url><loc>http://news.example.test/a-b-c</loc></url></urlset>"""
    sitemap = parse_sitemap(data.encode(), f"{SITE}/s.xml")
    assert [u.url for u in sitemap.urls] == [f"{SITE}/a-b-c"]
    assert "TOP-SECRET" not in repr(sitemap)


def test_entity_bomb_is_refused_quickly() -> None:
    entities = ['<!ENTITY a0 "lol">'] + [f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)]
    bomb = f"""<?xml version="1.0"?>
<!DOCTYPE urlset [{"".join(entities)}]>
<urlset><url><loc>http://news.example.test/&a9;</loc></url></urlset>"""
    start = time.monotonic()
    try:
        sitemap = parse_sitemap(bomb.encode(), f"{SITE}/s.xml")
    except SitemapError:
        pass
    else:
        assert all(len(u.url) < 1000 for u in sitemap.urls)
    assert time.monotonic() - start < 5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not a sitemap: http://news.example.test/s.xml is empty"),
        (b'<rss version="2.0"/>', "not a sitemap: the root element is <rss>"),
        (b"<urlset><url><loc>x</url></urlset>", "malformed sitemap XML at line 1: "),
        (b"\x1f\x8b\x08\x00garbage", "sitemap http://news.example.test/s.xml is not valid gzip"),
        (
            gzip.compress(b"<urlset>", mtime=0)[:-8],
            "sitemap http://news.example.test/s.xml is not valid gzip",
        ),
    ],
)
def test_unreadable_bytes_say_why(data: bytes, message: str) -> None:
    with pytest.raises(SitemapError) as caught:
        parse_sitemap(data, f"{SITE}/s.xml")
    assert str(caught.value).startswith(message)


def test_looks_like_sitemap() -> None:
    assert looks_like_sitemap((SITEMAPS / "sitemap.xml").read_bytes())
    assert looks_like_sitemap((SITEMAPS / "sitemap-index.xml").read_bytes())
    assert not looks_like_sitemap((SITEMAPS.parent / "feeds" / "rss20.xml").read_bytes())
    assert not looks_like_sitemap(b"\x1f\x8bnot really gzip")
    assert not looks_like_sitemap(b"")


# --- properties ---------------------------------------------------------------------------------------


def _check(data: bytes) -> None:
    try:
        sitemap = parse_sitemap(data, f"{SITE}/s.xml", max_bytes=4096)
    except SitemapError:
        return
    for url in [u.url for u in sitemap.urls] + list(sitemap.sitemaps):
        assert urlsplit(url).scheme in ("http", "https")
    for entry in sitemap.urls:
        for moment in (entry.lastmod, entry.news_published):
            assert moment is None or moment.tzinfo is UTC


_XMLISH = st.builds(
    lambda head, body: head + body,
    st.sampled_from(
        [b"", b"<urlset>", b"<sitemapindex><sitemap><loc>", b"<urlset><url><loc>http://a.test/", b"\x1f\x8b"]
    ),
    st.binary(max_size=300),
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(_XMLISH, _XMLISH.map(gzip.compress)))
def test_any_bytes_give_a_sitemap_or_a_sitemap_error(data: bytes) -> None:
    _check(data)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=30), st.text(max_size=30)), max_size=5))
def test_any_entries_give_a_sitemap_or_a_sitemap_error(entries: list[tuple[str, str]]) -> None:
    body = "".join(
        f"<url><loc>{escape(loc)}</loc><lastmod>{escape(mod)}</lastmod></url>" for loc, mod in entries
    )
    _check(f"<urlset>{body}</urlset>".encode("utf-8", "surrogatepass"))
