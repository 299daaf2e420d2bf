"""The store on SQLAlchemy Core: SQLite by default, any SQLAlchemy URL (PostgreSQL) alike.

Writes happen a batch at a time in one transaction (:meth:`Store.save`), so a process killed
mid-run loses at most the batch in flight and never leaves half an article behind.  SQLite runs in
WAL mode: readers (``newsfold stories``) never block a running ingest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from newsfold.model import (
    AlignedSpan,
    Article,
    ArticleRevision,
    CopyKind,
    CopyLink,
    Neighbour,
    RemovedText,
    StoryAssignment,
    StoryMember,
    StoryMerge,
    StoryMove,
    StorySplit,
    StorySummary,
    source_name,
)
from newsfold.store.readers import ReadersMixin
from newsfold.store.schema import (
    article_revisions,
    articles,
    copy_links,
    migrate,
    stories,
    story_aliases,
    story_splits,
    time_column,
    time_value,
)
from newsfold.store.search import SearchMixin, index_articles
from newsfold.store.sources import SourcesMixin

# members of a story as a reader sees them: by publication, undated last, then in arrival order
_PUBLICATION_ORDER = (articles.c.published.is_(None), articles.c.published, articles.c.seq)
# what a story listing needs of its members (not their text: a front page reads hundreds)
_MEMBER_COLUMNS = (
    articles.c.id,
    articles.c.story_id,
    articles.c.url,
    articles.c.origin,
    articles.c.outlet,
    articles.c.title,
    articles.c.published,
    articles.c.story_score,
    articles.c.story_reason,
    articles.c.story_nearest,
)
_IN_CHUNK = 500  # ids per IN (…) list: well under every database's parameter limit


@dataclass(slots=True, frozen=True)
class Revision:
    """An update of a stored article: ``current`` becomes the article, ``previous`` joins its history.

    Both carry the stored article's id.  A backfilled older version is a revision whose
    ``current`` is the stored text and whose ``previous`` is the one that arrived.
    """

    current: Article
    previous: Article


@dataclass(slots=True)
class Batch:
    """What one transaction writes: new articles with their story assignment, copy links, revisions.

    A link replaces any stored link between the same two articles, whichever way it pointed:
    lineage may turn a link round when more of its copy group arrives.
    """

    articles: list[tuple[Article, StoryAssignment]] = field(default_factory=list)
    links: list[CopyLink] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    moves: list[StoryMove] = field(default_factory=list)
    """Applied after the articles: each moved article changes story (with the move's reason)."""
    merges: list[StoryMerge] = field(default_factory=list)
    """Applied in order after the moves: a merged story's articles move to the kept one."""
    splits: list[StorySplit] = field(default_factory=list)
    """Kept beside the moves that carried them out, so the halves stay apart after a restart."""

    def __len__(self) -> int:
        return len(self.articles)


class Store(SourcesMixin, SearchMixin, ReadersMixin):
    """Articles, copy links and stories, behind a few methods the pipeline and CLI need."""

    def __init__(self, url: str) -> None:
        self.url = url
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = sa.create_engine(_with_driver(url))
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        with self.engine.begin() as connection:
            self.schema_version = migrate(connection)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------------

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        wanted = list(set(ids))
        found: set[str] = set()
        with self.engine.connect() as connection:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                found.update(
                    connection.execute(sa.select(articles.c.id).where(articles.c.id.in_(chunk))).scalars()
                )
        return found

    def text_hashes(self, ids: Iterable[str]) -> dict[str, str]:
        """The current text hash of each stored article among ``ids``."""
        wanted = list(set(ids))
        found: dict[str, str] = {}
        with self.engine.connect() as connection:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                rows = connection.execute(
                    sa.select(articles.c.id, articles.c.text_hash).where(articles.c.id.in_(chunk))
                )
                found.update((row.id, row.text_hash) for row in rows)
        return found

    def save(self, batch: Batch) -> None:
        """Write ``batch`` atomically; articles already stored are left as they are (but revised)."""
        if not (
            batch.articles or batch.links or batch.revisions or batch.moves or batch.merges or batch.splits
        ):
            return
        now = datetime.now(UTC).isoformat()
        with self.engine.begin() as connection:
            present = set(
                connection.execute(
                    sa.select(articles.c.id).where(articles.c.id.in_([a.id for a, _ in batch.articles]))
                ).scalars()
            )
            seq = connection.execute(sa.select(sa.func.coalesce(sa.func.max(articles.c.seq), 0))).scalar_one()
            rows = []
            for article, assignment in batch.articles:
                if article.id in present:
                    continue
                present.add(article.id)
                seq += 1
                rows.append(_article_row(article, assignment, seq, now))
            if rows:
                connection.execute(articles.insert(), rows)
                inserted = {row["id"] for row in rows}
                index_articles(connection, (a for a, _ in batch.articles if a.id in inserted))
            self._save_links(connection, batch.links)
            touched = {a.story_id for _, a in batch.articles}
            touched |= self._save_revisions(connection, batch.revisions, now)
            for move in batch.moves:
                connection.execute(
                    articles.update()
                    .where(articles.c.id == move.article_id)
                    # the nearest members it had were in the story it left
                    .values(
                        story_id=move.to_story,
                        story_score=move.score,
                        story_reason=move.reason,
                        story_nearest=[],
                    )
                )
                touched |= {move.from_story, move.to_story}
            if batch.splits:
                # the latest split of an id wins: a batch never fails on a pair the store already holds
                connection.execute(
                    story_splits.delete().where(
                        story_splits.c.split_off.in_([s.split_off for s in batch.splits])
                    )
                )
                connection.execute(
                    story_splits.insert(),
                    [
                        {
                            "split_off": split.split_off,
                            "kept": split.kept,
                            "ncut": split.ncut,
                            "reason": split.reason,
                            "split_at": now,
                        }
                        for split in batch.splits
                    ],
                )
            touched = self._save_merges(connection, batch.merges, touched, now)
            self._refresh_stories(connection, touched)

    def _save_merges(
        self, connection: Connection, merges: list[StoryMerge], touched: set[str], now: str
    ) -> set[str]:
        """Move merged stories' articles, drop their listing rows, keep their ids as aliases."""
        for merge in merges:
            connection.execute(
                articles.update().where(articles.c.story_id == merge.merged).values(story_id=merge.kept)
            )
            connection.execute(stories.delete().where(stories.c.id == merge.merged))
            # aliases always point at a live story: earlier merges into ``merged`` follow it
            connection.execute(
                story_aliases.update()
                .where(story_aliases.c.merged_into == merge.merged)
                .values(merged_into=merge.kept)
            )
            connection.execute(story_aliases.delete().where(story_aliases.c.story_id == merge.merged))
            connection.execute(
                story_aliases.insert().values(
                    story_id=merge.merged,
                    merged_into=merge.kept,
                    similarity=merge.similarity,
                    reason=merge.reason,
                    merged_at=now,
                )
            )
            touched = {merge.kept if story == merge.merged else story for story in touched} | {merge.kept}
        return touched

    def _save_links(self, connection: Connection, links: list[CopyLink]) -> None:
        latest = {link.pair: link for link in links}  # the last word on a pair wins
        for link in latest.values():
            a, b = link.article_id, link.original_id
            connection.execute(
                copy_links.delete().where(
                    sa.or_(
                        sa.and_(copy_links.c.article_id == a, copy_links.c.original_id == b),
                        sa.and_(copy_links.c.article_id == b, copy_links.c.original_id == a),
                    )
                )
            )
        if latest:
            connection.execute(copy_links.insert(), [_link_row(link) for link in latest.values()])

    def _save_revisions(self, connection: Connection, revisions: list[Revision], now: str) -> set[str]:
        """Move each previous version to the history and put the current one in place."""
        touched: set[str] = set()
        for revision in revisions:
            current, previous = revision.current, revision.previous
            number = connection.execute(
                sa.select(sa.func.coalesce(sa.func.max(article_revisions.c.revision), 0)).where(
                    article_revisions.c.article_id == previous.id
                )
            ).scalar_one()
            connection.execute(
                article_revisions.insert().values(
                    article_id=previous.id,
                    revision=number + 1,
                    url=previous.url,
                    origin=previous.origin,
                    title=previous.title,
                    published=time_column(previous.published),
                    paragraphs=previous.paragraphs,
                    text_hash=previous.text_hash,
                    replaced_at=now,
                )
            )
            updated = connection.execute(
                articles.update()
                .where(articles.c.id == current.id)
                .values(
                    url=current.url,
                    origin=current.origin,
                    title=current.title,
                    authors=current.authors,
                    published=time_column(current.published),
                    dateline=current.dateline,
                    paragraphs=current.paragraphs,
                    removed=[{"text": r.text, "reason": r.reason} for r in current.removed],
                    text_hash=current.text_hash,
                )
                .returning(articles.c.story_id)
            ).scalar_one_or_none()
            if updated is not None:
                touched.add(updated)
        index_articles(connection, (r.current for r in revisions))
        return touched

    def _refresh_stories(self, connection: Connection, story_ids: set[str]) -> None:
        """Recompute the listing row of each touched story from its members."""
        for story_id in story_ids:
            members = connection.execute(
                sa.select(
                    articles.c.title,
                    articles.c.outlet,
                    articles.c.id,
                    articles.c.published,
                    articles.c.ingested_at,
                )
                .where(articles.c.story_id == story_id)
                .order_by(*_PUBLICATION_ORDER)
            ).all()
            if not members:
                continue
            titled = [m for m in members if not m.title.endswith("…") and m.title != "(untitled)"] or members
            outlets = {m.outlet or f"?{m.id}" for m in members}
            published = [m.published for m in members if m.published]
            # newest publication; ingest time only stands in when no member has a date
            activity = max(published) if published else max(m.ingested_at for m in members)
            row = {
                "title": titled[0].title,
                "article_count": len(members),
                "outlet_count": len(outlets),
                "first_published": min(published) if published else None,
                "last_activity": activity,
            }
            updated = connection.execute(stories.update().where(stories.c.id == story_id).values(**row))
            if updated.rowcount == 0:
                connection.execute(stories.insert().values(id=story_id, **row))

    # -- reading -----------------------------------------------------------------------------

    def article_count(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one())

    def iter_articles(self) -> Iterator[tuple[Article, str | None]]:
        """Every article in ingest order with its story id: what in-memory indexes are rebuilt from."""
        with self.engine.connect() as connection:
            result = connection.execution_options(yield_per=500).execute(
                sa.select(articles).order_by(articles.c.seq)
            )
            for row in result:
                yield _article_from_row(row._mapping), row.story_id

    def article(self, article_id: str) -> Article | None:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(articles).where(articles.c.id == article_id)).first()
        return _article_from_row(row._mapping) if row else None

    def articles(self, article_ids: Iterable[str]) -> list[Article]:
        """The stored articles among ``article_ids``, in the order given, read in one query."""
        wanted = list(article_ids)
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(articles).where(articles.c.id.in_(wanted))).all()
        found = {row.id: _article_from_row(row._mapping) for row in rows}
        return [found[i] for i in wanted if i in found]

    def copy_links(self, article_ids: Iterable[str]) -> list[CopyLink]:
        """The links touching ``article_ids``, in the order their copies, then originals, came in.

        Not in id order: ids follow where files lay, and whatever reads equally strong links
        first (a lineage tree, a listing) must read them alike wherever the files were."""
        ids = list(article_ids)
        copy, original = articles.alias("copy"), articles.alias("original")
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(copy_links)
                .outerjoin(copy, copy.c.id == copy_links.c.article_id)
                .outerjoin(original, original.c.id == copy_links.c.original_id)
                .where(sa.or_(copy_links.c.article_id.in_(ids), copy_links.c.original_id.in_(ids)))
                .order_by(copy.c.seq, original.c.seq)
            ).all()
        return [_link_from_row(r._mapping) for r in rows]

    def iter_copy_links(self) -> Iterator[CopyLink]:
        """Every stored copy link: what the copy detector's groups are rebuilt from."""
        with self.engine.connect() as connection:
            result = connection.execution_options(yield_per=1000).execute(sa.select(copy_links))
            for row in result:
                yield _link_from_row(row._mapping)

    def iter_story_merges(self) -> Iterator[StoryMerge]:
        """Every merged story id with the live story it resolves to (replayed at start-up, so a
        new story never takes an id that already resolves elsewhere)."""
        with self.engine.connect() as connection:
            for row in connection.execute(
                sa.select(story_aliases).order_by(story_aliases.c.merged_at, story_aliases.c.story_id)
            ):
                yield StoryMerge(row.merged_into, row.story_id, row.similarity, row.reason)

    def iter_story_splits(self) -> Iterator[StorySplit]:
        """Every split a second look made, oldest first (replayed at start-up: the halves stay apart)."""
        with self.engine.connect() as connection:
            for row in connection.execute(
                sa.select(story_splits).order_by(story_splits.c.split_at, story_splits.c.split_off)
            ):
                yield StorySplit(row.kept, row.split_off, row.ncut, row.reason)

    def revisions(self, article_id: str) -> list[ArticleRevision]:
        """Earlier versions of an article, oldest first (empty when it was never updated)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(article_revisions)
                .where(article_revisions.c.article_id == article_id)
                .order_by(article_revisions.c.revision)
            ).all()
        return [
            ArticleRevision(
                article_id=r.article_id,
                revision=r.revision,
                title=r.title,
                paragraphs=list(r.paragraphs),
                url=r.url,
                origin=r.origin,
                published=time_value(r.published),
                text_hash=r.text_hash,
                replaced_at=datetime.fromisoformat(r.replaced_at),
            )
            for r in rows
        ]

    def story_article_ids(self, story_ids: list[str]) -> dict[str, list[str]]:
        """Member article ids of each story, in publication order."""
        found: dict[str, list[str]] = {story_id: [] for story_id in story_ids}
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(articles.c.story_id, articles.c.id)
                .where(articles.c.story_id.in_(story_ids))
                .order_by(*_PUBLICATION_ORDER)
            )
            for story_id, article_id in rows:
                found[story_id].append(article_id)
        return found

    def stories(self, limit: int | None = None, offset: int = 0) -> list[StorySummary]:
        """Stories, newest activity first."""
        query = sa.select(stories).order_by(stories.c.last_activity.desc(), stories.c.id).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as connection:
            return [_summary(row._mapping) for row in connection.execute(query)]

    def recent_stories(self, limit: int) -> list[tuple[StorySummary, list[StoryMember]]]:
        """The ``limit`` most recently active stories with their members (what a front page ranks),
        read in a few queries whatever ``limit`` is."""
        heads = self.stories(limit=limit)
        rows_of: dict[str, list[Any]] = {head.id: [] for head in heads}
        ids = list(rows_of)
        with self.engine.connect() as connection:
            for start in range(0, len(ids), _IN_CHUNK):
                for row in connection.execute(
                    sa.select(*_MEMBER_COLUMNS)
                    .where(articles.c.story_id.in_(ids[start : start + _IN_CHUNK]))
                    .order_by(*_PUBLICATION_ORDER)
                ):
                    rows_of[row.story_id].append(row)
        story_of = {row.id: story_id for story_id, rows in rows_of.items() for row in rows}
        links_of: dict[str, list[CopyLink]] = {story_id: [] for story_id in rows_of}
        member_ids = list(story_of)
        seen: set[tuple[str, str]] = set()  # a link across two chunks comes back with each
        for start in range(0, len(member_ids), _IN_CHUNK):
            for link in self.copy_links(member_ids[start : start + _IN_CHUNK]):
                if (link.article_id, link.original_id) in seen:
                    continue
                seen.add((link.article_id, link.original_id))
                for story_id in {
                    story_of[end] for end in (link.article_id, link.original_id) if end in story_of
                }:
                    links_of[story_id].append(link)
        return [(head, _members(rows_of[head.id], links_of[head.id])) for head in heads]

    def resolve_story(self, story_id: str) -> str:
        """The live story ``story_id`` stands for: itself, or the story it was merged into."""
        with self.engine.connect() as connection:
            merged_into = connection.execute(
                sa.select(story_aliases.c.merged_into).where(story_aliases.c.story_id == story_id)
            ).scalar()
        return merged_into or story_id

    def merged_into(self, story_id: str) -> list[str]:
        """Ids of the stories merged into ``story_id`` (they resolve to it), oldest merge first."""
        with self.engine.connect() as connection:
            return list(
                connection.execute(
                    sa.select(story_aliases.c.story_id)
                    .where(story_aliases.c.merged_into == story_id)
                    .order_by(story_aliases.c.merged_at, story_aliases.c.story_id)
                ).scalars()
            )

    def splits_of(self, story_id: str) -> list[tuple[str, StorySplit]]:
        """The splits that parted ``story_id`` (or a story merged into it since) from another
        story, oldest first, each with the live id of the story holding the other event."""
        ids = [story_id, *self.merged_into(story_id)]
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(story_splits)
                .where(sa.or_(story_splits.c.kept.in_(ids), story_splits.c.split_off.in_(ids)))
                .order_by(story_splits.c.split_at, story_splits.c.split_off)
            ).all()
        found = []
        for row in rows:
            split = StorySplit(row.kept, row.split_off, row.ncut, row.reason)
            other = self.resolve_story(split.split_off if split.kept in ids else split.kept)
            if other != story_id:  # both halves merged back (before splits were kept)
                found.append((other, split))
        return found

    def story_summaries(self, story_ids: Iterable[str]) -> list[StorySummary]:
        """The listing lines of the live stories among ``story_ids``, in the order given (a
        page's links to other stories: no members read)."""
        wanted = list(story_ids)
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(stories).where(stories.c.id.in_(wanted))).all()
        found = {row.id: _summary(row._mapping) for row in rows}
        return [found[story_id] for story_id in wanted if story_id in found]

    def story(self, story_id: str) -> tuple[StorySummary, list[StoryMember]] | None:
        """A story with its members in publication order, each with its relation to the others.

        A merged story's id gives the story it was merged into (the summary carries that id).
        """
        story_id = self.resolve_story(story_id)
        with self.engine.connect() as connection:
            head = connection.execute(sa.select(stories).where(stories.c.id == story_id)).first()
            if head is None:
                return None
            rows = connection.execute(
                sa.select(*_MEMBER_COLUMNS)
                .where(articles.c.story_id == story_id)
                .order_by(*_PUBLICATION_ORDER)
            ).all()
        return _summary(head._mapping), _members(list(rows), self.copy_links(r.id for r in rows))


