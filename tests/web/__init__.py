"""The reader through its ASGI app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from newsfold.pipeline import Engine
from newsfold.store import open_store
from newsfold.web import create_app

TEST_HOST = "testserver"
"""The Host a TestClient sends: the reader answers to it only when told to, as a test does."""


def reader_app(database_url: str, **options: Any) -> FastAPI:
    """The reader over ``database_url``, answering to the test client's host too."""
    return create_app(database_url, allowed_hosts=(TEST_HOST,), **options)


def store_with(folder: Path, article: dict[str, Any]) -> str:
    """The URL of a new store in ``folder`` holding ``article`` (the JSON input format), ingested."""
    path = folder / "article.json"
    path.write_text(json.dumps(article))
    url = f"sqlite:///{folder / 'n.db'}"
    with open_store(url) as store:
        Engine(store).ingest_paths([path])
    return url
