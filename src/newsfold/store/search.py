"""Full-text search over articles (SQLite FTS5), with filters by outlet, date and entity.

The index holds each article's current title, text and outlet; :meth:`Store.save` keeps it in
step with new articles and revisions inside the same transaction, so a search never finds text
the store does not hold.  A story matches through its articles.  On a store without FTS5 (a
PostgreSQL URL) the same method falls back to a case-insensitive substring match: slower, same
answers for plain words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from newsfold.model import Article
from newsfold.store.schema import articles, time_column, time_value

_WORD = re.compile(r"\w[\w'’-]*")


@dataclass(slots=True, frozen=True)
class SearchHit:
    """An article matching a search, with a snippet around the match (``[`` ``]`` mark the words)."""

    article_id: str
    title: str
    outlet: str | None
    published: datetime | None
    story_id: str | None
    snippet: str


def create_search_index(connection: Connection) -> None:
    """Create the FTS5 index (SQLite only) and fill it from the stored articles."""
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql(
        "CREATE VIRTUAL TABLE IF NOT EXISTS article_search USING fts5("
        "article_id UNINDEXED, title, body, outlet, tokenize = 'unicode61 remove_diacritics 2')"
    )
    rows = connection.execute(sa.select(articles.c.id, articles.c.title, articles.c.paragraphs, articles.c.outlet))
    _insert(connection, [(r.id, r.title, "\n\n".join(r.paragraphs), r.outlet) for r in rows])


def index_articles(connection: Connection, found: Iterable[Article]) -> None:
    """Put these articles' current text in the index (replacing what it held for them)."""
    if connection.dialect.name != "sqlite":
        return
    batch = list(found)
    if not batch:
        return
    ids = [a.id for a in batch]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        connection.exec_driver_sql(f"DELETE FROM article_search WHERE article_id IN ({marks})", tuple(chunk))
    _insert(connection, [(a.id, a.title, a.text, a.outlet) for a in batch])


def _insert(connection: Connection, rows: list[tuple[str, str, str, str | None]]) -> None:
    if rows:
        connection.exec_driver_sql(
            "INSERT INTO article_search (article_id, title, body, outlet) VALUES (?, ?, ?, ?)", rows
        )


def match_expression(query: str) -> str:
    """A user's words as an FTS5 query: every word must appear (``"quoted phrases"`` kept whole),
    with no operator a user could trip over by accident."""
    parts: list[str] = []
    for phrase, bare in re.findall(r'"([^"]*)"|(\S+)', query):
        words = _WORD.findall(phrase or bare)
        if words:
            parts.append('"' + " ".join(w.replace('"', "") for w in words) + '"')
    return " ".join(parts)


class SearchMixin:
    engine: Engine

    def search(
        self,
        query: str,
        *,
        outlet: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        entity: str | None = None,
        limit: int = 50,
    ) -> list[SearchHit]:
        """Articles matching ``query`` (all its words; an entity's name as a phrase), best first."""
        terms = " ".join(t for t in (query, f'"{entity}"' if entity else "") if t)
        expression = match_expression(terms)
        if not expression:
            return []
        conditions = []
        params: dict[str, Any] = {"match": expression, "limit": limit}
        if outlet:
            conditions.append("a.outlet = :outlet")
            params["outlet"] = outlet
        if since:
            conditions.append("a.published >= :since")
            params["since"] = time_column(since)
        if until:
            conditions.append("a.published <= :until")
            params["until"] = time_column(until)
        where = "".join(f" AND {c}" for c in conditions)
        with self.engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                sql = (
                    "SELECT a.id, a.title, a.outlet, a.published, a.story_id, "
                    "snippet(article_search, 2, '[', ']', '…', 16) AS snippet "
                    "FROM article_search JOIN articles a ON a.id = article_search.article_id "
                    f"WHERE article_search MATCH :match{where} ORDER BY bm25(article_search, 0, 4.0, 1.0, 1.0), "
                    "a.published DESC, a.id LIMIT :limit"
                )
                rows = connection.execute(sa.text(sql), params).all()
                return [_hit(r.id, r.title, r.outlet, r.published, r.story_id, r.snippet) for r in rows]
            return self._substring_search(connection, expression, conditions, params)

    def _substring_search(
        self, connection: Connection, expression: str, conditions: list[str], params: dict[str, Any]
    ) -> list[SearchHit]:
        words = [p.strip('"') for p in re.findall(r'"[^"]*"', expression)]
        for n, word in enumerate(words):
            conditions.append(f"(a.title ILIKE :w{n} OR CAST(a.paragraphs AS TEXT) ILIKE :w{n})")
            params[f"w{n}"] = f"%{word}%"
        sql = (
            "SELECT a.id, a.title, a.outlet, a.published, a.story_id FROM articles a WHERE "
            + " AND ".join(conditions)
            + " ORDER BY a.published DESC, a.id LIMIT :limit"
        )
        rows = connection.execute(sa.text(sql), params).all()
        return [_hit(r.id, r.title, r.outlet, r.published, r.story_id, "") for r in rows]


def _hit(article_id: str, title: str, outlet: str | None, published: str | None, story_id: str | None,
         snippet: str) -> SearchHit:
    return SearchHit(article_id, title, outlet, time_value(published), story_id, snippet)
