"""What the templates format: times, counts with their nouns, numbers, links that are safe to
follow, citations with their copies folded, an article's relation to its story, and the chart."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi.templating import Jinja2Templates

_NUMBER = re.compile(r"^(-?)(\d+)(\.\d+)?$")
_RELATION = re.compile(r"^(\w+) of (\S+)$")


def templates() -> Jinja2Templates:
    """The page templates, autoescaped whatever their names, with this module's filters."""
    folder = Path(str(resources.files("newsfold") / "web" / "templates"))
    found = Jinja2Templates(directory=str(folder))
    found.env.autoescape = True  # every template, whatever its name: scraped text is never markup
    found.env.filters["when"] = when
    found.env.filters["count"] = count
    found.env.filters["number"] = number
    found.env.filters["sources"] = sources
    found.env.filters["activity"] = activity
    found.env.tests["web_url"] = web_url
    return found


def when(value: datetime | str | None) -> str:
    """A time as the pages show it (UTC)."""
    if value is None:
        return "undated"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(UTC).strftime("%d %b %Y, %H:%M UTC")


def activity(story: Any) -> str:
    """When a story last moved, as a listing says it.  A story none of whose articles carries a
    publication date has only the times newsfold read them, which are not news times: it says so
    (``undated, first seen …``) rather than ``updated …``.  ``story`` is a summary or a story document."""
    if isinstance(story, dict):
        dated, articles, last = story["first_published"], story["articles"], story["last_activity"]
    else:
        dated, articles, last = story.first_published, story.article_count, story.last_activity
    if dated:
        return f"updated {when(last)}"
    return f"undated, {'first' if articles == 1 else 'last'} seen {when(last)}"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 article``, ``2 articles``, ``1,204 articles``: the number with its noun agreeing."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def number(value: object) -> str:
    """A number with thousands separators (``410000`` → ``410,000``); anything else unchanged."""
    text = str(value)
    match = _NUMBER.match(text)
    if not match:
        return text
    sign, whole, fraction = match.groups()
    return f"{sign}{int(whole):,}{fraction or ''}"


def web_url(url: object) -> bool:
    """Whether ``url`` may be a link: http or https only (a scraped ``javascript:`` or ``data:``
    URL is shown as text, never followed)."""
    if not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def sources(citations: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Citations split into one per source and the copies: the citations of an original and its
    copies are one source, shown as the original (or, when it is not cited, its first copy);
    the others are listed apart (``+N copies``) rather than with equal weight beside it."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for citation in citations:
        groups.setdefault(citation.get("copy_of") or citation["article_id"], []).append(citation)
    reports: list[dict[str, Any]] = []
    copies: list[dict[str, Any]] = []
    for root, group in groups.items():
        first = next((c for c in group if c["article_id"] == root), group[0])
        reports.append(first)
        copies.extend(c for c in group if c is not first)
    return {"reports": reports, "copies": copies}


def relation(member: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """What an article is in its story: an original (copied by others), an independent report,
    or a copy of another member (its kind in words and the member it copies)."""
    found = _RELATION.match(member["relation"])
    if found is None:
        return {"kind": member["relation"], "of": None}
    kind, original = found.groups()
    return {"kind": kind.replace("_", " "), "of": by_id.get(original)}


def chart(members: list[dict[str, Any]], width: int = 320, height: int = 60) -> dict[str, Any]:
    """Articles over time as bars (by hour for a story of a day or two, else by day), for an SVG."""
    dated = sorted(datetime.fromisoformat(m["published"]) for m in members if m["published"])
    if not dated:
        return {"bars": [], "width": width, "height": height, "label": "no dated articles"}
    span = dated[-1] - dated[0]
    step = timedelta(hours=1) if span <= timedelta(days=2) else timedelta(days=1)
    buckets = max(1, math.ceil(span / step) + 1)
    counts = [0] * buckets
    for moment in dated:
        counts[min(buckets - 1, int((moment - dated[0]) / step))] += 1
    top = max(counts)
    bar = width / buckets
    bars = [
        {
            "x": round(i * bar, 1),
            "w": round(max(1.0, bar - 1), 1),
            "h": round(height * c / top, 1),
            "count": c,
        }
        for i, c in enumerate(counts)
    ]
    unit = "hour" if step == timedelta(hours=1) else "day"
    return {
        "bars": bars,
        "width": width,
        "height": height,
        "label": f"articles per {unit}, {when(dated[0])} to {when(dated[-1])}",
    }
