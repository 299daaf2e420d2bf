"""The store as the reader's pages use it: stories with their syntheses, the front page, personal
feeds, related stories and the outlets named in the store, each cached for as long as the store
is unchanged.

A story's synthesis (the parse is the cost: ~60 ms per article) is computed once per version of
the story (its id, activity time and article count) and kept in a bounded in-memory cache.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from datetime import UTC, date, datetime, time
from typing import Any

from newsfold.config import Settings
from newsfold.export import iso, story_json, summary_json
from newsfold.model import (
    Account,
    FollowKind,
    FollowMode,
    RawDocument,
    Skipped,
    StoryMember,
    StoryRead,
    StorySummary,
)
from newsfold.pipeline import Engine, IngestReport
from newsfold.rank import FRONT_PAGE_CANDIDATES, FeedStory, RankedStory, personal_feed, rank_stories
from newsfold.store import open_store
from newsfold.synthesis import ACCOUNT_SENTENCES, synthesize
from newsfold.web.personal import SinceLastRead, since_last_read
from newsfold.web.related import PROFILE_ARTICLES, RelatedIndex, story_terms

FRONT_PAGE_STORIES = 30
FEED_SEARCH_HITS = 200
"""Articles a followed entity or keyword brings at most (their stories join the feed)."""
SYNTHESIS_CACHE = 256
RELATED_ENTITIES = 10
"""A story's most mentioned entities that count towards its related stories."""


class StoryView:
    """A story as the pages need it: its summary and its document (the ``story --json`` shape,
    which already holds members, lineage, independent sources and the synthesis)."""

    def __init__(self, summary: StorySummary, document: dict[str, Any]) -> None:
        self.summary = summary
        self.document = document
        self.members: list[dict[str, Any]] = document["members"]
        self.by_id = {m["article_id"]: m for m in self.members}
        self.independent_sources: int = document["independent_sources"]

    @property
    def lead(self) -> str:
        account = self.document.get("account") or []
        return str(account[0]["text"]) if account else ""

    @property
    def dated(self) -> bool:
        """Whether any member carries a publication date (else the story's times are ingest times)."""
        return any(m["published"] for m in self.members)


