"""Tables and append-only migrations.

A migration is never edited once released: a change of schema is a new function appended to
:data:`MIGRATIONS`.  The version reached is recorded in ``schema_migrations``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection


def time_column(value: datetime | None) -> str | None:
    """A time as the store keeps it: ISO 8601 in UTC, which sorts as text in every database."""
    return value.astimezone(UTC).isoformat() if value is not None else None


def time_value(value: str | None) -> datetime | None:
    """A stored time back as an aware datetime."""
    return datetime.fromisoformat(value) if value else None


metadata = sa.MetaData()

schema_migrations = sa.Table(
    "schema_migrations",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("applied_at", sa.String(40), nullable=False),
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("seq", sa.Integer, nullable=False, index=True),  # ingest order, for deterministic replay
    sa.Column("url", sa.Text, index=True),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("outlet", sa.Text),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("authors", sa.JSON, nullable=False),
    sa.Column("published", sa.String(40), index=True),  # ISO 8601 in UTC: sorts as text everywhere
    sa.Column("dateline", sa.Text),
    sa.Column("language", sa.String(16)),
    sa.Column("paragraphs", sa.JSON, nullable=False),
    sa.Column("removed", sa.JSON, nullable=False),
    sa.Column("text_hash", sa.String(64), nullable=False, index=True),
    sa.Column("ingested_at", sa.String(40), nullable=False),
    sa.Column("story_id", sa.String(32), index=True),
    sa.Column("story_score", sa.Float),
    sa.Column("story_reason", sa.Text),
    sa.Column("story_nearest", sa.JSON),
)

copy_links = sa.Table(
    "copy_links",
    metadata,
    sa.Column("article_id", sa.String(32), primary_key=True),
    sa.Column("original_id", sa.String(32), primary_key=True, index=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("evidence", sa.JSON, nullable=False),
)

stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("article_count", sa.Integer, nullable=False),
    sa.Column("outlet_count", sa.Integer, nullable=False),
    sa.Column("first_published", sa.String(40)),
    sa.Column("last_activity", sa.String(40), nullable=False, index=True),
)


article_revisions = sa.Table(
    "article_revisions",
    metadata,
    sa.Column("article_id", sa.String(32), primary_key=True),
    sa.Column("revision", sa.Integer, primary_key=True),
    sa.Column("url", sa.Text),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("published", sa.String(40)),
    sa.Column("paragraphs", sa.JSON, nullable=False),
    sa.Column("text_hash", sa.String(64), nullable=False),
    sa.Column("replaced_at", sa.String(40), nullable=False),
)


story_aliases = sa.Table(
    "story_aliases",
    metadata,
    sa.Column("story_id", sa.String(32), primary_key=True),  # a merged story's id
    sa.Column("merged_into", sa.String(32), nullable=False, index=True),  # always a live story
    sa.Column("similarity", sa.Float, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("merged_at", sa.String(40), nullable=False),
)

story_splits = sa.Table(
    "story_splits",
    metadata,
    sa.Column("split_off", sa.String(32), primary_key=True),  # the story the second event became
    sa.Column("kept", sa.String(32), nullable=False, index=True),  # the story it was split from
    sa.Column("ncut", sa.Float, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("split_at", sa.String(40), nullable=False),
)


sources = sa.Table(
    "sources",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("url", sa.Text, nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("site_url", sa.Text),
    sa.Column("category", sa.Text),
    sa.Column("interval", sa.Float, nullable=False),
    sa.Column("next_due", sa.String(40), index=True),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("last_fetched", sa.String(40)),
    sa.Column("last_success", sa.String(40)),
    sa.Column("error_count", sa.Integer, nullable=False),
    sa.Column("last_error", sa.Text),
    sa.Column("last_status", sa.Integer),
    sa.Column("articles", sa.Integer, nullable=False),
    sa.Column("added_at", sa.String(40), nullable=False),
)

source_items = sa.Table(
    "source_items",
    metadata,
    sa.Column("source_id", sa.Integer, primary_key=True),
    sa.Column("url", sa.Text, primary_key=True),
    sa.Column("entry_hash", sa.String(64), nullable=False),
    sa.Column("seen_at", sa.String(40), nullable=False),
)

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text),  # None for the implicit reader of a single-user install
    sa.Column("created_at", sa.String(40), nullable=False),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),  # the cookie's value is never stored
    sa.Column("account_id", sa.Integer, nullable=False, index=True),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("expires_at", sa.String(40), nullable=False, index=True),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("account_id", sa.Integer, nullable=False, index=True),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("last_used", sa.String(40)),
)

follows = sa.Table(
    "follows",
    metadata,
    sa.Column("account_id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(16), primary_key=True),
    sa.Column("value", sa.Text, primary_key=True),
    sa.Column("mode", sa.String(8), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
)

story_reads = sa.Table(
    "story_reads",
    metadata,
    sa.Column("account_id", sa.Integer, primary_key=True),
    sa.Column("story_id", sa.String(32), primary_key=True),
    sa.Column("read_at", sa.String(40), nullable=False),
    sa.Column("article_ids", sa.JSON, nullable=False),
    sa.Column("outlets", sa.JSON, nullable=False),
)


def _v1_initial(connection: Connection) -> None:
    for table in (articles, copy_links, stories):
        table.create(connection, checkfirst=True)


def _v2_revisions(connection: Connection) -> None:
    """Earlier versions of updated articles.  (Copy-link evidence grew inside its JSON column.)"""
    article_revisions.create(connection, checkfirst=True)


def _v3_story_aliases(connection: Connection) -> None:
    """Stories merged into others: their ids keep resolving to the story that absorbed them."""
    story_aliases.create(connection, checkfirst=True)


def _v4_sources(connection: Connection) -> None:
    """Live sources and the items each has already brought in (so a pass fetches only what is new)."""
    sources.create(connection, checkfirst=True)
    source_items.create(connection, checkfirst=True)


def _v5_search(connection: Connection) -> None:
    """Full-text index of articles (SQLite FTS5; PostgreSQL's comes with v7)."""
    from newsfold.store.search import create_search_index

    create_search_index(connection)


def _v6_readers(connection: Connection) -> None:
    """Readers: accounts, their sessions and API tokens, what they follow, and what they have read."""
    for table in (accounts, sessions, api_tokens, follows, story_reads):
        table.create(connection, checkfirst=True)


def _v7_postgres_search(connection: Connection) -> None:
    """Full-text index of articles on PostgreSQL (a GIN-indexed ``tsvector``; SQLite has FTS5 since v5)."""
    from newsfold.store.search import create_postgres_search_index

    create_postgres_search_index(connection)


_SPLIT_REASON = re.compile(r"split from (\S+): two events \(normalised cut ([0-9.]+)\)")
"""How a split's moves have worded their reason since splits were made (before v8 kept them)."""


def _v8_story_splits(connection: Connection) -> None:
    """Stories split in two on a second look: the pairs stay apart after a restart.

    Splits made before this version are recovered from the reasons of the moves that made them,
    where those articles still lie in the story they were split off to."""
    story_splits.create(connection, checkfirst=True)
    found: dict[str, dict[str, object]] = {}
    now = datetime.now(UTC).isoformat()
    rows = connection.execute(
        sa.select(articles.c.story_id, articles.c.story_reason)
        .where(articles.c.story_reason.like("split from %"))
        .order_by(articles.c.seq)
    )
    for story_id, reason in rows:
        words = _SPLIT_REASON.fullmatch(reason)
        if story_id is None or words is None or words[1] == story_id or story_id in found:
            continue
        found[story_id] = {
            "split_off": story_id,
            "kept": words[1],
            "ncut": float(words[2]),
            "reason": reason,
            "split_at": now,
        }
    if found:
        connection.execute(story_splits.insert(), list(found.values()))


MIGRATIONS: list[Callable[[Connection], None]] = [
    _v1_initial,
    _v2_revisions,
    _v3_story_aliases,
    _v4_sources,
    _v5_search,
    _v6_readers,
    _v7_postgres_search,
    _v8_story_splits,
]


def migrate(connection: Connection) -> int:
    """Bring the schema up to date inside the caller's transaction; returns the version reached."""
    schema_migrations.create(connection, checkfirst=True)
    current = connection.execute(sa.select(sa.func.max(schema_migrations.c.version))).scalar() or 0
    if current > len(MIGRATIONS):
        raise RuntimeError(
            f"the database is at schema version {current}, newer than this newsfold ({len(MIGRATIONS)}): upgrade newsfold"
        )
    for version, step in enumerate(MIGRATIONS[current:], start=current + 1):
        step(connection)
        connection.execute(
            schema_migrations.insert().values(version=version, applied_at=datetime.now(UTC).isoformat())
        )
    return len(MIGRATIONS)
