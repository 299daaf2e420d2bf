"""Feeds of live sources: RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1/1.1, bytes in, entries out.

A feed is how a news site says "here is what is new", so it is the first thing newsfold follows.
This module is only the parsing half: the fetcher hands over the body it downloaded with the URL it
came from and the ``Content-Type`` it was served as, and gets back typed entries with absolute
links, plain-text titles and timezone-aware UTC dates, whatever the flavour of feed.  Nothing here
touches the network or the file system.

RSS and Atom are read by feedparser, which has two decades of tolerance for broken feeds built in:
it resolves relative links (we pass the feed URL as ``Content-Location``), sanitises embedded HTML
and recovers from malformed XML with a lenient parser.  feedparser 6.0 does not read JSON Feed, so
that is parsed here by hand, with feedparser's own link resolver and sanitiser applied to its HTML
so every format comes out alike.

Bad bytes only ever raise :class:`FeedError`, whose message says what is wrong in words a person
can act on.  A feed that was damaged but still yielded entries is returned, with the damage
described in :attr:`ParsedFeed.warnings`.
"""

from __future__ import annotations

import calendar
import html
import io
import json
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import feedparser
from feedparser.exceptions import (
    CharacterEncodingOverride,
    CharacterEncodingUnknown,
    NonXMLContentType,
    ThingsNobodyCaresAboutButMe,
)
from feedparser.sanitizer import _sanitize_html  # private, but feedparser is pinned; test_feeds covers it
from feedparser.urls import resolve_relative_uris
from lxml import etree

from newsfold.ingest.formats import media_type, safe_xml_parser, xml_error
from newsfold.ingest.pages import looks_like_html, sniff_root
from newsfold.model import parse_timestamp

__all__ = ["FeedEntry", "FeedError", "ParsedFeed", "looks_like_feed", "parse_feed"]


@dataclass(slots=True, frozen=True)
class FeedEntry:
    """One item of a feed, the same shape whatever the feed's format."""

    url: str | None  # absolute article link, resolved against the feed URL; fragment kept off
    guid: str | None  # id / guid as the feed gives it
    title: str | None  # plain text (no markup)
    published: datetime | None  # timezone-aware, UTC
    updated: datetime | None  # timezone-aware, UTC
    summary_html: str | None  # summary / description
    content_html: str | None  # full content when the feed carries it
    authors: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class ParsedFeed:
    """A whole feed: its format, title, home page and entries, and what had to be recovered from."""

    format: str  # "rss090", "rss091u", "rss092", "rss10", "rss20", "atom10", "atom03", "json1", "json1.1" …
    title: str | None
    site_url: str | None  # the site's home page link, absolute
    entries: tuple[FeedEntry, ...]
    warnings: tuple[str, ...]  # problems recovered from, phrased for a person


class FeedError(ValueError):
    """The bytes are not a feed that can be read; the message says why."""


_FEED_ROOTS = frozenset({"rss", "feed", "rdf"})
_FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
)
_HTML_CONTENT = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})
# JSON may escape "/" as "\/"; the sniffer must see both spellings.
_JSON_FEED_MARK = re.compile(rb'"version"\s*:\s*"https?:(?:\\?/){2}jsonfeed\.org\\?/version\\?/')
_JSON_FEED_VERSION = re.compile(r"https?://jsonfeed\.org/version/([^/?#]+)/?\Z")
_JSON_FORMATS = {"1": "json1", "1.0": "json1", "1.1": "json1.1"}
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# libxml2's wording for the commonest breakage in the wild, said plainly.
_PLAIN_XML_ERRORS = {
    "xmlParseEntityRef: no name": "a bare '&' (it should be written &amp;)",
    "EntityRef: expecting ';'": "a bare '&' or an entity without its ';'",
}


