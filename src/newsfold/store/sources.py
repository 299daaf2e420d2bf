"""Live sources in the store: what is followed, its fetch state, and the items already seen.

A mixin of :class:`~newsfold.store.Store`: one store, one engine, one place to open.  State is
written after each source's pass, once its articles are saved, so a process killed in between
fetches those items again next time (ingest is idempotent by URL) rather than losing them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from newsfold.model import Source, SourceKind
from newsfold.store.schema import source_items, sources, time_column, time_value


class SourceExists(ValueError):
    """Adding a URL that is already followed."""


class SourcesMixin:
    engine: Engine

    def add_source(self, source: Source) -> Source:
        """Store a new source and return it with its id; :class:`SourceExists` if its URL is followed."""
        row = _source_row(source)
        row.pop("id")
        row["added_at"] = row["added_at"] or time_column(datetime.now(UTC))
        try:
            with self.engine.begin() as connection:
                key = connection.execute(sources.insert().values(**row)).inserted_primary_key
        except IntegrityError:
            raise SourceExists(f"{source.url} is already followed") from None
        assert key is not None
        found = self.source(int(key[0]))
        assert found is not None
        return found

    def sources(self) -> list[Source]:
        with self.engine.connect() as connection:
            return [
                _source(r._mapping) for r in connection.execute(sa.select(sources).order_by(sources.c.id))
            ]

    def source(self, ref: int | str) -> Source | None:
        """A source by id (a number, or digits) or by URL."""
        column = sources.c.id if isinstance(ref, int) or ref.isdigit() else sources.c.url
        value: Any = int(ref) if column is sources.c.id else ref
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(sources).where(column == value)).first()
        return _source(row._mapping) if row else None

    def due_sources(self, now: datetime) -> list[Source]:
        """Sources whose next pass is due (never fetched ones first)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(sources)
                .where(sa.or_(sources.c.next_due.is_(None), sources.c.next_due <= time_column(now)))
                .order_by(sources.c.next_due.is_not(None), sources.c.next_due, sources.c.id)
            )
            return [_source(r._mapping) for r in rows]

    def remove_source(self, source_id: int) -> bool:
        """Stop following a source (its articles stay: they are the news it brought)."""
        with self.engine.begin() as connection:
            connection.execute(source_items.delete().where(source_items.c.source_id == source_id))
            return bool(connection.execute(sources.delete().where(sources.c.id == source_id)).rowcount)

    def update_source(self, source: Source) -> None:
        """Save a source's fetch state and schedule after a pass."""
        row = _source_row(source)
        source_id = row.pop("id")
        row.pop("added_at")
        with self.engine.begin() as connection:
            connection.execute(sources.update().where(sources.c.id == source_id).values(**row))

    def seen_items(self, source_id: int, urls: Iterable[str]) -> dict[str, str]:
        """The entry hash recorded for each of ``urls`` this source has brought in before."""
        wanted = list(set(urls))
        found: dict[str, str] = {}
        with self.engine.connect() as connection:
            for start in range(0, len(wanted), 500):
                rows = connection.execute(
                    sa.select(source_items.c.url, source_items.c.entry_hash).where(
                        source_items.c.source_id == source_id,
                        source_items.c.url.in_(wanted[start : start + 500]),
                    )
                )
                found.update((r.url, r.entry_hash) for r in rows)
        return found

    def remember_items(self, source_id: int, items: Mapping[str, str], now: datetime) -> None:
        """Record items (url → entry hash) as brought in, replacing older hashes."""
        if not items:
            return
        with self.engine.begin() as connection:
            connection.execute(
                source_items.delete().where(
                    source_items.c.source_id == source_id, source_items.c.url.in_(list(items))
                )
            )
            connection.execute(
                source_items.insert(),
                [
                    {
                        "source_id": source_id,
                        "url": url,
                        "entry_hash": entry_hash,
                        "seen_at": time_column(now),
                    }
                    for url, entry_hash in items.items()
                ],
            )


_TIMES = ("next_due", "last_fetched", "last_success", "added_at")


def _source_row(source: Source) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": source.id,
        "url": source.url,
        "kind": source.kind.value,
        "title": source.title,
        "site_url": source.site_url,
        "category": source.category,
        "interval": source.interval,
        "etag": source.etag,
        "last_modified": source.last_modified,
        "error_count": source.error_count,
        "last_error": source.last_error,
        "last_status": source.last_status,
        "articles": source.articles,
    }
    for name in _TIMES:
        row[name] = time_column(getattr(source, name))
    return row


def _source(row: Any) -> Source:
    return Source(
        url=row["url"],
        kind=SourceKind(row["kind"]),
        id=row["id"],
        title=row["title"],
        site_url=row["site_url"],
        category=row["category"],
        interval=row["interval"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        error_count=row["error_count"],
        last_error=row["last_error"],
        last_status=row["last_status"],
        articles=row["articles"],
        **{name: time_value(row[name]) for name in _TIMES},
    )
