"""HTML pages of live sources: is this a page, which feeds does it announce, which articles does it list.

A live source is often given as a site's home page or a section front rather than a feed.  From such
a page newsfold wants two things: the feeds the page announces (``<link rel="alternate">``), which
are the cheapest and most complete way to follow the site, and, failing those, the links to the
articles the page lists.  Everything here is pure: bytes in, URLs out; nothing is fetched.

Pages are untrusted input, so parsing never raises on junk (an unreadable page simply yields no
links) and no URL on another site, with a fragment, or outside http(s) is ever returned.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from newsfold.ingest.formats import media_type

__all__ = ["discover_article_links", "discover_feeds", "looks_like_html", "sniff_root"]

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_FEED_LINK_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"}
)
# Roots of XML documents that are not pages, whatever the server calls them.
_XML_ROOTS = frozenset({"rss", "feed", "rdf", "urlset", "sitemapindex", "opml"})
_HTML_ROOTS = frozenset({"html", "head", "body"})

_SNIFF_BYTES = 8192
# Whatever may stand before the root element: XML declaration, processing instructions, comments,
# a doctype (with an internal subset).
_PROLOG_ITEM = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!doctype\b([^>\[]*)(?:\[.*?\])?\s*>)", re.S | re.I)
_ROOT_TAG = re.compile(r"\s*<([A-Za-z_][\w.:-]*)")


def sniff_root(body: bytes) -> str | None:
    """The local name of a document's first element, lowercased (``rss``, ``feed``, ``rdf``, ``html``).

    Only the first few kilobytes are looked at, skipping the XML declaration, comments and any
    doctype; ``<!DOCTYPE html>`` alone is enough to answer ``html``.  ``None`` when the bytes do not
    start with markup (JSON, plain text, binary junk).  Shared by the feed and sitemap sniffers, so
    every module tells documents apart the same way.
    """
    head = _decode_head(body[: _SNIFF_BYTES * 2])
    pos = 0
    while True:
        match = _PROLOG_ITEM.match(head, pos)
        if match is None:
            break
        doctype = match.group(1)
        if doctype is not None and doctype.split()[:1] and doctype.split()[0].lower() == "html":
            return "html"
        pos = match.end()
    root = _ROOT_TAG.match(head, pos)
    if root is None:
        return None
    return root.group(1).rsplit(":", 1)[-1].lower()


def _decode_head(head: bytes) -> str:
    """Enough of a document's start to read its tags: BOMs honoured, otherwise byte-for-byte."""
    if head.startswith(b"\xef\xbb\xbf"):
        return head[3:].decode("utf-8", "replace")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "replace")
    if head.startswith(b"<\x00"):
        return head.decode("utf-16-le", "replace")
    if head.startswith(b"\x00<"):
        return head.decode("utf-16-be", "replace")
    return head.decode("latin-1")  # every tag name that matters is ASCII


def looks_like_html(body: bytes, content_type: str | None = None) -> bool:
    """Whether ``body`` is an HTML page (rather than a feed, a sitemap or something else).

    The bytes decide first: a page starts (after any comments) with ``<!DOCTYPE html>``, ``<html>``,
    ``<head>`` or ``<body>``, and a document whose root is a feed, sitemap or OPML root is not a
    page even when served as ``text/html``, as misconfigured servers often do.  When the bytes
    say neither, an HTML ``content_type`` is believed for anything that starts with a tag.
    """
    root = sniff_root(body)
    if root in _HTML_ROOTS:
        return True
    if root in _XML_ROOTS:
        return False
    return media_type(content_type) in _HTML_TYPES and body.lstrip()[:1] == b"<"


def discover_feeds(html: bytes, page_url: str) -> list[str]:
    """The feeds a page announces: ``<link rel="alternate">`` with a feed media type.

    Types taken: RSS, Atom, JSON Feed and plain ``application/json`` (which some JSON Feed sites
    use).  Hrefs come back absolute (resolved against ``<base href>`` when the page has one, else
    against ``page_url``), http(s) only, fragment removed, each once, in document order.
    """
    doc = _parse(html)
    if doc is None:
        return []
    base = _base_url(doc, page_url)
    found: list[str] = []
    for link in doc.iter("link"):
        rel = {token.lower() for token in (link.get("rel") or "").split()}
        if "alternate" not in rel or media_type(link.get("type")) not in _FEED_LINK_TYPES:
            continue
        url = _absolute(base, link.get("href"))
        if url is not None and url not in found:
            found.append(url)
    return found