class Reader:
    """The store plus the caches, shared by every request of one app."""

    def __init__(self, database_url: str, settings: Settings | None = None) -> None:
        self.store = open_store(database_url)
        self.settings = settings or Settings(database_url=database_url)
        self._lock = threading.Lock()
        self._ingest_lock = threading.Lock()
        self._engine: Engine | None = None
        self._recent: tuple[tuple[int, str], list[tuple[StorySummary, list[StoryMember]]]] | None = None
        self._cache: OrderedDict[tuple[str, str, int], dict[str, Any]] = OrderedDict()
        self._top: tuple[tuple[int, str, int], list[tuple[RankedStory, StoryView | None]]] | None = None
        self._related: tuple[tuple[int, str], RelatedIndex] | None = None
        self._outlets: tuple[int, set[str]] = (0, set())

    def close(self) -> None:
        self.store.close()

    def story(self, story_id: str) -> StoryView | None:
        """The story's view; its document is synthesised once per version of the story."""
        store = self.store
        found = store.story(story_id)
        if found is None:
            return None
        summary, members = found
        key = (summary.id, summary.last_activity.isoformat(), summary.article_count)
        with self._lock:
            document = self._cache.get(key)
            if document is not None:
                self._cache.move_to_end(key)
        if document is None:
            links = store.copy_links(m.article_id for m in members)
            articles = store.articles(m.article_id for m in members)
            folded = synthesize(summary.id, articles, links, account_sentences=ACCOUNT_SENTENCES)
            document = story_json(
                summary, members, links, store.merged_into(summary.id), store.splits_of(summary.id), folded
            )
            with self._lock:
                self._cache[key] = document
                while len(self._cache) > SYNTHESIS_CACHE:
                    self._cache.popitem(last=False)
        return StoryView(summary, document)

    def _version(self) -> tuple[int, str]:
        """Changes whenever articles arrive or stories move or merge (count, newest activity)."""
        newest = self.store.stories(limit=1)
        return self.store.article_count(), newest[0].last_activity.isoformat() if newest else ""

    def recent(self) -> list[tuple[StorySummary, list[StoryMember]]]:
        """The recently active stories that front page and personal feeds rank, reloaded only
        when the store has changed, so a busy page costs two small queries per request."""
        version = self._version()
        with self._lock:
            if self._recent is not None and self._recent[0] == version:
                return self._recent[1]
        found = self.store.recent_stories(FRONT_PAGE_CANDIDATES)
        with self._lock:
            self._recent = (version, found)
        return found

    def ranked(self, limit: int = FRONT_PAGE_STORIES) -> list[RankedStory]:
        """The front page's order, without the syntheses (what the JSON listing needs)."""
        return rank_stories(self.recent())[:limit]

    def top(self, limit: int = FRONT_PAGE_STORIES) -> list[tuple[RankedStory, StoryView | None]]:
        """The front page: ranked stories with their views, recomputed only when the store has changed."""
        version = (*self._version(), limit)
        with self._lock:
            if self._top is not None and self._top[0] == version:
                return self._top[1]
        page = [(r, self.story(r.story.id)) for r in self.ranked(limit)]
        with self._lock:
            self._top = (version, page)
        return page

    def related(self, view: StoryView, limit: int = 5) -> list[StorySummary]:
        """Stories about the same thing as ``view`` (shared content words and entity names), from
        an index rebuilt only when the store has changed (:mod:`newsfold.web.related`)."""
        version = self._version()
        with self._lock:
            cached = self._related
        if cached is None or cached[0] != version:
            index = RelatedIndex.build(self.recent(), self.store.articles, cached[1] if cached else None)
            with self._lock:
                self._related = (version, index)
        else:
            index = cached[1]
        own = None
        if view.summary.id not in index.terms:  # an older story: its profile is read for this page
            own = story_terms(self.store.articles(m["article_id"] for m in view.members[:PROFILE_ARTICLES]))
        names = [str(e["name"]) for e in view.document.get("entities", [])[:RELATED_ENTITIES]]
        return [summary for _, summary in index.related(view.summary.id, own, names, limit)]

    def outlets(self) -> list[str]:
        """Every outlet's listed name in the store, sorted (an indexed read of only the articles
        stored since the last call: nothing, mostly)."""
        with self._lock:
            last = self._outlets[0]
        last, new = self.store.outlet_names(last)
        with self._lock:
            names = self._outlets[1] | new
            self._outlets = (max(last, self._outlets[0]), names)
        return sorted(names, key=str.casefold)

    def search(self, q: str, source: str | None, since: date | None, entity: str | None) -> dict[str, Any]:
        """A search as ``/api/search`` answers it: the matching articles (each with its snippet,
        as text with marks and as pieces) and the stories they belong to, most matches first."""
        store = self.store
        hits = store.search(
            q,
            outlet=source or None,
            since=datetime.combine(since, time.min, UTC) if since else None,
            entity=entity or None,
        )
        counts = Counter(h.story_id for h in hits if h.story_id)
        stories = [
            {**summary_json(found[0]), "matching_articles": n}
            for story_id, n in counts.most_common()
            if (found := store.story(story_id)) is not None
        ]
        return {
            "query": q,
            "filters": {"source": source, "since": since.isoformat() if since else None, "entity": entity},
            "stories": stories,
            "articles": [
                {
                    "article_id": h.article_id,
                    "title": h.title,
                    "outlet": h.outlet,
                    "published": iso(h.published),
                    "story_id": h.story_id,
                    "snippet": h.snippet,
                    "snippet_parts": [{"text": text, "match": match} for text, match in h.parts],
                }
                for h in hits
            ],
        }

    def personal(self, account_id: int, limit: int = FRONT_PAGE_STORIES) -> list[FeedStory]:
        """A reader's feed: what their follows match among recent stories (and followed stories
        or search matches older than those), ranked like the front page."""
        store = self.store
        follows = store.follows(account_id)
        if not any(f.mode is FollowMode.FOLLOW for f in follows):
            return []
        found: dict[tuple[FollowKind, str], set[str]] = {}
        for rule in follows:
            if rule.kind is FollowKind.STORY:
                found[(rule.kind, rule.value)] = {store.resolve_story(rule.value)}
            elif rule.kind is FollowKind.ENTITY:
                hits = store.search("", entity=rule.value, limit=FEED_SEARCH_HITS)
                found[(rule.kind, rule.value)] = {h.story_id for h in hits if h.story_id}
            elif rule.kind is FollowKind.KEYWORD:
                hits = store.search(rule.value, limit=FEED_SEARCH_HITS)
                found[(rule.kind, rule.value)] = {h.story_id for h in hits if h.story_id}
        candidates = list(self.recent())
        present = {summary.id for summary, _ in candidates}
        wanted = set().union(
            *(
                found[(f.kind, f.value)]
                for f in follows
                if f.mode is FollowMode.FOLLOW and (f.kind, f.value) in found
            )
        )
        for story_id in sorted(wanted - present):
            older = store.story(story_id)
            if older is not None:
                candidates.append(older)
        reads: dict[str, StoryRead] = {}
        for read in store.last_reads(
            account_id
        ).values():  # a read of a story since merged counts for the merge
            live = store.resolve_story(read.story_id)
            if live not in reads or reads[live].read_at < read.read_at:
                reads[live] = read
        return personal_feed(candidates, follows, found, reads)[:limit]

    def visit(self, account: Account, view: StoryView, *, mark: bool = True) -> SinceLastRead | None:
        """What is new in the story for this reader since their last visit (None on a first visit),
        and, with ``mark``, remember that they have now seen all of it."""
        store = self.store
        read = store.last_read(account.id, view.summary.id)
        since = since_last_read(view.document, read) if read else None
        if mark and (
            read is None or (since is not None and since.anything) or read.story_id != view.summary.id
        ):
            store.mark_read(
                account.id,
                view.summary.id,
                (m["article_id"] for m in view.members),
                (m["outlet"] for m in view.members),
                datetime.now(UTC),
            )
        return since

    def ingest(self, documents: list[RawDocument | Skipped]) -> IngestReport:
        """Run documents through the engine (one at a time: the engine's indexes are not shared)."""
        with self._ingest_lock:
            if self._engine is None:
                self._engine = Engine(self.store, self.settings)
            return self._engine.ingest_documents(documents)

    def warm(self, limit: int = FRONT_PAGE_STORIES) -> None:
        """Synthesise the front page's stories ahead of the first reader."""
        self.top(limit)
