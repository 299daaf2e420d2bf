"""The reader through its ASGI app."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from newsfold.web import create_app

TEST_HOST = "testserver"
"""The Host a TestClient sends: the reader answers to it only when told to, as a test does."""


def reader_app(database_url: str, **options: Any) -> FastAPI:
    """The reader over ``database_url``, answering to the test client's host too."""
    return create_app(database_url, allowed_hosts=(TEST_HOST,), **options)
