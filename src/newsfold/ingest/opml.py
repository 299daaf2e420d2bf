"""OPML subscription lists: how feed readers import and export the feeds a person follows.

Reading OPML lets a user bring their sources from any feed reader in one go; writing it lets them
take newsfold's sources elsewhere, or back them up.  Feed readers nest subscriptions in folders;
newsfold keeps a source's folder path as its ``category`` ("News/Local") and rebuilds the folders
when writing, so a list survives a round trip.

OPML files come from anywhere, so they are parsed with lxml set up to resolve no entities, fetch
nothing and refuse huge trees: an external entity (XXE) is never read and an entity bomb never
expanded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import etree

from newsfold.ingest.formats import local_name, safe_xml_parser, xml_error

__all__ = ["OpmlError", "OpmlOutline", "read_opml", "write_opml"]


@dataclass(slots=True, frozen=True)
class OpmlOutline:
    """One subscription: a feed URL with its name, home page and folder path."""

    url: str  # xmlUrl
    title: str | None  # title or text attribute
    site_url: str | None  # htmlUrl
    category: str | None  # text of the enclosing folder outline(s), joined with "/"


class OpmlError(ValueError):
    """The bytes are not a readable OPML document; the message says why."""


# Characters XML 1.0 cannot carry at all (controls, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def read_opml(data: bytes) -> list[OpmlOutline]:
    """The feeds listed in an OPML document, in document order.

    Every outline with an ``xmlUrl`` is a feed, however deeply nested; the outlines around it
    without one are folders, whose names (``text``, else ``title``) make its ``category``, joined
    with "/".  Outlines without ``xmlUrl`` that hold no feeds (plain links, notes) are skipped, and
    a feed listed twice is kept once, where it first appears.  Attribute names are matched without
    regard to case (``xmlurl`` turns up in the wild).  A ``text`` that merely repeats the
    ``xmlUrl`` is a placeholder, not a title.
    """
    if not data.strip():
        raise OpmlError("not OPML: the document is empty")
    try:
        root = etree.fromstring(data, safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        raise OpmlError(f"malformed OPML at line {exc.lineno}: {xml_error(exc)}") from exc
    except ValueError as exc:
        raise OpmlError(f"malformed OPML: {exc}") from exc
    if _local(root) != "opml":
        raise OpmlError(f"not OPML: the root element is <{_local(root) or '?'}>")
    found: dict[str, OpmlOutline] = {}
    for body in root:
        if _local(body) == "body":
            _collect(body, [], found)
    return list(found.values())


def _collect(parent: etree._Element, folders: list[str], found: dict[str, OpmlOutline]) -> None:
    for outline in parent:
        if _local(outline) != "outline":
            continue
        attributes = {str(k).lower(): str(v) for k, v in outline.attrib.items()}
        url = attributes.get("xmlurl", "").strip()
        if url:
            title = _clean(attributes.get("title")) or _clean(attributes.get("text"))
            if url not in found:
                found[url] = OpmlOutline(
                    url=url,
                    title=None if title == url else title,
                    site_url=_clean(attributes.get("htmlurl")),
                    category="/".join(folders) or None,
                )
            _collect(outline, folders, found)  # a feed outline with children: rare, but read them
        else:
            name = _clean(attributes.get("text")) or _clean(attributes.get("title"))
            _collect(outline, [*folders, name] if name else folders, found)


def write_opml(outlines: Iterable[OpmlOutline], title: str = "newsfold sources") -> str:
    """An OPML 2.0 document listing ``outlines``, in folders by category; :func:`read_opml` reads it back.

    A category "News/Local" becomes a folder "Local" inside a folder "News" (empty path parts are
    dropped).  Within a folder, feeds and subfolders keep the order in which they first appear.
    A URL listed twice is written once (its first outline).  A feed without a title gets its URL as ``text`` (OPML requires one), which :func:`read_opml`
    reads back as no title.  Characters XML cannot carry (control characters) are dropped.
    """
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = _xml_safe(title)
    top = _Folder("")
    seen: set[str] = set()
    for outline in outlines:
        if outline.url in seen:
            continue  # kept once, as read_opml would
        seen.add(outline.url)
        folder = top
        for part in _category_parts(outline.category):
            sub = folder.subfolders.get(part)
            if sub is None:
                sub = folder.subfolders[part] = _Folder(part)
                folder.items.append(sub)
            folder = sub
        folder.items.append(outline)
    _write_folder(etree.SubElement(root, "body"), top)
    etree.indent(root, space="  ")
    document: str = etree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{document}\n'


@dataclass(slots=True)
class _Folder:
    name: str
    items: list[_Folder | OpmlOutline] = field(default_factory=list)  # feeds and subfolders, in order
    subfolders: dict[str, _Folder] = field(default_factory=dict)


def _write_folder(element: etree._Element, folder: _Folder) -> None:
    for item in folder.items:
        if isinstance(item, _Folder):
            name = _xml_safe(item.name)
            _write_folder(etree.SubElement(element, "outline", text=name, title=name), item)
            continue
        attributes = {"type": "rss", "text": _xml_safe(item.title or item.url)}
        if item.title:
            attributes["title"] = _xml_safe(item.title)
        attributes["xmlUrl"] = _xml_safe(item.url)
        if item.site_url:
            attributes["htmlUrl"] = _xml_safe(item.site_url)
        etree.SubElement(element, "outline", attributes)


def _category_parts(category: str | None) -> list[str]:
    parts = (_xml_safe(part).strip() for part in (category or "").split("/"))
    return [part for part in parts if part]


def _local(element: etree._Element) -> str:
    return local_name(element).lower()


def _clean(value: str | None) -> str | None:
    return (value or "").strip() or None


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)
