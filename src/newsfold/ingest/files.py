"""Files and folders: ``.txt``, ``.html``/``.htm`` (optionally ``.gz``), ``.json`` and ``.jsonl``.

JSON inputs hold one article per object (a ``.json`` file may hold one object or a list; a
``.jsonl`` file one object per line) with these fields:

``url``
    canonical URL of the article (optional; makes re-ingesting an updated copy idempotent)
``title``
    headline (optional; otherwise recognised from the text)
``text`` or ``html``
    the body, as plain text (paragraphs separated by blank lines) or as an HTML page (required)
``published``
    publication time, ISO 8601 (``2025-03-04T09:30:00+00:00``) or RFC 2822 (optional)
``source``
    the outlet's name (optional)
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsfold.ingest.formats import size_text
from newsfold.model import DocumentKind, RawDocument, Skipped, parse_timestamp

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSON_SUFFIXES = (".json", ".jsonl")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSON_SUFFIXES


def _logical_suffix(path: Path) -> str:
    """``a.html.gz`` → ``.html``: the format inside the compression."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path | Skipped]:
    """Expand files and folders (recursively, in a stable order) into the files to read.

    Hidden files are passed over silently; files of another type are reported, so a user who
    dropped a ``.pdf`` in the folder learns why it was not read.
    """
    for path in paths:
        path = path.resolve()  # an article's identity must not depend on the working directory
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(p.startswith(".") for p in child.relative_to(path).parts):
                    yield from _check_file(child)
        elif path.is_file():
            yield from _check_file(path)
        else:
            yield Skipped(str(path), "no such file or folder")


def _check_file(path: Path) -> Iterator[Path | Skipped]:
    if _logical_suffix(path) in SUPPORTED_SUFFIXES:
        yield path
    else:
        yield Skipped(
            str(path),
            f"unsupported file type {''.join(path.suffixes) or '(none)'}"
            f" (expected one of {', '.join(SUPPORTED_SUFFIXES)}, optionally .gz)",
        )


def read_path(path: Path, max_bytes: int) -> Iterator[RawDocument | Skipped]:
    """Read one file into raw documents (JSON files may hold many).

    ``max_bytes`` caps the file and, for ``.gz``, the decompressed size too, so neither a huge
    page nor a decompression bomb is ever held in memory.
    """
    origin = str(path)
    try:
        data = _read_limited(path, max_bytes)
    except _TooLarge as exc:
        yield Skipped(origin, str(exc))
        return
    except (OSError, EOFError, zlib.error) as exc:
        yield Skipped(origin, f"cannot read file: {exc}")
        return
    if not data.strip():
        yield Skipped(origin, "empty file")
        return
    fetched = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    suffix = _logical_suffix(path)
    if suffix in TEXT_SUFFIXES:
        body, outlet, warnings = split_front_matter(data)
        yield RawDocument(
            origin=origin,
            body=body,
            kind=DocumentKind.TEXT,
            outlet=outlet,
            fetched_at=fetched,
            warnings=warnings,
        )
    elif suffix in HTML_SUFFIXES:
        yield RawDocument(origin=origin, body=data, kind=DocumentKind.HTML, fetched_at=fetched)
    else:
        yield from _read_json(origin, data, jsonl=suffix == ".jsonl", fetched=fetched)


_FRONT_MATTER_FENCE = b"---"
_FRONT_MATTER_MAX_LINES = 20
_OUTLET_KEYS = frozenset({"source", "outlet"})