def _members(rows: list[Any], links: list[CopyLink]) -> list[StoryMember]:
    """A story's member rows (:data:`_MEMBER_COLUMNS`) as members, each with its relation to the others."""
    # a copy linked to several members shows the strongest link: verbatim kinds first, then
    # to an original that copies no one (as its lineage tree hangs it: nearest the root), then
    # score, then the original published first (not the smaller id: ids follow where files lay)
    position = {row.id: n for n, row in enumerate(rows)}
    copying = {link.article_id for link in links}
    copies_of: dict[str, CopyLink] = {}
    for strongest in sorted(
        links,
        key=lambda k: (
            k.kind is not CopyKind.REWRITE,
            k.original_id not in copying,
            k.score,
            -position.get(k.original_id, len(rows)),
        ),
    ):
        copies_of[strongest.article_id] = strongest
    originals = {link.original_id for link in links}
    members = []
    for row in rows:
        link = copies_of.get(row.id)
        if link is not None:
            relation = f"{link.kind.value} of {link.original_id}"
        elif row.id in originals:
            relation = "original"
        else:
            relation = "independent"
        members.append(
            StoryMember(
                article_id=row.id,
                outlet=source_name(row.outlet, row.url, row.origin),
                title=row.title,
                published=time_value(row.published),
                relation=relation,
                score=row.story_score or 0.0,
                reason=row.story_reason or "",
                nearest=tuple(Neighbour(n[0], n[1]) for n in row.story_nearest or ()),
            )
        )
    return members


