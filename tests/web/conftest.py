"""One read-only reader over the demo store for every test of this folder that only reads: the
demo's syntheses (the cost of a first page) are made once per test run, not once per module."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web import reader_app


@pytest.fixture(scope="session")
def demo_db(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the demo store shared by the read-only tests (a test that writes uses ``demo_url``)."""
    path = tmp_path_factory.mktemp("web") / "demo.db"
    shutil.copyfile(demo_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def client(demo_db: str) -> Iterator[TestClient]:
    """The single-user reader over ``demo_db``."""
    with TestClient(reader_app(demo_db, accounts=False)) as test_client:
        yield test_client