def split_front_matter(data: bytes) -> tuple[bytes, str | None, list[str]]:
    """A plain-text article's front matter, if it opens with one: ``(body, outlet, warnings)``.

    Text pasted off a page rarely says who published it, and a file name is a poor outlet name.
    A ``.txt`` file may therefore open with a block of ``key: value`` lines between two ``---``
    lines, as in Markdown front matter, naming its outlet (``source:`` or ``outlet:``).  The block
    is taken off the body, so extraction never reads it as the headline.  A file that does not
    open with ``---``, or whose block is not closed within 20 lines, is left whole (it may be an
    article that begins with a rule); other keys are ignored with a warning, never an error.
    """
    lines = data.split(b"\n", _FRONT_MATTER_MAX_LINES + 1)
    if lines[0].removeprefix(b"\xef\xbb\xbf").strip() != _FRONT_MATTER_FENCE:
        return data, None, []
    closing = next(
        (
            n
            for n, line in enumerate(lines[1 : _FRONT_MATTER_MAX_LINES + 1], start=1)
            if line.strip() == _FRONT_MATTER_FENCE
        ),
        None,
    )
    if closing is None:
        return data, None, []
    outlet: str | None = None
    warnings: list[str] = []
    for raw in lines[1:closing]:
        line = raw.decode("utf-8", errors="replace").strip()
        if not line:
            continue
        key, colon, value = line.partition(":")
        key = key.strip().casefold()
        if not colon or not value.strip():
            warnings.append(f"front matter: line {line!r} is not 'key: value'; ignored")
        elif key in _OUTLET_KEYS:
            outlet = value.strip()
        else:
            warnings.append(f"front matter: unknown key {key!r} ignored (known: source, outlet)")
    body = b"\n".join(lines[closing + 1 :])
    return body, outlet, warnings


class _TooLarge(Exception):
    pass


def _read_limited(path: Path, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if path.suffix.lower() == ".gz":
        with gzip.open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise _TooLarge(f"decompresses to more than the {size_text(max_bytes)} limit")
        return data
    if size > max_bytes:
        raise _TooLarge(f"file too large ({size_text(size)} > {size_text(max_bytes)} limit)")
    return path.read_bytes()


def _read_json(
    origin: str, data: bytes, *, jsonl: bool, fetched: datetime
) -> Iterator[RawDocument | Skipped]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Skipped(origin, f"JSON must be UTF-8: {exc.reason} at byte {exc.start}")
        return
    if jsonl:
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield _json_record(f"{origin}#{number}", line, fetched)
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Skipped(origin, f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
        return
    records = value if isinstance(value, list) else [value]
    for index, record in enumerate(records, start=1):
        where = f"{origin}#{index}" if isinstance(value, list) else origin
        yield document_from_json(where, record, fetched)


def _json_record(origin: str, line: str, fetched: datetime) -> RawDocument | Skipped:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Skipped(origin, f"invalid JSON: {exc.msg} at column {exc.colno}")
    return document_from_json(origin, record, fetched)


def document_from_json(origin: str, record: Any, fetched: datetime) -> RawDocument | Skipped:
    """One article given as a JSON object (the fields this module's docstring lists), from a
    file or from the reader's ingest endpoint; what is wrong with it comes back as ``Skipped``."""
    if not isinstance(record, dict):
        return Skipped(origin, f"expected a JSON object, found {type(record).__name__}")
    body_text, body_html = record.get("text"), record.get("html")
    if isinstance(body_html, str) and body_html.strip():
        kind, body = DocumentKind.HTML, body_html
    elif isinstance(body_text, str) and body_text.strip():
        kind, body = DocumentKind.TEXT, body_text
    else:
        return Skipped(origin, "no 'text' or 'html' field with content")
    warnings: list[str] = []
    published = None
    if record.get("published") not in (None, ""):
        published = parse_timestamp(str(record["published"]))
        if published is None:
            warnings.append(f"unreadable 'published' value {record['published']!r} ignored")
    return RawDocument(
        origin=origin,
        body=body.encode("utf-8"),
        kind=kind,
        url=_optional_str(record.get("url")),
        title=_optional_str(record.get("title")),
        published=published,
        outlet=_optional_str(record.get("source")),
        fetched_at=fetched,
        encoding="utf-8",
        warnings=warnings,
    )


def _optional_str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