def _with_driver(url: str) -> str | sa.URL:
    """``url`` with the PostgreSQL driver newsfold installs (psycopg 3), when it names none:
    SQLAlchemy's default for ``postgresql://`` is psycopg2, which the ``postgres`` extra does not bring."""
    parsed = sa.make_url(url)
    return parsed.set(drivername="postgresql+psycopg") if parsed.drivername == "postgresql" else url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _article_row(article: Article, assignment: StoryAssignment, seq: int, now: str) -> dict[str, Any]:
    return {
        "id": article.id,
        "seq": seq,
        "url": article.url,
        "origin": article.origin,
        "outlet": article.outlet,
        "title": article.title,
        "authors": article.authors,
        "published": time_column(article.published),
        "dateline": article.dateline,
        "language": article.language,
        "paragraphs": article.paragraphs,
        "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
        "text_hash": article.text_hash,
        "ingested_at": now,
        "story_id": assignment.story_id,
        "story_score": assignment.score,
        "story_reason": assignment.reason,
        "story_nearest": [[n.article_id, n.score] for n in assignment.nearest],
    }


def _link_row(link: CopyLink) -> dict[str, Any]:
    return {
        "article_id": link.article_id,
        "original_id": link.original_id,
        "kind": link.kind.value,
        "score": link.score,
        "evidence": {
            "copy_share": link.copy_share,
            "original_share": link.original_share,
            "spans": [
                {
                    "copy": span.copy_text,
                    "original": span.original_text,
                    "similarity": span.similarity,
                    "verbatim": span.verbatim,
                }
                for span in link.spans
            ],
        },
    }


