"""Full-text search over articles (SQLite FTS5), with filters by outlet, date and entity.

The index holds each article's current title, text and outlet; :meth:`Store.save` keeps it in
step with new articles and revisions inside the same transaction, so a search never finds text
the store does not hold.  A story matches through its articles.  On a store without FTS5 (a
PostgreSQL URL) the same method falls back to a case-insensitive substring match: slower, same
answers for plain words.

An article's outlet is named as everywhere else (:func:`newsfold.model.source_name`: the outlet,
else the URL's host, else the file's name), in hits and in the outlet filter alike, so a name a
citation shows finds that outlet's articles, whatever its case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from newsfold.model import Article, source_name
from newsfold.store.schema import articles, time_column, time_value

_WORD = re.compile(r"\w[\w'’-]*")
# FTS5 marks the matched words with these (private-use characters no article text carries), so
# that a bracket in the text is never taken for a match
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_MARKED = re.compile(f"{_MARK_OPEN}(.*?){_MARK_CLOSE}", re.DOTALL)
_OUTLET_KEY = "newsfold_outlet_key"


@dataclass(slots=True, frozen=True)
class SearchHit:
    """An article matching a search, with a snippet around the match (``[`` ``]`` mark the words
    in ``snippet``; ``parts`` is the same snippet as pieces, each saying whether it matched)."""

    article_id: str
    title: str
    outlet: str
    """The outlet's name as citations show it (:func:`newsfold.model.source_name`)."""
    published: datetime | None
    story_id: str | None
    snippet: str
    parts: tuple[tuple[str, bool], ...] = ()


def create_search_index(connection: Connection) -> None:
    """Create the FTS5 index (SQLite only) and fill it from the stored articles."""
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql(
        "CREATE VIRTUAL TABLE IF NOT EXISTS article_search USING fts5("
        "article_id UNINDEXED, title, body, outlet, tokenize = 'unicode61 remove_diacritics 2')"
    )
    rows = connection.execute(
        sa.select(articles.c.id, articles.c.title, articles.c.paragraphs, articles.c.outlet)
    )
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


def outlet_key(outlet: str | None, url: str | None, origin: str) -> str:
    """What the outlet filter compares: the outlet's listed name, case folded."""
    return source_name(outlet, url, origin).casefold()


def _with_outlet_key(connection: Connection) -> None:
    """Make :func:`outlet_key` callable from SQL on this SQLite connection (cheap, idempotent)."""
    raw = connection.connection.driver_connection
    raw.create_function(_OUTLET_KEY, 3, outlet_key, deterministic=True)  # type: ignore[union-attr]


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
            params["outlet"] = outlet.strip().casefold()
        if since:
            conditions.append("a.published >= :since")
            params["since"] = time_column(since)
        if until:
            conditions.append("a.published <= :until")
            params["until"] = time_column(until)
        with self.engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                if outlet:
                    _with_outlet_key(connection)
                    conditions.append(f"{_OUTLET_KEY}(a.outlet, a.url, a.origin) = :outlet")
                where = "".join(f" AND {c}" for c in conditions)
                sql = (
                    "SELECT a.id, a.title, a.outlet, a.url, a.origin, a.published, a.story_id, "
                    f"snippet(article_search, 2, '{_MARK_OPEN}', '{_MARK_CLOSE}', '…', 16) AS snippet "
                    "FROM article_search JOIN articles a ON a.id = article_search.article_id "
                    f"WHERE article_search MATCH :match{where} ORDER BY bm25(article_search, 0, 4.0, 1.0, 1.0), "
                    "a.published DESC, a.id LIMIT :limit"
                )
                rows = connection.execute(sa.text(sql), params).all()
                return [_hit(r, r.snippet) for r in rows]
            if outlet:  # no SQL function here: narrowed by the outlet column, then by the listed name
                conditions.append("(LOWER(a.outlet) = :outlet OR a.outlet IS NULL)")
            hits = self._substring_search(connection, expression, conditions, params)
            return [h for h in hits if not outlet or h.outlet.casefold() == params["outlet"]]

    def outlet_names(self, after_seq: int = 0) -> tuple[int, set[str]]:
        """The outlets' listed names among articles stored after ``after_seq`` (in ingest order),
        and the last ``seq`` read: a caller keeps the set and asks only for what is new."""
        query = sa.select(articles.c.seq, articles.c.outlet, articles.c.url, articles.c.origin).where(
            articles.c.seq > after_seq
        )
        names: set[str] = set()
        last = after_seq
        with self.engine.connect() as connection:
            for row in connection.execution_options(yield_per=2000).execute(query):
                names.add(source_name(row.outlet, row.url, row.origin))
                last = max(last, row.seq)
        return last, names

    def article_story(self, article_id: str) -> str | None:
        """The id of the story an article belongs to (what a search hit links to)."""
        with self.engine.connect() as connection:
            found = connection.execute(
                sa.select(articles.c.story_id).where(articles.c.id == article_id)
            ).scalar()
        return str(found) if found else None

    def _substring_search(
        self, connection: Connection, expression: str, conditions: list[str], params: dict[str, Any]
    ) -> list[SearchHit]:
        words = [p.strip('"') for p in re.findall(r'"[^"]*"', expression)]
        for n, word in enumerate(words):
            conditions.append(f"(a.title ILIKE :w{n} OR CAST(a.paragraphs AS TEXT) ILIKE :w{n})")
            params[f"w{n}"] = f"%{word}%"
        sql = (
            "SELECT a.id, a.title, a.outlet, a.url, a.origin, a.published, a.story_id FROM articles a WHERE "
            + " AND ".join(conditions)
            + " ORDER BY a.published DESC, a.id LIMIT :limit"
        )
        rows = connection.execute(sa.text(sql), params).all()
        return [_hit(r, "") for r in rows]


def _hit(row: Any, marked: str) -> SearchHit:
    """A hit from a row of ``articles`` and its snippet as FTS5 marked it."""
    parts: list[tuple[str, bool]] = []
    at = 0
    for match in _MARKED.finditer(marked):
        if match.start() > at:
            parts.append((marked[at : match.start()], False))
        parts.append((match.group(1), True))
        at = match.end()
    if at < len(marked):
        parts.append((marked[at:], False))
    snippet = "".join(f"[{piece}]" if hit else piece for piece, hit in parts)
    return SearchHit(
        row.id,
        row.title,
        source_name(row.outlet, row.url, row.origin),
        time_value(row.published),
        row.story_id,
        snippet,
        tuple(parts),
    )