# --- article links ----------------------------------------------------------------------------------

# Landmarks whose links are site furniture (menus, mastheads, "more from us", legal lines).
_FURNITURE_TAGS = frozenset({"nav", "aside"})
_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo"})
# A <header>/<footer> is the page's banner/footer only outside these (HTML-AAM): inside an article
# teaser the <header> holds the headline link, which is exactly what a listing page is for.
_SECTIONING = frozenset({"article", "section", "main"})

_ASSET_EXTENSIONS = frozenset(
    {
        "jpg", "jpeg", "png", "gif", "webp", "avif", "svg", "ico", "bmp", "tif", "tiff",
        "pdf", "css", "js", "mjs", "json", "xml", "rss", "atom", "rdf", "txt", "csv",
        "zip", "gz", "mp3", "mp4", "m4a", "ogg", "webm", "mov", "wav",
        "woff", "woff2", "ttf", "otf", "eot",
    }
)  # fmt: skip
_UTILITY_SEGMENTS = frozenset(
    {
        "tag", "tags", "category", "categories", "topic", "topics", "author", "authors",
        "search", "login", "log-in", "signin", "sign-in", "logout", "register", "signup", "sign-up",
        "subscribe", "subscription", "subscriptions", "newsletter", "newsletters",
        "account", "my-account", "profile", "about", "about-us", "contact", "contact-us",
        "privacy", "privacy-policy", "terms", "terms-of-use", "terms-of-service",
        "terms-and-conditions", "cookies", "cookie-policy", "feed", "feeds", "rss",
    }
)  # fmt: skip
_PAGE_EXTENSIONS = (".html", ".htm")
_DATE_SEGMENTS = re.compile(r"/(?:19|20)\d\d/(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/[^/]")
_DATE_ISO = re.compile(r"(?<!\d)(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?!\d)")
_NUMERIC_ID = re.compile(r"(?<!\d)\d{5,}(?!\d)")
_SLUG_WORD = re.compile(r"[^\W_]+")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\]")


def discover_article_links(html: bytes, page_url: str) -> list[str]:
    """Links to articles on a news listing page (home page, section front), in document order.

    Kept: ``<a href>`` links that resolve (against ``<base href>`` or ``page_url``) to http(s) URLs
    on the page's own site (same host name; ``www.`` is the same site, so is another port or
    scheme), absolute, fragment stripped, each once.

    Left out, because a listing page is mostly links that are not stories:

    * links inside site furniture: ``<nav>``, ``<aside>``, anything with ``role`` navigation, banner
      or contentinfo, and the page-level ``<header>``/``<footer>`` (those not inside ``<article>``,
      ``<section>`` or ``<main>``: a teaser's own header carries its headline link);
    * other schemes (``mailto:``, ``javascript:``, ``tel:``), other sites, links with credentials;
    * assets by extension (images, PDFs, CSS, JS, feeds, media, fonts);
    * section and utility pages: any path segment such as ``tag``, ``category``, ``topics``,
      ``author``, ``search``, ``login``, ``subscribe``, ``account``, ``about``, ``contact``,
      ``privacy``, ``terms`` or ``feed``, pagination (``/page/2``), the home page and the page itself.

    Then only paths that look like articles are kept, because section fronts, archives and
    landing pages all look alike otherwise while article URLs carry one of these marks:

    * a slug of at least three words joined by ``-`` or ``_`` as the last path segment (optionally
      ending ``.html``/``.htm``): ``/world/ferry-cancelled-by-storm``;
    * a date in the path: ``/2024/05/17/`` followed by more path, or ``2024-05-17`` anywhere;
    * a numeric id of five or more digits: ``/news/world-12345678``, ``/a/98765``.

    Only the path is judged; a query string is kept in the URL but never makes a link an article.
    The heuristic prefers missing an odd article to filling the store with menus: a site whose
    article URLs carry none of these marks should be followed by its feed or sitemap.
    """
    doc = _parse(html)
    if doc is None:
        return []
    base = _base_url(doc, page_url)
    site = _site(page_url)
    if site is None:
        return []
    page = _absolute(page_url, page_url)
    found: list[str] = []
    for anchor in doc.iter("a"):
        url = _absolute(base, anchor.get("href"))
        if url is None or url == page or url in found or _site(url) != site:
            continue
        if _in_furniture(anchor) or not _looks_like_article(urlsplit(url).path):
            continue
        found.append(url)
    return found


