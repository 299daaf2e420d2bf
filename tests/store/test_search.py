"""Full-text search: words and phrases, filters, revisions reindexed, hostile queries harmless."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.model import StoryAssignment
from newsfold.store import Batch, Revision, Store, open_store
from newsfold.store.search import match_expression
from tests.conftest import make_article

FERRY = make_article(
    ["The Harbour Board cut the winter ferry timetable to two sailings a day, chair Agnes Tolley said."],
    title="Ferry timetable cut",
    url="https://a.example.test/ferry",
    outlet="Harbour Courier",
    published=datetime(2026, 3, 2, 9, tzinfo=UTC),
)
FEES = make_article(
    ["Mooring fees at the marina will rise by a tenth in April, the Harbour Board announced."],
    title="Mooring fees rise",
    url="https://b.example.test/fees",
    outlet="Valley Ledger",
    published=datetime(2026, 3, 5, 9, tzinfo=UTC),
)


def _store(url: str) -> Store:
    store = open_store(url)
    batch = Batch()
    for n, article in enumerate((FERRY, FEES)):
        batch.articles.append((article, StoryAssignment(article.id, f"s{n}", 0.0, "opened a story", True)))
    store.save(batch)
    return store


def test_words_phrases_and_filters(store_url: str) -> None:
    with _store(store_url) as store:
        assert {h.article_id for h in store.search("harbour board")} == {FERRY.id, FEES.id}
        [hit] = store.search('"ferry timetable"')
        assert (hit.article_id, hit.story_id) == (FERRY.id, "s0")
        assert "[" in hit.snippet
        assert [h.article_id for h in store.search("harbour", outlet="Valley Ledger")] == [FEES.id]
        assert [h.article_id for h in store.search("harbour", since=datetime(2026, 3, 4, tzinfo=UTC))] == [
            FEES.id
        ]
        assert [h.article_id for h in store.search("board", entity="Agnes Tolley")] == [FERRY.id]
        assert store.search("") == []


def test_a_revision_replaces_the_indexed_text(store_url: str) -> None:
    with _store(store_url) as store:
        edited = make_article(
            ["The Harbour Board restored the winter ferry timetable after protests."],
            title="Ferry timetable restored",
            url="https://a.example.test/ferry",
            outlet="Harbour Courier",
        )
        batch = Batch()
        batch.revisions.append(Revision(current=edited, previous=FERRY))
        store.save(batch)
        assert [h.title for h in store.search("restored")] == ["Ferry timetable restored"]
        assert store.search("Tolley") == []


def test_index_is_built_for_articles_stored_before_it_existed(tmp_path: Path) -> None:
    with _store(f"sqlite:///{tmp_path / 'n.db'}") as store, store.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE article_search")
        connection.exec_driver_sql("DELETE FROM schema_migrations WHERE version >= 5")  # back to v4
    with open_store(f"sqlite:///{tmp_path / 'n.db'}") as reopened:
        assert {h.article_id for h in reopened.search("harbour")} == {FERRY.id, FEES.id}


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_any_query_is_a_safe_expression(query: str) -> None:
    expression = match_expression(query)
    assert expression.count('"') % 2 == 0
    for part in expression.split('" "'):
        assert part.strip('"').strip() == part.strip('"')


def test_hostile_queries_never_raise(store_url: str) -> None:
    with _store(store_url) as store:
        for query in ['harbour" OR 1=1 --', "NEAR(", "*", "a AND", '"""', "title:ferry", "^harbour"]:
            store.search(query)


def test_a_snippet_marks_whole_words_accents_aside(store_url: str) -> None:
    cafe = make_article(
        ["Le café de Flore a fermé, and dock workers struck at the dockworkers' union hall."],
        title="Paris café closes",
        url="https://c.example.test/cafe",
    )
    with open_store(store_url) as store:
        store.save(Batch([(cafe, StoryAssignment(cafe.id, "s9", 0.0, "opened a story", True))]))
        [hit] = store.search("cafe ferme")
        assert "[café]" in hit.snippet
        assert "[fermé]" in hit.snippet
        [hit] = store.search('"dock workers"')
        assert "[dock workers]" in hit.snippet
        assert "[dockworkers" not in hit.snippet
