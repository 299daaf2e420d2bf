"""HTML pages through trafilatura, then the plain-text rules for what trafilatura lets through.

trafilatura finds the main text and the metadata (title, authors, date, site name) better than
anything hand-written; captions, promo lines and credits inside the article body still reach its
output, so the paragraphs go through :func:`newsfold.extract.text.clean_text` too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import trafilatura

from newsfold.extract.dates import DATE_PATTERN, parse_date_match
from newsfold.extract.text import CleanText, clean_text


@dataclass(slots=True)
class HtmlExtraction:
    text: CleanText
    outlet: str | None
    url: str | None
    language: str | None


def extract_html(body: bytes, *, url: str | None = None) -> HtmlExtraction | None:
    """Main text and metadata of a page, or ``None`` when the page holds no article text."""
    document = trafilatura.bare_extraction(
        body,
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
