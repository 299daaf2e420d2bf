"""XML sitemaps and Google News sitemaps: the article URLs a site lists for crawlers.

Many news sites publish a news sitemap (the last two days of articles, each with its headline and
publication time) even when their feed is short or missing, so a sitemap is the next best way to
follow a site after its feed.  A ``<sitemapindex>`` lists further sitemaps; walking them is the
fetcher's business, this module only says what one document holds.  Nothing here is fetched.

Sitemaps are untrusted and often gzip-compressed, so: compressed bytes are inflated with a hard
cap (a gzip bomb is refused after ``max_bytes``, never inflated whole), the XML is parsed with lxml
set up to resolve no entities, fetch nothing and refuse huge trees, and only absolute http(s) URLs
come out.  Namespaces are matched by local name, since sitemaps without the proper namespace (or
with a misspelt one) are common and otherwise fine.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from lxml import etree

from newsfold.ingest.formats import local_name, safe_xml_parser, size_text, xml_error
from newsfold.ingest.pages import sniff_root
from newsfold.model import parse_timestamp

__all__ = ["Sitemap", "SitemapError", "SitemapUrl", "looks_like_sitemap", "parse_sitemap"]

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


@dataclass(slots=True, frozen=True)
class SitemapUrl:
    """One ``<url>`` of a sitemap, with its Google News details when it has them."""

    url: str
    lastmod: datetime | None  # aware UTC
    news_title: str | None  # <news:title>
    news_published: datetime | None  # <news:publication_date>
    news_publication: str | None  # <news:publication><news:name>


@dataclass(slots=True, frozen=True)
class Sitemap:
    """A parsed sitemap: page URLs (``<urlset>``) or child sitemaps (``<sitemapindex>``)."""

    urls: tuple[SitemapUrl, ...]
    sitemaps: tuple[str, ...]  # child sitemaps of a <sitemapindex>


class SitemapError(ValueError):
    """The bytes are not a readable sitemap; the message says why."""


_GZIP_MAGIC = b"\x1f\x8b"
_SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})
_YEAR_MONTH = re.compile(r"(\d{4})(?:-(\d{2}))?\Z")


def looks_like_sitemap(body: bytes) -> bool:
    """Whether ``body`` is a sitemap: its root element is ``urlset`` or ``sitemapindex``.

    Gzip-compressed bytes are judged by the first few kilobytes they inflate to.
    """
    if body.startswith(_GZIP_MAGIC):
        try:
            body = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, 16384)
        except zlib.error:
            return False
    return sniff_root(body) in _SITEMAP_ROOTS


def parse_sitemap(data: bytes, url: str, max_bytes: int = 50 * 1024 * 1024) -> Sitemap:
    """Read a sitemap (``<urlset>`` or ``<sitemapindex>``), gzip-compressed or not.

    ``url`` is where it came from, for messages.  ``max_bytes`` caps the document's uncompressed
    size (50 MB is the protocol's own limit); compressed input is inflated only that far.  URLs
    that are not absolute http(s) are dropped (the protocol requires absolute URLs; other hosts
    are kept, since robots.txt may cross-submit them, so filtering by host is the caller's choice);
    a URL listed twice is kept once, as first listed.  Raises :class:`SitemapError`, and nothing
    else, on bytes that are not a readable sitemap.
    """
    if max_bytes < 1:
        raise ValueError("max_bytes must be positive")
    if data.startswith(_GZIP_MAGIC):
        data = _gunzip(data, max_bytes, url)
    elif len(data) > max_bytes:
        raise SitemapError(f"sitemap {url} is larger than the {size_text(max_bytes)} limit")
    if not data.strip():
        raise SitemapError(f"not a sitemap: {url} is empty")
    try:
        root = etree.fromstring(data, safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        raise SitemapError(f"malformed sitemap XML at line {exc.lineno}: {xml_error(exc)}") from exc
    except ValueError as exc:
        raise SitemapError(f"malformed sitemap XML: {exc}") from exc
    kind = local_name(root)
    if kind == "sitemapindex":
        locations = (_loc(child) for child in _children(root, "sitemap"))
        return Sitemap(urls=(), sitemaps=tuple(dict.fromkeys(u for u in locations if u)))
    if kind != "urlset":
        raise SitemapError(
            f"not a sitemap: the root element is <{kind or '?'}>, not <urlset> or <sitemapindex>"
        )
    urls: dict[str, SitemapUrl] = {}
    for entry in _children(root, "url"):
        parsed = _url_entry(entry)
        if parsed is not None and parsed.url not in urls:
            urls[parsed.url] = parsed
    return Sitemap(urls=tuple(urls.values()), sitemaps=())


def _url_entry(entry: etree._Element) -> SitemapUrl | None:
    location = _loc(entry)
    if location is None:
        return None
    title = published = publication = None
    for news in _children(entry, "news"):
        title = _text(_child(news, "title"))
        published = _w3c_datetime(_text(_child(news, "publication_date")))
        publication = _text(_child(_child(news, "publication"), "name"))
        break
    return SitemapUrl(
        url=location,
        lastmod=_w3c_datetime(_text(_child(entry, "lastmod"))),
        news_title=title,
        news_published=published,
        news_publication=publication,
    )


def _loc(entry: etree._Element) -> str | None:
    """The entry's own ``<loc>`` (not an image's or video's), if an absolute http(s) URL."""
    location = _text(_child(entry, "loc"))
    if location is None:
        return None
    try:
        parts = urlsplit(location)
    except ValueError:
        return None
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or any(c.isspace() for c in location)
    ):
        return None
    return location


def _w3c_datetime(value: str | None) -> datetime | None:
    """W3C datetime (``2024``, ``2024-05``, ``2024-05-17``, ``2024-05-17T09:15:00+02:00``) as aware UTC.

    A value without a time zone is taken as UTC; RFC 2822 dates, which some sites use, are read too.
    """
    if value is None:
        return None
    try:
        short = _YEAR_MONTH.match(value)
        if short is not None:
            return datetime(int(short.group(1)), int(short.group(2) or 1), 1, tzinfo=UTC)
        parsed = parse_timestamp(value)
        return parsed.astimezone(UTC) if parsed is not None else None
    except (OverflowError, ValueError):
        return None


def _gunzip(data: bytes, max_bytes: int, url: str) -> bytes:
    """Inflate gzip bytes, reading at most ``max_bytes + 1`` so a bomb stops at the cap."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            inflated = stream.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise SitemapError(f"sitemap {url} is not valid gzip: {exc}") from exc
    if len(inflated) > max_bytes:
        raise SitemapError(f"sitemap {url} decompresses to more than the {size_text(max_bytes)} limit")
    return inflated


def _children(element: etree._Element | None, name: str) -> Iterator[etree._Element]:
    if element is not None:
        yield from (child for child in element if local_name(child) == name)


def _child(element: etree._Element | None, name: str) -> etree._Element | None:
    return next(_children(element, name), None)


def _text(element: etree._Element | None) -> str | None:
    """An element's own text, trimmed; an unresolved entity reference contributes nothing."""
    if element is None:
        return None
    parts = [element.text or ""]
    parts.extend(child.tail or "" for child in element)
    return "".join(parts).strip() or None
