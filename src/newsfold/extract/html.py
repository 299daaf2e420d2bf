"""HTML pages through trafilatura, then the plain-text rules for what trafilatura lets through.

trafilatura finds the main text and the metadata (title, authors, date, site name) better than
anything hand-written; captions, promo lines and credits inside the article body still reach its
output, so the paragraphs go through :func:`newsfold.extract.text.clean_text` too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from newsfold.extract.dates import DATE_PATTERN, parse_date_match
from newsfold.extract.text import CleanText, clean_text
from newsfold.model import parse_timestamp


@dataclass(slots=True)
class HtmlExtraction:
    text: CleanText
    outlet: str | None
    url: str | None
    language: str | None


def extract_html(body: bytes, *, url: str | None = None) -> HtmlExtraction | None:
    """Main text and metadata of a page, or ``None`` when the page holds no article text."""
    tree = load_html(body)
    if tree is None:
        return None
    stamped = _published_time(tree)
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        deduplicate=False,
    )
    if document is None:
        return None
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = data.get("text") or ""
    if not text.strip():
        return None
    cleaned = clean_text(text, title=_clean(data.get("title")), layout=False)
    if data.get("author") and not cleaned.authors:
        cleaned.authors = [a.strip() for a in str(data["author"]).split(";") if a.strip()]
    cleaned.published = cleaned.published or stamped
    if cleaned.published is None and data.get("date"):
        match = DATE_PATTERN.search(str(data["date"]))
        published: datetime | None = parse_date_match(match) if match else None
        cleaned.published = published
    return HtmlExtraction(
        text=cleaned,
        outlet=_clean(data.get("sitename")),
        url=_clean(data.get("url")),
        language=_clean(data.get("language")),
    )


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


_PUBLISHED_XPATH = (
    "//meta[@property='article:published_time' or @name='article:published_time' "
    "or @itemprop='datePublished' or @name='pubdate' or @name='publish-date']/@content"
    " | //*[@itemprop='datePublished']/@datetime | //article//time/@datetime"
)


def _published_time(tree: HtmlElement) -> datetime | None:
    """The page's own publication timestamp, to the minute.

    trafilatura's date finder returns the day only; which of two copies came first often
    depends on the hour, so a full timestamp in the page's metadata is read here first.
    """
    for value in tree.xpath(_PUBLISHED_XPATH):
        if "T" in str(value) or ":" in str(value):
            parsed = parse_timestamp(str(value))
            if parsed is not None:
                return parsed
    return None
