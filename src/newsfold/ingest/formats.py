"""What every input adapter needs to read bytes from outside: media types, safe XML, sizes.

One place, so the feed, OPML and sitemap readers parse XML under the same rules (no entity
expansion, no DTD, no network, no huge trees: XXE and billion-laughs safe) and every message
about a size limit reads alike.
"""

from __future__ import annotations

import re

from lxml import etree

_XML_POSITION = re.compile(r", line \d+, column \d+\Z")


def media_type(content_type: str | None) -> str:
    """``"Application/RSS+XML; charset=utf-8"`` → ``"application/rss+xml"`` (``""`` when there is none)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def safe_xml_parser() -> etree.XMLParser:
    """An lxml parser that never expands entities, loads a DTD or touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )


def xml_error(exc: etree.XMLSyntaxError) -> str:
    """libxml2's message without the position it repeats (the caller says the line)."""
    return _XML_POSITION.sub("", str(exc.msg))


def local_name(element: etree._Element | None) -> str:
    """An element's tag without its namespace (``""`` for comments, PIs and ``None``)."""
    tag = element.tag if element is not None else None
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def size_text(n: int) -> str:
    """A size for a message: ``"10.0 MB"``, or ``"512 bytes"`` below a megabyte."""
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{n:,} bytes"
