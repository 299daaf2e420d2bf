"""One pass over live sources: what is new in each, as raw documents, and the source's next schedule.

:func:`poll` reads one :class:`~newsfold.model.Source` through a :class:`~.fetch.Fetcher`:

- a **feed** is fetched with its validators (a 304 costs nothing); each entry whose content
  changed since the last pass (a hash of title, dates and text) becomes a document: the feed's
  own content when it carries the whole article, else the article page, fetched;
- a **page** (a section front) is fetched and the article links on it that were never seen are
  fetched;
- a **sitemap** (or sitemap index, news sitemap) lists URLs with dates; new or re-dated ones are
  fetched.

Nothing here writes anywhere: :class:`SourcePass` carries the documents, the items to remember
once they are saved, and the source with its new state, and the caller saves them in that order
(so a killed process fetches an item again rather than losing it).  An entry edited at the source
comes back as the same URL with new text, which the pipeline records as a revision.

The source's validators (ETag, Last-Modified) are the promise "everything up to this version is
in": they are taken from a response only once it parsed and every new item it listed was brought
in or given up for good.  An item left for the next pass (past ``max_items``, or its page failing
for now) keeps the old validators, so the next pass gets the whole listing again, not a 304 that
would hide the item for ever.  A source that moved for good (301, 308) says so in
:attr:`SourcePass.moved_to`; :func:`follow_moves`, run once the pass is saved, gives it the new URL.
A pass can be ended after any saved source with :func:`stop_pass`: the sources not saved yet are
left as they were, still due.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import re
import statistics
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import NoReturn, Protocol

from newsfold.ingest.feeds import FeedEntry, FeedError, looks_like_feed, parse_feed
from newsfold.ingest.fetch import Fetcher, FetchError, Response
from newsfold.ingest.pages import discover_article_links, discover_feeds, looks_like_html
from newsfold.ingest.sitemaps import SitemapError, SitemapUrl, looks_like_sitemap, parse_sitemap
from newsfold.model import DocumentKind, RawDocument, Skipped, Source, SourceKind

MIN_INTERVAL = 5 * 60.0
"""Seconds: no source is polled more often, however fast it publishes."""
MAX_INTERVAL = 24 * 3600.0
MAX_BACKOFF = 24 * 3600.0
MAX_ITEMS_PER_PASS = 50
"""Articles fetched per source and pass; the rest wait for the next pass (newest first)."""
MAX_CHILD_SITEMAPS = 5
FULL_CONTENT_CHARS = 600
"""Feed content with at least this much text is the article; shorter is a summary (fetch the page)."""
SOURCES_AT_ONCE = 8

PAGE_TYPES = ("text/html", "application/xhtml+xml")
SITEMAP_TYPES = (
    "text/",
    "application/xml",
    "+xml",
    "application/gzip",
    "application/x-gzip",
    "application/octet-stream",
)

SeenLookup = Callable[[int, list[str]], Mapping[str, str]]
"""``(source id, urls) → {url: entry hash}`` for the items a source brought in before."""

_TASK_NAME = "newsfold-poll: "
"""Prefix of the name of every task :func:`poll_all` starts, so :func:`stop_pass` finds them."""


@dataclass(slots=True)
class SourcePass:
    """What one pass over one source produced."""

    source: Source
    """The source with its new state: validators, schedule, health."""
    documents: list[RawDocument] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    items: dict[str, str] = field(default_factory=dict)
    """Items (url → entry hash) to remember once ``documents`` are saved."""
    listed: int = 0
    """Items the source listed this pass (new or not)."""
    not_modified: bool = False
    error: str | None = None
    moved_to: str | None = None
    """The URL the source moved to for good (a permanent redirect), for :func:`follow_moves`."""


@dataclass(slots=True)
class _Listing:
    """What the source lists now, and what to keep of the response once all of it is in."""

    items: list[_Item] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    moved_to: str | None = None
    whole: bool = True
    """False when part of the listing could not be read (a child sitemap): not all of it is in."""


@dataclass(slots=True, frozen=True)
class _Item:
    url: str
    entry_hash: str
    title: str | None = None
    published: datetime | None = None
    content_html: str | None = None


def detect_source(response: Response) -> tuple[SourceKind, str | None]:
    """What a fetched URL is: a feed, a sitemap, or an HTML page, and for a page the feed it
    announces (``<link rel=alternate>``), which is what a user adding a site means to follow."""
    body = response.body
    if looks_like_feed(body, response.content_type):
        return SourceKind.FEED, None
    if looks_like_sitemap(body):
        return SourceKind.SITEMAP, None
    if looks_like_html(body, response.content_type):
        feeds = discover_feeds(body, response.url)
        return SourceKind.PAGE, feeds[0] if feeds else None
    raise FetchError(
        response.url, f"neither a feed, a sitemap nor an HTML page ({response.content_type or 'no type'})"
    )


async def poll_all(
    sources: Iterable[Source],
    fetcher: Fetcher,
    seen: SeenLookup,
    *,
    now: datetime | None = None,
    max_items: int = MAX_ITEMS_PER_PASS,
) -> list[asyncio.Task[SourcePass]]:
    """Start a pass over every source (a few at a time); await the tasks in completion order with
    ``asyncio.as_completed``.  A source that fails never stops the others."""
    gate = asyncio.Semaphore(SOURCES_AT_ONCE)

    async def one(source: Source) -> SourcePass:
        async with gate:
            return await poll(source, fetcher, seen, now=now, max_items=max_items)

    return [asyncio.create_task(one(source), name=f"{_TASK_NAME}{source.url}") for source in sources]


class PassStopped(Exception):
    """A pass ended early by :func:`stop_pass`; what was saved before stays saved."""


def stop_pass() -> NoReturn:
    """End the running pass from a caller's per-source hook (``on_source``), after the source just saved.

    The other sources' polls are cancelled: nothing of theirs has been saved (a source's items and
    state are saved together, after its articles), so they stay due, as they were, and the next
    pass reads them in full.  Raises :class:`PassStopped`, which leaves the pass.
    """
    for task in asyncio.all_tasks():
        if task.get_name().startswith(_TASK_NAME) and not task.done():
            task.cancel()
    raise PassStopped("pass stopped after the source just saved")


class SourceRegistry(Protocol):
    """The part of a store :func:`follow_moves` needs."""

    def source(self, ref: int | str) -> Source | None: ...

    def update_source(self, source: Source) -> None: ...


def follow_moves(store: SourceRegistry, passes: Iterable[SourcePass]) -> list[str]:
    """Give each saved source that moved for good (301, 308) its new URL; a note for each move.

    Run after the passes are saved (the pipeline saves the state, validators included, under the
    old URL; they belong to the new one).  A move onto a URL that another source already follows
    is not taken (two sources cannot share a URL): the note says so, and the validators still
    reach the new URL through the redirect.
    """
    notes = []
    for source_pass in passes:
        source, target = source_pass.source, source_pass.moved_to
        if source.id is None or target is None or target == source.url:
            continue
        other = store.source(target)
        if other is not None and other.id != source.id:
            notes.append(
                f"source {source.id} ({source.url}) moved permanently to {target}, which is already "
                f"followed as source {other.id}: left as it is; remove one of them"
            )
            continue
        source.url = target
        store.update_source(source)
        notes.append(f"source {source.id} moved permanently to {target}; following it there")
    return notes


async def poll(
    source: Source,
    fetcher: Fetcher,
    seen: SeenLookup,
    *,
    now: datetime | None = None,
    max_items: int = MAX_ITEMS_PER_PASS,
) -> SourcePass:
    """One pass over ``source``; never raises for anything the source or the network does."""
    now = now or datetime.now(UTC)
    result = SourcePass(replace(source, last_fetched=now))
    try:
        listing = await _list_items(result, fetcher)
    except (FetchError, FeedError, SitemapError) as exc:
        return _failed(result, exc, now)
    result.moved_to = listing.moved_to
    if result.not_modified:
        result.source = _succeeded(result.source, now, new_items=0, times=[])
        return result
    items = _once_each(listing.items)
    result.listed = len(items)
    known = seen(source.id, [item.url for item in items]) if source.id is not None else {}
    fresh = [item for item in items if known.get(item.url) != item.entry_hash]
    fresh.sort(key=lambda i: i.published or datetime.min.replace(tzinfo=UTC), reverse=True)
    fetched = await asyncio.gather(
        *(_document(result.source, item, fetcher, now) for item in fresh[:max_items])
    )
    for item, (document, remember) in zip(fresh, fetched, strict=False):
        if isinstance(document, RawDocument):
            result.documents.append(document)
        else:
            result.skipped.append(document)
        if remember:
            result.items[item.url] = item.entry_hash
    if listing.whole and len(result.items) == len(fresh):  # everything new is in: the version is done
        result.source.etag, result.source.last_modified = listing.etag, listing.last_modified
    result.source = _succeeded(
        result.source, now, new_items=len(result.documents), times=[i.published for i in items if i.published]
    )
    return result


_ACCEPT: dict[SourceKind, tuple[str, ...] | None] = {
    SourceKind.FEED: None,  # feeds come under every text type there is: the bytes decide
    SourceKind.PAGE: PAGE_TYPES,
    SourceKind.SITEMAP: SITEMAP_TYPES,
}


async def _list_items(result: SourcePass, fetcher: Fetcher) -> _Listing:
    """The items the source lists now: one conditional GET (a 304 lists nothing), then by kind.

    The response's validators are not the source's yet: :func:`poll` takes them once every new
    item is in, and never from a body that did not parse.
    """
    source = result.source
    response = await fetcher.get(
        source.url, accept=_ACCEPT[source.kind], etag=source.etag, last_modified=source.last_modified
    )
    source.last_status = response.status
    listing = _Listing(etag=response.etag, last_modified=response.last_modified, moved_to=response.moved_to)
    if response.not_modified:
        result.not_modified = True
        return listing
    if source.kind is SourceKind.FEED:
        feed = parse_feed(response.body, response.url, response.content_type)
        source.title = source.title or feed.title
        source.site_url = source.site_url or feed.site_url
        result.skipped.extend(Skipped(source.url, f"feed recovered: {w}") for w in feed.warnings)
        listing.items = [_feed_item(entry) for entry in feed.entries if entry.url]
    elif source.kind is SourceKind.PAGE:
        listing.items = [_Item(url, "") for url in discover_article_links(response.body, response.url)]
    else:
        await _sitemap_items(result, response, fetcher, listing)
    return listing


async def _sitemap_items(result: SourcePass, response: Response, fetcher: Fetcher, listing: _Listing) -> None:
    """A sitemap's URLs, and those of the first child sitemaps of an index."""
    sitemap = parse_sitemap(response.body, response.url, fetcher.policy.max_bytes)
    urls = list(sitemap.urls)
    for child in sitemap.sitemaps[:MAX_CHILD_SITEMAPS]:
        try:
            child_response = await fetcher.get(child, accept=SITEMAP_TYPES)
            urls.extend(parse_sitemap(child_response.body, child_response.url, fetcher.policy.max_bytes).urls)
        except (FetchError, SitemapError) as exc:
            result.skipped.append(Skipped(child, f"child sitemap not read: {exc}"))
            listing.whole = False  # the index's validators would hide this child's URLs next pass
    listing.items = [_sitemap_item(entry) for entry in urls]


