"""Atom 1.0 feeds out: top stories, one story, a search, an entity.  ElementTree escapes every
value, so scraped text stays text in any feed reader."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

from fastapi import Request
from fastapi.responses import Response

from newsfold.export import iso
from newsfold.web.reader import StoryView
from newsfold.web.views import count

ATOM_NS = "http://www.w3.org/2005/Atom"


def story_entry(request: Request, view: StoryView) -> dict[str, str]:
    """A story as a feed entry: its consolidated lead, how many sources and articles."""
    sources = count(view.independent_sources, "independent source")
    return {
        "id": f"urn:newsfold:story:{view.summary.id}",
        "title": view.summary.title,
        "link": str(request.url_for("story_page", story_id=view.summary.id)),
        "updated": iso(view.summary.last_activity) or "",
        "summary": f"{view.lead} ({sources}, {count(view.summary.article_count, 'article')})",
    }


def article_entries(request: Request, found: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Search hits (the ``/api/search`` article shape) as feed entries, newest first."""
    found = sorted(found, key=lambda a: a["published"] or "", reverse=True)
    return [
        {
            "id": f"urn:newsfold:article:{a['article_id']}",
            "title": a["title"],
            "link": str(request.url_for("article_page", article_id=a["article_id"])),
            "updated": a["published"] or "",
            "summary": f"{a['outlet']}: {''.join(part['text'] for part in a['snippet_parts'])}",
        }
        for a in found
    ]


def member_entries(request: Request, view: StoryView) -> list[dict[str, str]]:
    """A story's articles as feed entries, newest first."""
    latest = view.document["last_activity"]
    return [
        {
            "id": f"urn:newsfold:article:{m['article_id']}",
            "title": m["title"],
            "link": str(request.url_for("article_page", article_id=m["article_id"])),
            "updated": m["published"] or latest,
            "summary": f"{m['outlet']} · {m['relation'].replace('_', ' ')}",
        }
        for m in sorted(view.members, key=lambda m: m["published"] or latest, reverse=True)
    ]


def atom(title: str, self_url: str, entries: list[dict[str, str]]) -> Response:
    """An Atom 1.0 document of ``entries``."""
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    ET.SubElement(feed, f"{{{ATOM_NS}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM_NS}}}id").text = self_url
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", rel="self", href=self_url)
    updated = max((e["updated"] for e in entries if e["updated"]), default=datetime.now(UTC).isoformat())
    ET.SubElement(feed, f"{{{ATOM_NS}}}updated").text = updated
    author = ET.SubElement(feed, f"{{{ATOM_NS}}}author")
    ET.SubElement(author, f"{{{ATOM_NS}}}name").text = "newsfold"
    for entry in entries:
        node = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
        ET.SubElement(node, f"{{{ATOM_NS}}}id").text = entry["id"]
        ET.SubElement(node, f"{{{ATOM_NS}}}title").text = entry["title"]
        ET.SubElement(node, f"{{{ATOM_NS}}}link", href=entry["link"])
        ET.SubElement(node, f"{{{ATOM_NS}}}updated").text = entry["updated"] or updated
        ET.SubElement(node, f"{{{ATOM_NS}}}summary").text = entry["summary"]
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type="application/atom+xml; charset=utf-8")
