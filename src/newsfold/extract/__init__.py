"""Extract: :class:`~newsfold.model.RawDocument` → clean :class:`~newsfold.model.Article`.

HTML goes through trafilatura (:mod:`.html`), plain text through newsfold's own shape rules
(:mod:`.text`, :mod:`.boilerplate`).  Whatever is dropped is kept on the article with a reason.
"""

from __future__ import annotations

from newsfold.extract.decoding import NotText, decode_text
from newsfold.extract.html import extract_html
from newsfold.extract.text import CleanText, clean_text
from newsfold.model import Article, DocumentKind, RawDocument, Skipped, article_id, text_hash

__all__ = ["clean_text", "extract"]


def extract(raw: RawDocument, *, min_text_chars: int = 80) -> Article | Skipped:
    """Read one raw document into an article, or say why it holds none.

    Hints carried by the raw document (from JSON input or a feed) win over what the text says:
    a source's own metadata is more reliable than a guess from the text.
    """
    outlet, url, language = raw.outlet, raw.url, None
    if raw.kind is DocumentKind.HTML:
        page = extract_html(raw.body, url=raw.url)
        if page is None:
            return Skipped(raw.origin, "no article text found in the HTML")
        cleaned = page.text
        outlet, url, language = outlet or page.outlet, url or page.url, page.language
        if raw.title:
            cleaned.title = raw.title
    else:
        try:
            text, _warnings = decode_text(raw.body, raw.encoding)
        except NotText as exc:
            return Skipped(raw.origin, str(exc))
        raw.warnings.extend(_warnings)
        cleaned = clean_text(text, title=raw.title)
    return _article(raw, cleaned, outlet=outlet, url=url, language=language, min_chars=min_text_chars)


def _article(
    raw: RawDocument,
    cleaned: CleanText,
    *,
    outlet: str | None,
    url: str | None,
    language: str | None,
    min_chars: int,
) -> Article | Skipped:
    body = "\n\n".join(cleaned.paragraphs)
    if len(body) < min_chars:
        return Skipped(raw.origin, f"no article text: {len(body)} characters of prose after cleaning")
    digest = text_hash(body)
    return Article(
        id=article_id(url, raw.origin),
        origin=raw.origin,
        title=cleaned.title or "(untitled)",
        paragraphs=cleaned.paragraphs,
        url=url,
        outlet=outlet,
        authors=cleaned.authors,
        published=raw.published or cleaned.published,
        dateline=cleaned.dateline,
        language=language,
        removed=cleaned.removed,
        text_hash=digest,
    )