def _once_each(items: list[_Item]) -> list[_Item]:
    """The first item listed for each URL: a URL listed twice would otherwise never be all in."""
    first: dict[str, _Item] = {}
    for item in items:
        first.setdefault(item.url, item)
    return list(first.values())


def _feed_item(entry: FeedEntry) -> _Item:
    assert entry.url is not None
    when = entry.updated or entry.published
    digest = hashlib.sha256(
        "\x1f".join(
            [
                entry.title or "",
                when.isoformat() if when else "",
                entry.content_html or entry.summary_html or "",
            ]
        ).encode()
    ).hexdigest()
    full = (
        entry.content_html
        if entry.content_html and _text_length(entry.content_html) >= FULL_CONTENT_CHARS
        else None
    )
    return _Item(entry.url, digest, entry.title, entry.published or entry.updated, full)


def _sitemap_item(entry: SitemapUrl) -> _Item:
    when = entry.news_published or entry.lastmod
    return _Item(entry.url, when.isoformat() if when else "", entry.news_title, when)


_TAG = re.compile(r"<[^>]+>")


def _text_length(fragment: str) -> int:
    return len(" ".join(html.unescape(_TAG.sub(" ", fragment)).split()))


async def _document(
    source: Source, item: _Item, fetcher: Fetcher, now: datetime
) -> tuple[RawDocument | Skipped, bool]:
    """The item as a raw document, and whether to remember it as brought in.

    A page that is gone (404, 410) or refused by robots.txt is remembered with its reason, so
    it is not asked for again every pass; anything else (timeouts, 5xx) is retried next pass.
    """
    if item.content_html is not None:
        title = html.escape(item.title or "")
        page = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{item.content_html}</article></body></html>"
        return _raw(source, item, page.encode("utf-8"), item.url, "utf-8", now), True
    try:
        response = await fetcher.get(item.url, accept=PAGE_TYPES)
    except FetchError as exc:
        permanent = exc.status in (404, 410) or "robots.txt" in exc.reason
        return Skipped(item.url, exc.reason), permanent
    charset = re.search(r"charset=([\w.:-]+)", response.headers.get("content-type", ""), re.IGNORECASE)
    return _raw(source, item, response.body, response.url, charset.group(1) if charset else None, now), True