def looks_like_feed(body: bytes, content_type: str | None = None) -> bool:
    """Whether ``body`` is a feed (RSS, Atom or JSON Feed), judged from its first bytes.

    The bytes decide first: an XML document is a feed when its root element is ``rss``, ``feed``
    or ``rdf:RDF``, a JSON object when it names a ``jsonfeed.org`` version.  Servers mislabel feeds
    (``text/html``, ``text/plain``) so the ``content_type`` only breaks a tie, when the bytes start
    like markup or JSON but their root could not be seen.
    """
    root = sniff_root(body)
    if root is not None:
        return root in _FEED_ROOTS
    start = _first_byte(body)
    if start == b"{" and _JSON_FEED_MARK.search(body):
        return True
    return media_type(content_type) in _FEED_TYPES and start in (b"<", b"{")


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Read a feed downloaded from ``url`` (served as ``content_type``) into a :class:`ParsedFeed`.

    Links are made absolute against ``url`` (and any ``xml:base`` in the feed); titles are plain
    text; dates are aware UTC datetimes; in RSS (which has one date per item) a lone date counts as
    the publication date even when it comes as RSS 1.0's ``dc:date``.  Raises :class:`FeedError`,
    and nothing else, when the bytes are not a readable feed.
    """
    if not body.strip():
        raise FeedError("not a feed: the body is empty")
    if _first_byte(body) in (b"{", b"["):
        return _parse_json_feed(body, url)
    if looks_like_html(body):
        raise FeedError("not a feed: looks like an HTML page")
    return _parse_xml_feed(body, url, content_type)


# --- RSS and Atom, through feedparser ----------------------------------------------------------------


def _parse_xml_feed(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    # feedparser reads lowercase header names.  Given headers without a Content-Type it flags every
    # feed as bozo ("no Content-type specified"), so an unknown type is declared as generic XML and
    # the document's own XML declaration decides the encoding.
    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    try:
        # A BytesIO, never the bytes themselves: given bytes or a str, feedparser first tries them as
        # a file name (and a str that looks like a URL it fetches).
        result = feedparser.parse(
            io.BytesIO(body), response_headers=headers, resolve_relative_uris=True, sanitize_html=True
        )
    except Exception as exc:  # feedparser is built to never raise; if it does, the bytes are at fault
        raise FeedError(f"unreadable feed: {type(exc).__name__}: {exc}") from exc
    version = str(result.get("version") or "")
    raw_entries = [e for e in result.get("entries") or [] if isinstance(e, dict)]
    bozo = result.get("bozo_exception") if result.get("bozo") else None
    malformed = bozo is not None and not isinstance(bozo, ThingsNobodyCaresAboutButMe)
    if not version:
        raise FeedError(_not_a_feed(body, bozo))
    if malformed and not raw_entries:
        raise FeedError(_malformed_xml(body, bozo))
    warnings: list[str] = []
    if bozo is not None:
        warnings.append(_bozo_warning(body, bozo, content_type))
    feed = result.get("feed") or {}
    feed_authors = _xml_authors(feed)
    entries: list[FeedEntry] = []
    for number, raw in enumerate(raw_entries, start=1):
        entries.append(_xml_entry(raw, url, version, feed_authors, number, warnings))
    return ParsedFeed(
        format=version,
        title=_plain_text(_get(feed, "title_detail"), _get(feed, "title")),
        site_url=_clean_url(url, _get(feed, "link")),
        entries=tuple(entries),
        warnings=tuple(warnings),
    )


def _xml_entry(
    raw: dict[str, Any],
    url: str,
    version: str,
    feed_authors: tuple[str, ...],
    number: int,
    warnings: list[str],
) -> FeedEntry:
    published = _struct_to_utc(_get(raw, "published_parsed"))
    updated = _struct_to_utc(_get(raw, "updated_parsed"))
    for key, parsed in (("published", published), ("updated", updated)):
        given = _get(raw, key)
        if parsed is None and isinstance(given, str) and given.strip():
            warnings.append(f"entry {number}: unreadable date {given.strip()!r} ignored")
    if published is None and version.startswith("rss"):
        published = updated  # RSS has one date per item, whatever it is called (dc:date in RSS 1.0)
    summary = _get(raw, "summary_detail")  # absent when feedparser only copied the content over
    authors = _xml_authors(raw)
    if not authors and version.startswith("atom"):
        authors = feed_authors  # Atom: an entry without an author has the feed's
    return FeedEntry(
        url=_clean_url(url, _get(raw, "link")),
        guid=_text_or_none(_get(raw, "id")),
        title=_plain_text(_get(raw, "title_detail"), _get(raw, "title")),
        published=published,
        updated=updated,
        summary_html=_detail_html(summary) if isinstance(summary, dict) else None,
        content_html=_xml_content(_get(raw, "content")),
        authors=authors,
    )


def _xml_content(contents: Any) -> str | None:
    """The entry's full content, HTML preferred over plain text when it comes in both."""
    if not isinstance(contents, list):
        return None
    details = [c for c in contents if isinstance(c, dict)]
    details.sort(key=lambda c: _content_kind(c) not in _HTML_CONTENT)
    for detail in details:
        value = _detail_html(detail)
        if value:
            return value
    return None