def _link_from_row(row: Any) -> CopyLink:
    evidence = row["evidence"]
    if isinstance(evidence, list):  # schema 1 stored the shared sentences alone
        evidence = {
            "spans": [{"copy": s, "original": s, "similarity": 1.0, "verbatim": True} for s in evidence]
        }
    return CopyLink(
        article_id=row["article_id"],
        original_id=row["original_id"],
        kind=CopyKind(row["kind"]),
        score=row["score"],
        spans=tuple(
            AlignedSpan(s["copy"], s["original"], s["similarity"], s["verbatim"]) for s in evidence["spans"]
        ),
        copy_share=evidence.get("copy_share", 0.0),
        original_share=evidence.get("original_share", 0.0),
    )


def _article_from_row(row: Any) -> Article:
    return Article(
        id=row["id"],
        origin=row["origin"],
        title=row["title"],
        paragraphs=list(row["paragraphs"]),
        url=row["url"],
        outlet=row["outlet"],
        authors=list(row["authors"]),
        published=time_value(row["published"]),
        dateline=row["dateline"],
        language=row["language"],
        removed=[RemovedText(r["text"], r["reason"]) for r in row["removed"]],
        text_hash=row["text_hash"],
    )


def _summary(row: Any) -> StorySummary:
    activity = time_value(row["last_activity"])
    assert activity is not None
    return StorySummary(
        id=row["id"],
        title=row["title"],
        article_count=row["article_count"],
        outlet_count=row["outlet_count"],
        first_published=time_value(row["first_published"]),
        last_activity=activity,
    )
