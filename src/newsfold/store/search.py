"""Full-text search over articles (SQLite FTS5), with filters by outlet, date and entity.

The index holds each article's current title, text and outlet; :meth:`Store.save` keeps it in
step with new articles and revisions inside the same transaction, so a search never finds text
the store does not hold.  A story matches through its articles.  On PostgreSQL the index is a
``tsvector`` table with a GIN index (the ``simple`` configuration, words folded as FTS5's
``unicode61 remove_diacritics`` folds them), so both backends find the same articles for the
same words and phrases; only the ranking formula differs (bm25 / ts_rank, title weighted most).

An article's outlet is named as everywhere else (:func:`newsfold.model.source_name`: the outlet,
else the URL's host, else the file's name), in hits and in the outlet filter alike, so a name a
citation shows finds that outlet's articles, whatever its case.
"""

from __future__ import annotations

import json
import re
import unicodedata
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
    """Create the FTS5 index (SQLite) and fill it from the stored articles; elsewhere, nothing
    (:func:`create_postgres_search_index` is a later migration's)."""
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql(
        "CREATE VIRTUAL TABLE IF NOT EXISTS article_search USING fts5("
        "article_id UNINDEXED, title, body, outlet, tokenize = 'unicode61 remove_diacritics 2')"
    )
    _insert(connection, _stored_texts(connection))


def create_postgres_search_index(connection: Connection) -> None:
    """Create the PostgreSQL index (a ``tsvector`` per article, GIN-indexed) and fill it."""
    if connection.dialect.name != "postgresql":
        return
    connection.exec_driver_sql(
        "CREATE TABLE IF NOT EXISTS article_text_search "
        "(article_id VARCHAR(32) PRIMARY KEY, document TSVECTOR NOT NULL)"
    )
    connection.exec_driver_sql(
        "CREATE INDEX IF NOT EXISTS article_text_search_document ON article_text_search USING GIN (document)"
    )
    _insert(connection, _stored_texts(connection))


def _stored_texts(connection: Connection) -> list[tuple[str, str, str, str | None]]:
    query = sa.select(articles.c.id, articles.c.title, articles.c.paragraphs, articles.c.outlet)
    return [(r.id, r.title, "\n\n".join(r.paragraphs), r.outlet) for r in connection.execute(query)]


_INDEX_TABLES = {"sqlite": "article_search", "postgresql": "article_text_search"}


def index_articles(connection: Connection, found: Iterable[Article]) -> None:
    """Put these articles' current text in the index (replacing what it held for them)."""
    table = _INDEX_TABLES.get(connection.dialect.name)
    batch = list(found)
    if table is None or not batch:
        return
    ids = [a.id for a in batch]
    delete = sa.text(f"DELETE FROM {table} WHERE article_id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True)
    )
    for start in range(0, len(ids), 500):
        connection.execute(delete, {"ids": ids[start : start + 500]})
    _insert(connection, [(a.id, a.title, a.text, a.outlet) for a in batch])


def _insert(connection: Connection, rows: list[tuple[str, str, str, str | None]]) -> None:
    if not rows:
        return
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(
            "INSERT INTO article_search (article_id, title, body, outlet) VALUES (?, ?, ?, ?)", rows
        )
        return
    connection.execute(
        sa.text(
            "INSERT INTO article_text_search (article_id, document) VALUES (:id, "
            "setweight(to_tsvector('simple', :title), 'A') || setweight(to_tsvector('simple', :body), 'B') "
            "|| setweight(to_tsvector('simple', :outlet), 'C'))"
        ),
        [
            {
                "id": i,
                "title": fold_for_search(t),
                "body": fold_for_search(b),
                "outlet": fold_for_search(o or ""),
            }
            for i, t, b, o in rows
        ],
    )


