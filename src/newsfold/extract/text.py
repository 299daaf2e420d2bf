"""newsfold's own cleaner for plain text as people paste it off web pages.

Text copied from a page is a header (junk lines, headline, byline, site chrome), a body of prose
paragraphs with captions, links and promos dropped between them, and a footer (credits, "follow"
lines, paywall prompts, lists of related links).  The cleaner finds the body as the span of prose,
reads the headline, byline, dateline and date from the header and the first paragraph, and keeps
every line it drops together with the reason, so nothing is lost silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from newsfold.extract import boilerplate as bp
from newsfold.extract.dates import split_date_prefix
from newsfold.model import RemovedText

_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_DATELINE = re.compile(
    r"^(?P<dateline>[A-Z][A-Z'’.-]+(?:[ -][A-Z][A-Z'’.-]+)*(?:,\s*[A-Z][\w.'’ -]{1,40}?)?\s*"
    r"(?:\([A-Za-z.&'’ -]{1,30}\))?)\s*[—–-]{1,2}\s+(?=\S)"
)
_LEADING_DASH = re.compile(r"^[—–-]{1,2}\s+(?=\S)")
_BYLINE = re.compile(r"^By\s+(?P<names>[A-Z].{1,120})$")
_DATE_SEARCH_LINES = 6  # a date prefix may follow a headline, byline and a promo line
_CONSUMED = "consumed"  # read into a field (date, title) and recorded already
_NAME_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")


@dataclass(slots=True)
class CleanText:
    """What the plain-text cleaner read from one text."""

    paragraphs: list[str]
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    dateline: str | None = None
    published: datetime | None = None
    removed: list[RemovedText] = field(default_factory=list)


@dataclass(slots=True)
class _Line:
    text: str
    reason: str | None = None


def logical_lines(text: str) -> list[str]:
    """Split into lines, re-joining prose that was hard-wrapped inside a paragraph.

    Blank lines come back as ``""`` so paragraph breaks stay visible to the zone logic.
    """
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).replace("\u00a0", " ")
    lines: list[str] = []
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        wrapped = (
            line
            and lines
            and lines[-1]
            and line[:1].islower()
            and not bp.ends_sentence(lines[-1])
            and not lines[-1].endswith(":")
        )
        if wrapped:
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return lines


def _fold(text: str) -> str:
    """Case and spacing folded: how a repeated line or the headline is recognised."""
    return " ".join(text.casefold().split())


def _is_prose(line: str) -> bool:
    """A line that can bound the body: long enough and closed like a statement."""
    return len(bp.words(line)) >= 8 and bp.ends_statement(line)


def clean_text(text: str, *, title: str | None = None, layout: bool = True) -> CleanText:
    """Clean one article's plain text.

    Args:
        text: the text as found (may include site chrome around the article).
        title: the headline when the caller already knows it (JSON input, HTML metadata); lines
            repeating it are dropped instead of a headline being guessed.
        layout: read the header/body/footer layout of pasted text (headline, byline, junk lines
            around the body, subheadings, trailers).  Off for text a main-content extractor has
            already cut out of a page: there, short lines are mostly real subheadings and lists,
            and only the shape rules that hold anywhere (captions, credits, promos ...) apply.

    Returns:
        The prose paragraphs and what was read or removed along the way.
    """
    result = CleanText(paragraphs=[], title=title)
    lines = [_Line(t) for t in logical_lines(text) if t]
    _strip_inline_shortcodes(lines, result)
    _take_leading_date(lines, result)
    _mark_by_shape(lines)
    _mark_repeats(lines)

    has_prose = any(line.reason is None and _is_prose(line.text) for line in lines)
    if layout and has_prose:
        _read_layout(lines, result)
    else:
        # no body to anchor a layout on (a snippet, a truncated text): keep what is not
        # boilerplate by shape rather than guess a header and footer that are not there
        _drop_title_lines(lines, result.title)
    if all(line.reason is not None for line in lines):
        for line in lines:
            if line.reason == "title":
                line.reason = None  # the text is its headline only: keep it as the text

    for line in lines:
        if line.reason is None:
            result.paragraphs.append(line.text)
        elif line.reason not in {"title", _CONSUMED}:
            result.removed.append(RemovedText(line.text, line.reason))
    _take_dateline(result)
    if result.title is None and result.paragraphs:
        result.title = _title_from_lead(result.paragraphs[0])
    return result


def _read_layout(lines: list[_Line], result: CleanText) -> None:
    prose = [i for i, line in enumerate(lines) if line.reason is None and _is_prose(line.text)]
    first, last = prose[0], prose[-1]
    _read_header(lines[:first], result)
    _read_footer(lines[last + 1 :])
    for line in lines[first : last + 1]:
        if line.reason is None and not bp.ends_sentence(line.text):
            line.reason = "related link" if bp.is_headline_shaped(line.text) else "subheading"


def _drop_title_lines(lines: list[_Line], title: str | None) -> None:
    known = _fold(title or "")
    for line in lines[:3]:
        if known and _fold(line.text) == known:
            line.reason = "title"


def _strip_inline_shortcodes(lines: list[_Line], result: CleanText) -> None:
    for line in lines:
        codes = bp.SHORTCODE.findall(line.text)
        if codes and bp.strip_shortcodes(line.text):
            result.removed.extend(RemovedText(code, "shortcode") for code in codes)
            line.text = bp.strip_shortcodes(line.text)


def _take_leading_date(lines: list[_Line], result: CleanText) -> None:
    """A date before everything else ("date 2022-09-08 The United States ...") is the publication date."""
    for line in lines[:_DATE_SEARCH_LINES]:
        published, rest = split_date_prefix(line.text)
        if published is not None:
            result.published = published
            result.removed.append(RemovedText(line.text[: len(line.text) - len(rest)].strip(), "date line"))
            if rest:
                line.text = rest
            else:
                line.reason = _CONSUMED
            return


def _mark_by_shape(lines: list[_Line]) -> None:
    for line in lines:
        if line.reason is None:
            line.reason = bp.line_reason(line.text)


def _mark_repeats(lines: list[_Line]) -> None:
    """Sites repeat captions and pull-quotes; a long line seen before is not new reporting."""
    seen: set[str] = set()
    for line in lines:
        key = _fold(line.text)
        if key in seen and len(bp.words(line.text)) >= 6:
            line.reason = line.reason or "repeated"
        seen.add(key)


def _read_header(header: list[_Line], result: CleanText) -> None:
    """Headline, byline and date from the lines before the first prose paragraph."""
    candidates = [line for line in header if line.reason is None]
    title_line: _Line | None = None
    if result.title is None:
        for line in candidates:
            n = len(bp.words(line.text))
            if 3 <= n <= 30 and not _BYLINE.match(line.text) and not line.text.endswith("."):
                title_line = line
        if title_line is not None:
            result.title = title_line.text
    known_title = _fold(result.title or "")
    before_title = True
    for line in candidates:
        if line is title_line or _fold(line.text) == known_title:
            line.reason = "title"
            before_title = False
            continue
        byline = _BYLINE.match(line.text)
        if byline:
            result.authors.extend(n for n in _NAME_SPLIT.split(byline.group("names")) if n)
            line.reason = "byline"
            continue
        published, rest = split_date_prefix(line.text)
        if published is not None and not rest:
            result.published = result.published or published
            line.reason = "date line"
        elif before_title and title_line is not None and _directly_precedes(line, title_line, candidates):
            line.reason = "junk title"
        else:
            line.reason = "site chrome"


def _directly_precedes(line: _Line, title: _Line, candidates: list[_Line]) -> bool:
    """A stray short line right above the headline is a junk title ("Dog order"), not chrome."""
    index = candidates.index(title)
    return index > 0 and candidates[index - 1] is line and len(bp.words(line.text)) <= 4


def _read_footer(footer: list[_Line]) -> None:
    """After the last prose paragraph only a closing sentence may still be reporting."""
    closed = False
    for line in footer:
        if line.reason is not None:
            closed = closed or line.reason in {"promo", "follow line", "separator"}
            continue
        sentence = bp.ends_sentence(line.text) and len(bp.words(line.text)) >= 5
        if sentence and not closed:
            continue
        line.reason = "trailer"
        closed = True


def _take_dateline(result: CleanText) -> None:
    if not result.paragraphs:
        return
    first = result.paragraphs[0]
    match = _DATELINE.match(first)
    if match and len(bp.words(match.group("dateline"))) <= 8:
        result.dateline = match.group("dateline").strip()
        result.paragraphs[0] = first[match.end() :]
        return
    dash = _LEADING_DASH.match(first)
    if dash:
        result.paragraphs[0] = first[dash.end() :]


def _title_from_lead(paragraph: str) -> str:
    """No headline in the text: the lead sentence, shortened, is the best stand-in."""
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", paragraph, maxsplit=1)[0]
    tokens = sentence.split()
    return sentence if len(tokens) <= 20 else " ".join(tokens[:16]) + " …"
