"""Wires the stages into a run: files or live sources → raw documents → articles → copy links →
stories → store.

Each stage is a generator over model objects and knows nothing of the others.  The run works in
chunks of ``Settings.batch_size`` articles: a chunk is extracted, put in publication order (so
the original of a copy is usually seen first), compared, clustered and written in one transaction.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

import httpx

from newsfold.config import Settings
from newsfold.copies import CopyDetector
from newsfold.extract import extract
from newsfold.ingest import iter_input_files, read_path
from newsfold.ingest.fetch import Fetcher, FetchPolicy, parse_networks
from newsfold.ingest.live import SourcePass, detect_source, poll_all
from newsfold.model import Article, CopyKind, CopyLink, RawDocument, Skipped, Source, SourceKind
from newsfold.store import Batch, Revision, Store
from newsfold.stories import StoryClusterer


@dataclass(slots=True)
class IngestReport:
    """What a run did, in the terms a user asks about."""

    files: int = 0
    read: int = 0
    new: int = 0
    duplicates: int = 0
    """New articles whose text exactly duplicates a stored one."""
    copies: int = 0
    """New articles that share text with a stored one (either side may be the original)."""
    unchanged: int = 0
    revised: int = 0
    """Articles updated in place: the same URL, or the same outlet, with edited text."""
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[Skipped] = field(default_factory=list)
    stories_touched: set[str] = field(default_factory=set)
    stories_opened: int = 0
    stories_merged: int = 0
    """Stories found to be one with another and merged into it (their ids still resolve)."""

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "read": self.read,
            "new": self.new,
            "duplicates": self.duplicates,
            "copies": self.copies,
            "unchanged": self.unchanged,
            "revised": self.revised,
            "skipped": [{"origin": s.origin, "reason": s.reason} for s in self.skipped],
            "warnings": [{"origin": w.origin, "message": w.reason} for w in self.warnings],
            "stories_touched": len(self.stories_touched),
            "stories_opened": self.stories_opened,
            "stories_merged": self.stories_merged,
        }


@dataclass(slots=True)
class FetchReport:
    """A pass over live sources: per source what happened, and the ingest of what they brought."""

    sources: list[SourcePass] = field(default_factory=list)
    ingest: IngestReport = field(default_factory=IngestReport)

    @property
    def failed(self) -> list[SourcePass]:
        return [p for p in self.sources if p.error]

    def as_dict(self) -> dict[str, object]:
        return {
            "sources": [
                {
                    "id": p.source.id,
                    "url": p.source.url,
                    "status": "failed" if p.error else "not modified" if p.not_modified else "ok",
                    "listed": p.listed,
                    "documents": len(p.documents),
                    "error": p.error,
                    "next_due": p.source.next_due.isoformat() if p.source.next_due else None,
                }
                for p in self.sources
            ],
            "failed": len(self.failed),
            **self.ingest.as_dict(),
        }


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """The files to read under ``paths``, and the ones passed over with the reason."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    for item in iter_input_files(paths):
        if isinstance(item, Skipped):
            skipped.append(item)
        else:
            files.append(item)
    return files, skipped


def read_files(
    files: Iterable[Path], settings: Settings, on_file: Callable[[Path], None] | None = None
) -> Iterator[RawDocument | Skipped]:
    """Ingest stage for files: each file becomes zero or more raw documents."""
    for path in files:
        yield from read_path(path, settings.max_file_bytes)
        if on_file is not None:
            on_file(path)


def extract_stage(
    documents: Iterable[RawDocument | Skipped], settings: Settings, report: IngestReport
) -> Iterator[Article | Skipped]:
    """Extract stage: raw documents to articles; decoding warnings go to the report."""
    for document in documents:
        if isinstance(document, Skipped):
            yield document
            continue
        report.read += 1
        try:
            result = extract(document, min_text_chars=settings.min_text_chars)
        except Exception as exc:  # a parser bug on one input must not stop the batch
            result = Skipped(document.origin, f"extraction failed: {type(exc).__name__}: {exc}")
        report.warnings.extend(Skipped(document.origin, w) for w in document.warnings)
        yield result


