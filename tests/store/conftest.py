"""The store's contract, held on every backend it supports: SQLite, and PostgreSQL when a server
answers (``NEWSFOLD_TEST_POSTGRES``, default the machine's local server with trust auth)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

POSTGRES_SERVER = os.environ.get(
    "NEWSFOLD_TEST_POSTGRES", "postgresql+psycopg://root@127.0.0.1:5432/postgres"
)
"""A server the tests may create and drop databases on (each test gets a database of its own)."""


def _postgres_admin() -> sa.Engine:
    """An autocommit engine on :data:`POSTGRES_SERVER`, or a skip saying why there is none."""
    try:
        import psycopg  # noqa: F401  (the driver the URL names)
    except ImportError:
        pytest.skip("PostgreSQL tests need psycopg (pip install -e '.[dev]' brings it)")
    engine = sa.create_engine(
        POSTGRES_SERVER, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("select 1"))
    except sa.exc.OperationalError as error:
        engine.dispose()
        pytest.skip(f"no PostgreSQL server at {POSTGRES_SERVER} ({str(error).splitlines()[0]})")
    return engine


@contextmanager
def postgres_database() -> Iterator[str]:
    """The URL of a fresh PostgreSQL database, dropped after (or a skip saying why there is none)."""
    admin = _postgres_admin()
    name = f"newsfold_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'create database "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'drop database if exists "{name}" with (force)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty store: a SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'n.db'}"
        return
    with postgres_database() as url:
        yield url