def _raw(
    source: Source, item: _Item, body: bytes, origin: str, encoding: str | None, now: datetime
) -> RawDocument:
    return RawDocument(
        origin=origin,
        body=body,
        kind=DocumentKind.HTML,
        url=item.url,
        title=item.title,
        published=item.published,
        outlet=source.title,
        fetched_at=now,
        encoding=encoding,
    )


def _succeeded(source: Source, now: datetime, *, new_items: int, times: list[datetime]) -> Source:
    interval = adapted_interval(source.interval, new_items, times, now)
    return replace(
        source,
        last_success=now,
        error_count=0,
        last_error=None,
        interval=interval,
        next_due=now + timedelta(seconds=interval),
    )


def _failed(result: SourcePass, error: Exception, now: datetime) -> SourcePass:
    source = result.source
    errors = source.error_count + 1
    retry_after = error.retry_after if isinstance(error, FetchError) else None
    delay = retry_after if retry_after is not None else backoff(source.interval, errors)
    result.error = str(error)
    result.source = replace(
        source,
        error_count=errors,
        last_error=str(error),
        last_status=error.status if isinstance(error, FetchError) else source.last_status,
        next_due=now + timedelta(seconds=min(delay, 7 * MAX_BACKOFF)),
    )
    return result


def backoff(interval: float, errors: int) -> float:
    """Seconds to wait after ``errors`` failed passes in a row: doubling from a short first retry."""
    first = min(max(interval, MIN_INTERVAL), 3600.0) / 2
    return float(min(MAX_BACKOFF, first * 2 ** min(errors - 1, 20)))


def adapted_interval(current: float, new_items: int, times: list[datetime], now: datetime) -> float:
    """How long to wait before the next pass, from how often the source publishes.

    With dated items: half the typical gap between publications (a source posting hourly is
    polled every half hour), stretched when the newest item is old (a quiet source is asked less);
    without: shorter after a pass that found something, longer after one that did not.
    """
    recent = sorted(times)[-20:]
    gaps = [(b - a).total_seconds() for a, b in pairwise(recent) if b > a]
    if gaps:
        target = statistics.median(gaps) / 2
        target = max(target, (now - recent[-1]).total_seconds() / 4)
    else:
        target = current * (0.5 if new_items else 1.5)
    return float(min(MAX_INTERVAL, max(MIN_INTERVAL, target)))