def _detail_html(detail: dict[str, Any]) -> str | None:
    value = _get(detail, "value")
    if not isinstance(value, str):
        return None
    if _content_kind(detail) in _HTML_CONTENT:
        return value.strip() or None
    return _text_to_html(value)


def _content_kind(detail: dict[str, Any]) -> str:
    kind = _get(detail, "type")
    return kind.lower() if isinstance(kind, str) else "text/html"


def _xml_authors(node: Any) -> tuple[str, ...]:
    names: list[str] = []
    for author in _get(node, "authors") or []:
        if isinstance(author, dict):
            name = _text_or_none(_get(author, "name")) or _text_or_none(_get(author, "email"))
            if name and name not in names:
                names.append(name)
    return tuple(names)


def _struct_to_utc(value: Any) -> datetime | None:
    """feedparser's ``*_parsed`` values are ``struct_time`` in UTC."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _bozo_warning(body: bytes, bozo: Exception, content_type: str | None) -> str:
    if isinstance(bozo, NonXMLContentType):
        return f"served as {media_type(content_type) or 'an unknown type'}, which is not an XML media type; read anyway"
    if isinstance(bozo, CharacterEncodingOverride | CharacterEncodingUnknown):
        return f"character encoding: {bozo}"
    if isinstance(bozo, ThingsNobodyCaresAboutButMe):
        return str(bozo)
    return f"{_malformed_xml(body, bozo)}; read leniently, so some text may be missing or garbled"


def _malformed_xml(body: bytes, bozo: Exception | None) -> str:
    """Where and how the XML is broken, in the original document's line numbers.

    feedparser rewrites the document before its XML parser sees it (a new XML declaration, the
    doctype replaced), so its line numbers can be off; lxml, run on the bytes as they came, says
    where the first error really is.  It is set up like every XML parser in newsfold: no entity
    expansion, no network, no huge trees.
    """
    try:
        etree.fromstring(body, safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        message = xml_error(exc)
        return f"malformed XML at line {exc.lineno}: {_PLAIN_XML_ERRORS.get(message, message)}"
    except ValueError:
        pass
    detail = bozo.getMessage() if bozo is not None and hasattr(bozo, "getMessage") else bozo
    return f"malformed XML: {detail}"


def _not_a_feed(body: bytes, bozo: Exception | None) -> str:
    root = sniff_root(body)
    if root in _FEED_ROOTS:
        return _malformed_xml(body, bozo)
    if root is not None:
        return f"not a feed: the document is <{root}>, not RSS, Atom or JSON Feed"
    preview = body.lstrip()[:40].decode("utf-8", "replace")
    return f"not a feed: neither XML nor JSON (starts {preview!r})"


# --- JSON Feed ------------------------------------------------------------------------------------


def _parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    """JSON Feed 1 and 1.1 (https://jsonfeed.org/version/1.1), which feedparser 6.0 does not read."""
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FeedError(f"not a feed: JSON Feed must be UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise FeedError(f"malformed JSON at line {exc.lineno}: {exc.msg}") from exc
    except (ValueError, RecursionError) as exc:  # e.g. an integer too long, nesting too deep
        raise FeedError(f"malformed JSON: {exc}") from exc
    version = _get(doc, "version")
    match = _JSON_FEED_VERSION.match(version.strip()) if isinstance(version, str) else None
    if not isinstance(doc, dict) or match is None:
        raise FeedError("not a feed: JSON without a JSON Feed version (https://jsonfeed.org/version/1.1)")
    warnings: list[str] = []
    format_ = _JSON_FORMATS.get(match.group(1))
    if format_ is None:
        warnings.append(f"unknown JSON Feed version {match.group(1)!r}; read as 1.1")
        format_ = "json"
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError("malformed JSON Feed: it has no 'items' list")
    feed_authors = _json_authors(doc)
    entries: list[FeedEntry] = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, dict):
            entries.append(_json_entry(item, url, feed_authors, number, warnings))
        else:
            warnings.append(f"item {number} is not an object; skipped")
    return ParsedFeed(
        format=format_,
        title=_plain_text(None, doc.get("title")),
        site_url=_clean_url(url, doc.get("home_page_url")),
        entries=tuple(entries),
        warnings=tuple(warnings),
    )


def _json_entry(
    item: dict[str, Any], url: str, feed_authors: tuple[str, ...], number: int, warnings: list[str]
) -> FeedEntry:
    dates: dict[str, datetime | None] = {}
    for key in ("date_published", "date_modified"):
        given = item.get(key)
        dates[key] = _iso_to_utc(given)
        if dates[key] is None and given not in (None, ""):
            warnings.append(f"item {number}: unreadable {key} {given!r} ignored")
    guid = item.get("id")
    if isinstance(guid, int | float) and not isinstance(guid, bool):
        guid = str(guid)  # the spec asks readers to coerce numeric ids
    content = _text_or_none(item.get("content_html"))
    if content is not None:
        content = _sanitize_html(
            resolve_relative_uris(content, url, "utf-8", "text/html"), "utf-8", "text/html"
        )
    elif isinstance(item.get("content_text"), str):
        content = _text_to_html(item["content_text"])
    summary = item.get("summary")
    return FeedEntry(
        url=_clean_url(url, item.get("url")) or _clean_url(url, item.get("external_url")),
        guid=_text_or_none(guid),
        title=_plain_text(None, item.get("title")),
        published=dates["date_published"],
        updated=dates["date_modified"],
        summary_html=_text_to_html(summary) if isinstance(summary, str) else None,
        content_html=content or None,
        authors=_json_authors(item) or feed_authors,
    )


def _json_authors(node: dict[str, Any]) -> tuple[str, ...]:
    """``authors`` (1.1) or ``author`` (1.0); an author without a name (only a URL or avatar) is left out."""
    given = node.get("authors")
    if not isinstance(given, list):
        given = [node.get("author")]
    names: list[str] = []
    for author in given:
        name = _text_or_none(_get(author, "name"))
        if name and name not in names:
            names.append(name)
    return tuple(names)


def _iso_to_utc(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = parse_timestamp(value)
        return parsed.astimezone(UTC) if parsed is not None else None
    except (OverflowError, ValueError):
        return None


# --- shared helpers ---------------------------------------------------------------------------------


def _get(node: Any, key: str) -> Any:
    """``node[key]`` for a plain dict lookup (FeedParserDict's own lookup has legacy fallbacks)."""
    return dict.get(node, key) if isinstance(node, dict) else None


def _first_byte(body: bytes) -> bytes:
    return body.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]


def _text_or_none(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.encode("utf-8", "replace").decode("utf-8").strip()  # no lone surrogates from JSON
    return value or None


def _plain_text(detail: Any, fallback: Any) -> str | None:
    """A title as plain text: markup removed from HTML titles, entities decoded, spaces collapsed."""
    value = _get(detail, "value")
    if not isinstance(value, str):
        value = fallback
    text = _text_or_none(value)
    if text is None:
        return None
    if isinstance(detail, dict) and _content_kind(detail) in _HTML_CONTENT:
        text = html.unescape(_TAG.sub("", text))
    return _SPACE.sub(" ", text).strip() or None


def _text_to_html(text: str) -> str | None:
    """Plain text as HTML: escaped, one ``<p>`` per paragraph (blank-line separated)."""
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(_text_or_none(text) or "")]
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs if p) or None


def _clean_url(base: str, link: Any) -> str | None:
    """``link`` made absolute against ``base``, without its fragment; ``None`` unless http(s)."""
    link = _text_or_none(link)
    if link is None:
        return None
    try:
        url, _fragment = urldefrag(urljoin(base, link))
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None