def fold_for_search(text: str) -> str:
    """Text as the PostgreSQL index reads it: diacritics removed (as FTS5's ``remove_diacritics``)
    and punctuation between words made a space (FTS5 splits "Antwerp's" and "6.5%" there too)."""
    return re.sub(r"[^\w\s]", " ", _without_accents(text))


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
            if connection.dialect.name == "postgresql":
                hits = self._postgres_search(connection, expression, conditions, params)
            else:
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

    def _postgres_search(
        self, connection: Connection, expression: str, conditions: list[str], params: dict[str, Any]
    ) -> list[SearchHit]:
        phrases = _phrases(expression)
        for n, phrase in enumerate(phrases):
            params[f"p{n}"] = fold_for_search(phrase)
        query = " && ".join(f"phraseto_tsquery('simple', :p{n})" for n in range(len(phrases)))
        where = "".join(f" AND {c}" for c in conditions)
        sql = (
            "SELECT a.id, a.title, a.outlet, a.url, a.origin, a.published, a.story_id, a.paragraphs "
            "FROM article_text_search s JOIN articles a ON a.id = s.article_id "
            f"WHERE s.document @@ ({query}){where} "
            f"ORDER BY ts_rank(s.document, {query}) DESC, a.published DESC NULLS LAST, a.id LIMIT :limit"
        )
        rows = connection.execute(sa.text(sql), params).all()
        return [_hit(r, _marked_snippet(_paragraphs(r.paragraphs), phrases)) for r in rows]

    def _substring_search(
        self, connection: Connection, expression: str, conditions: list[str], params: dict[str, Any]
    ) -> list[SearchHit]:
        """For a database with neither FTS5 nor PostgreSQL's text search: a case-insensitive
        substring match (it finds "dockworkers" for "dock"; slower, and unranked)."""
        words = _phrases(expression)
        for n, word in enumerate(words):
            conditions.append(f"(a.title ILIKE :w{n} OR CAST(a.paragraphs AS TEXT) ILIKE :w{n})")
            params[f"w{n}"] = f"%{word}%"
        sql = (
            "SELECT a.id, a.title, a.outlet, a.url, a.origin, a.published, a.story_id, a.paragraphs "
            "FROM articles a WHERE "
            + " AND ".join(conditions)
            + " ORDER BY a.published DESC, a.id LIMIT :limit"
        )
        rows = connection.execute(sa.text(sql), params).all()
        return [_hit(r, _marked_snippet(_paragraphs(r.paragraphs), words)) for r in rows]


def _phrases(expression: str) -> list[str]:
    """The quoted phrases of a :func:`match_expression`, without their quotes."""
    return [p.strip('"') for p in re.findall(r'"[^"]*"', expression)]


SNIPPET_WORDS = 16
"""Words of text a snippet shows around the first match (as FTS5's ``snippet(..., 16)`` does)."""


def _paragraphs(stored: Any) -> str:
    """An article's stored paragraphs as one text (a driver may hand JSON back parsed or not)."""
    found = json.loads(stored) if isinstance(stored, str) else stored
    return "\n\n".join(found or ())


def _marked_snippet(text: str, phrases: list[str]) -> str:
    """A snippet of ``text`` around the first of ``phrases`` found, each found phrase marked as
    FTS5 marks matches (so a store without FTS5 shows the same kind of snippet).  Phrases are
    found as the index finds them, accents aside ("cafe" marks "café"); the text keeps its own."""
    alternatives = [
        r"[\W_]+".join(re.escape(w) for w in _WORD.findall(fold_for_search(p)))
        for p in sorted(phrases, key=len, reverse=True)
        if _WORD.search(p)
    ]
    if not alternatives:
        return ""
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)
    folded = _without_accents(text)  # one character for one: what is found there lies in ``text``
    first = pattern.search(folded)
    if first is None:
        return ""  # matched in the title only
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    at = next(n for n, (_, end) in enumerate(spans) if end > first.start())
    start = max(0, at - SNIPPET_WORDS // 2)
    stop = min(len(spans), start + SNIPPET_WORDS)
    window = " ".join(text[spans[start][0] : spans[stop - 1][1]].split())
    pieces, done = [], 0
    for match in pattern.finditer(" ".join(folded[spans[start][0] : spans[stop - 1][1]].split())):
        pieces += [window[done : match.start()], _MARK_OPEN, window[match.start() : match.end()], _MARK_CLOSE]
        done = match.end()
    marked = "".join(pieces) + window[done:]
    return ("…" if start > 0 else "") + marked + ("…" if stop < len(spans) else "")


def _without_accents(text: str) -> str:
    """``text`` with each accented letter as its base letter, one character for one (so what is
    found in it is found at the same place in ``text``)."""
    return "".join(_base_letter(c) for c in text)


def _base_letter(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    return (
        decomposed[0]
        if len(decomposed) > 1 and all(unicodedata.combining(c) for c in decomposed[1:])
        else char
    )


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