def _in_furniture(element: etree._Element) -> bool:
    ancestors = list(element.iterancestors())
    for index, ancestor in enumerate(ancestors):
        tag = ancestor.tag.lower() if isinstance(ancestor.tag, str) else ""
        if tag in _FURNITURE_TAGS:
            return True
        if (ancestor.get("role") or "").strip().lower() in _FURNITURE_ROLES:
            return True
        if tag in ("header", "footer"):
            outer = ancestors[index + 1 :]
            if not any(isinstance(a.tag, str) and a.tag.lower() in _SECTIONING for a in outer):
                return True
    return False


def _looks_like_article(path: str) -> bool:
    segments = [s for s in path.lower().split("/") if s]
    if not segments:
        return False  # the home page
    last = segments[-1]
    if "." in last and last.rsplit(".", 1)[1] in _ASSET_EXTENSIONS:
        return False
    for index, segment in enumerate(segments):
        if segment in _UTILITY_SEGMENTS:
            return False
        if segment == "page" and index + 1 < len(segments) and segments[index + 1].isdigit():
            return False
    if _DATE_SEGMENTS.search(path) or _DATE_ISO.search(path) or _NUMERIC_ID.search(path):
        return True
    stem = last
    for extension in _PAGE_EXTENSIONS:
        if stem.endswith(extension):
            stem = stem[: -len(extension)]
            break
    words = re.split(r"[-_]+", stem)
    return len(words) >= 3 and all(_SLUG_WORD.fullmatch(word) for word in words)


# --- shared helpers ---------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"<meta[^>]+charset", re.I)


def _parse(page: bytes) -> lxml_html.HtmlElement | None:
    """Parse a page leniently; ``None`` when there is nothing to parse."""
    if not page.strip():
        return None
    parser = lxml_html.HTMLParser(
        encoding=_encoding(page), no_network=True, remove_comments=True, remove_pis=True, huge_tree=False
    )
    try:
        doc = lxml_html.document_fromstring(page, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError, LookupError):
        return None
    return doc if isinstance(doc, lxml_html.HtmlElement) else None


def _encoding(page: bytes) -> str | None:
    """The page's encoding when it does not say (libxml2 would otherwise assume Latin-1)."""
    if page.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or _META_CHARSET.search(page[:4096]):
        return None  # libxml2 reads BOMs and <meta charset> itself
    try:
        page.decode("utf-8")
    except UnicodeDecodeError:
        return "windows-1252"
    return "utf-8"


def _base_url(doc: lxml_html.HtmlElement, page_url: str) -> str:
    for base in doc.iter("base"):
        href = base.get("href")
        if href:
            resolved = _absolute(page_url, href)
            if resolved is not None:
                return resolved
            break
    return page_url


def _absolute(base: str, href: str | None) -> str | None:
    """``href`` resolved against ``base``: an http(s) URL without fragment or credentials, or ``None``."""
    if href is None:
        return None
    href = re.sub(r"[\t\n\r]", "", href.strip())  # as browsers do
    if not href or _UNSAFE.search(href):
        return None
    href = href.replace(" ", "%20")
    try:
        url, _fragment = urldefrag(urljoin(base, href))
        parts = urlsplit(url)
    except ValueError:  # e.g. a broken IPv6 literal
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        return None
    return url


def _site(url: str) -> str | None:
    """The site a URL belongs to: its host name, lowercased, without ``www.`` or a trailing dot."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".")
    return host[4:] if host.startswith("www.") else host