def fetch_policy(settings: Settings, allow_networks: Iterable[str] = ()) -> FetchPolicy:
    """The fetch policy the settings describe, with extra networks allowed (``ValueError`` names a
    network that does not parse)."""
    return FetchPolicy(
        max_bytes=settings.max_file_bytes,
        total_timeout=settings.fetch_timeout,
        per_host_delay=settings.per_host_delay,
        per_host_concurrency=settings.per_host_concurrency,
        allow_networks=parse_networks([*settings.allow_networks, *allow_networks]),
    )


async def identify_source(
    url: str, policy: FetchPolicy, transport: httpx.AsyncBaseTransport | None = None
) -> tuple[str, SourceKind]:
    """The URL to follow for ``url`` and its kind: a site announcing a feed means its feed.
    Raises :class:`~newsfold.ingest.fetch.FetchError` when the URL cannot be read or is none of them."""
    async with Fetcher(policy, transport) as fetcher:
        kind, feed_url = detect_source(await fetcher.get(url))
    return (feed_url, SourceKind.FEED) if feed_url else (url, kind)


class Engine:
    """The running engine: the store plus the in-memory indexes rebuilt from it."""

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings or Settings()
        self.copies = CopyDetector(
            near_duplicate_threshold=self.settings.near_duplicate_threshold,
            num_perm=self.settings.minhash_permutations,
        )
        self.stories = StoryClusterer(
            threshold=self.settings.story_threshold, window_hours=self.settings.story_window_hours
        )
        stored = store.iter_articles()
        while chunk := list(islice(stored, self.settings.batch_size)):
            for (article, story_id), fp in zip(
                chunk, self.copies.fingerprints([article for article, _ in chunk]), strict=True
            ):
                self.copies.add(article, fp)
                if story_id is not None:
                    self.stories.restore(article, story_id)
        for link in store.iter_copy_links():
            self.copies.restore_link(link)
            self.stories.restore_link(link)
        for merge in store.iter_story_merges():
            self.stories.restore_merge(merge)
        for split in store.iter_story_splits():
            self.stories.restore_split(split)

    def ingest_paths(
        self, paths: Iterable[Path], *, on_file: Callable[[Path], None] | None = None
    ) -> IngestReport:
        """Ingest files and folders; returns the report (bad files are in ``report.skipped``)."""
        files, skipped = collect_files(paths)
        return self.ingest_files(files, skipped=skipped, on_file=on_file)

    def ingest_files(
        self,
        files: list[Path],
        *,
        skipped: Iterable[Skipped] = (),
        on_file: Callable[[Path], None] | None = None,
    ) -> IngestReport:
        """Ingest files already listed by :func:`collect_files` (a caller sizing a progress bar has them)."""
        report = IngestReport(files=len(files), skipped=list(skipped))
        self.ingest_documents(read_files(files, self.settings, on_file), report)
        return report

    def ingest_documents(
        self, documents: Iterable[RawDocument | Skipped], report: IngestReport | None = None
    ) -> IngestReport:
        """Run raw documents through extract, copies and stories, saving a chunk per transaction."""
        report = report or IngestReport()
        stream = extract_stage(documents, self.settings, report)
        while chunk := list(islice(stream, self.settings.batch_size)):
            articles = []
            for item in chunk:
                if isinstance(item, Skipped):
                    report.skipped.append(item)
                else:
                    articles.append(item)
            self._process_chunk(articles, report)
        return report

    def fetch_sources(
        self,
        sources: Iterable[Source],
        policy: FetchPolicy,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        now: datetime | None = None,
        max_items: int | None = None,
        on_source: Callable[[SourcePass], None] | None = None,
    ) -> FetchReport:
        """One pass over ``sources``: fetch what is new, ingest it, save each source's state.

        Sources are fetched concurrently (the policy's per-host limits hold across all of them);
        each one's articles are ingested as soon as its pass ends, in a worker thread, one source
        at a time, then the items it brought are remembered and its state saved, in that order.
        """
        report = FetchReport()
        per_pass = self.settings.max_items_per_pass if max_items is None else max_items

        async def run() -> None:
            async with Fetcher(policy, transport) as fetcher:
                tasks = await poll_all(sources, fetcher, self.store.seen_items, now=now, max_items=per_pass)
                for finished in asyncio.as_completed(tasks):
                    source_pass = await finished
                    await asyncio.to_thread(self._save_pass, source_pass, report)
                    if on_source is not None:
                        on_source(source_pass)

        asyncio.run(run())
        return report

    def _save_pass(self, source_pass: SourcePass, report: FetchReport) -> None:
        before = report.ingest.new
        self.ingest_documents(source_pass.documents, report.ingest)
        report.ingest.skipped.extend(source_pass.skipped)
        source = source_pass.source
        source.articles += report.ingest.new - before
        if source.id is not None:
            self.store.remember_items(source.id, source_pass.items, source.last_fetched or datetime.now(UTC))
            self.store.update_source(source)
        report.sources.append(source_pass)

    def _process_chunk(self, articles: list[Article], report: IngestReport) -> None:
        stored = self.store.text_hashes(a.id for a in articles)
        articles.sort(key=lambda a: (a.published is None, a.published or datetime.max.replace(tzinfo=UTC)))
        batch = Batch()
        pending: dict[str, Article] = {}
        # fingerprinted as one batch (far cheaper), except what the store already has unchanged
        changed = [i for i, a in enumerate(articles) if stored.get(a.id) != a.text_hash]
        fingerprints = dict(
            zip(changed, self.copies.fingerprints([articles[i] for i in changed]), strict=True)
        )
        for position, article in enumerate(articles):
            known = pending[article.id].text_hash if article.id in pending else stored.get(article.id)
            if known == article.text_hash:
                report.unchanged += 1
                continue
            if known is not None:  # the same URL (or file) with edited text
                self._revise(article.id, article, pending, batch, report)
                continue
            fp, found = self.copies.match(article, fingerprints.get(position))
            same = self._same_article_of_same_outlet(article, found, pending)
            if same is not None:
                self._revise(same, replace(article, id=same), pending, batch, report)
                continue
            links = self.copies.accept(article, fp, found)
            assignment = self.stories.assign(article, links)
            batch.articles.append((article, assignment))
            pending[article.id] = article
            batch.links.extend(links)
            report.new += 1
            # a link may point either way (the newcomer can be the original of an earlier copy)
            if any(link.kind is CopyKind.DUPLICATE for link in links):
                report.duplicates += 1
            elif links:
                report.copies += 1
            report.stories_touched.add(assignment.story_id)
            report.stories_opened += assignment.opened
        batch.links.extend(self.copies.take_reoriented())
        for move in self.stories.refine():
            batch.moves.append(move)
            report.stories_touched.add(move.to_story)
        batch.splits.extend(self.stories.take_splits())
        for merge in self.stories.take_merges():
            batch.merges.append(merge)
            report.stories_merged += 1
            if merge.merged in report.stories_touched:
                report.stories_touched.discard(merge.merged)
                report.stories_touched.add(merge.kept)
        self.store.save(batch)

    def _revise(
        self,
        article_id: str,
        update: Article,
        pending: dict[str, Article],
        batch: Batch,
        report: IngestReport,
    ) -> None:
        """Record ``update`` as a version of the article ``article_id``: the newer one stays current."""
        current = pending.get(article_id) or self.store.article(article_id)
        if current is None:  # cannot happen unless the store changed under us; keep the update
            current = update
        if current.text_hash == update.text_hash:
            report.unchanged += 1
            return
        newer = update.published is None or current.published is None or update.published >= current.published
        if newer:
            batch.revisions.append(Revision(current=update, previous=current))
            pending[article_id] = update
            self.copies.add(update)
        else:
            batch.revisions.append(Revision(current=current, previous=update))
        report.revised += 1

    def _same_article_of_same_outlet(
        self, article: Article, found: list[CopyLink], pending: dict[str, Article]
    ) -> str | None:
        """The earlier article this one is an update of: same outlet, (nearly) the same text.

        ``found`` are :meth:`CopyDetector.match` links, so each points from ``article``.
        """
        if not article.outlet:
            return None
        for link in found:
            if link.kind in (CopyKind.DUPLICATE, CopyKind.NEAR_DUPLICATE):
                other = pending.get(link.original_id) or self.store.article(link.original_id)
                if other is not None and other.outlet == article.outlet:
                    return other.id
        return None
