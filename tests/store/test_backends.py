"""SQLite and PostgreSQL hold the same store: the demo folds alike on both, and search agrees."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from newsfold.cli import demo_corpus
from newsfold.store import open_store
from tests.conftest import what_readers_see
from tests.store.conftest import postgres_database


def test_the_demo_folds_alike_on_sqlite_and_postgresql(tmp_path: Path) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'n.db'}"
    with postgres_database() as postgres_url:
        on_sqlite = what_readers_see(demo_corpus(), sqlite_url)
        on_postgres = what_readers_see(demo_corpus(), postgres_url)
        assert on_sqlite == on_postgres
        assert len(on_sqlite["stories"]) >= 15

        def found(url: str, query: str, **filters: str) -> set[str]:
            with open_store(url) as store:
                return {
                    Path(a.origin).name
                    for a in store.articles(h.article_id for h in store.search(query, **filters))
                }

        for query, filters in [
            ("Antwerp", {}),
            ("dock workers", {}),
            ('"port of Antwerp"', {}),
            ("kettles", {"outlet": "meridian wire"}),
        ]:
            assert found(sqlite_url, query, **filters) == found(postgres_url, query, **filters), query
        assert found(postgres_url, "Antwerp")


def test_a_plain_postgresql_url_opens_with_the_driver_newsfold_installs() -> None:
    with postgres_database() as url:
        plain = sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        with open_store(plain) as store:
            assert store.engine.dialect.driver == "psycopg"
            assert store.article_count() == 0
