"""Fixtures for the browser tests: the demo store and a store of hostile scraped text, each served
by uvicorn on a free loopback port in a background thread, and Chromium driven by Playwright
(one browser per test module, a fresh context per test).

Screenshots are written to ``artifacts/screenshots/`` (or ``$NEWSFOLD_ARTIFACTS/screenshots``).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, SKIP_REASON

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

REPO = Path(__file__).resolve().parents[2]

EVIL_TITLE = 'Mayor resigns <script>alert("t")</script> <img src=x onerror=alert(1)>'
EVIL_OUTLET = "Evil <b>Gazette</b>"
EVIL_ARTICLE: dict[str, Any] = {
    "url": "https://evil.example.test/a",
    "title": EVIL_TITLE,
    "source": EVIL_OUTLET,
    "published": "2026-03-02T09:00:00+00:00",
    "text": (
        "The mayor resigned on Monday <script>document.title='owned'</script> after a vote. "
        'Council members said "<img src=x onerror=alert(2)>" was not a policy. ' * 3
    ),
}


class _SkippedModule(pytest.Module):
    """A test module of this folder when the browser or Playwright is missing: it is not even
    imported (it may import playwright), and the reason is reported as its skip."""

    def collect(self) -> list[pytest.Item | pytest.Collector]:
        assert SKIP_REASON is not None
        pytest.skip(SKIP_REASON, allow_module_level=True)


def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> pytest.Module | None:
    if SKIP_REASON is None:
        return None
    return _SkippedModule.from_parent(parent, path=module_path)


def _ingest(url: str, paths: list[Path]) -> str:
    from newsfold.pipeline import Engine
    from newsfold.store import open_store

    with open_store(url) as store:
        Engine(store).ingest_paths(paths)
    return url


@pytest.fixture(scope="module")
def evil_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store holding one article whose title, outlet and text carry script and handler payloads."""
    folder = tmp_path_factory.mktemp("browser-evil")
    article = folder / "evil.json"
    article.write_text(json.dumps(EVIL_ARTICLE))
    return _ingest(f"sqlite:///{folder / 'evil.db'}", [article])


@contextmanager
def serve(database_url: str, *, warm: bool = True) -> Iterator[str]:
    """The reader over ``database_url`` served by uvicorn on a free 127.0.0.1 port in a thread;
    yields its base URL (no trailing slash) and stops the server afterwards."""
    import uvicorn

    from newsfold.web import create_app

    app = create_app(database_url, accounts=False)  # single-user: no login, follow buttons for everyone
    if warm:
        app.state.reader.warm()  # as `newsfold serve` does: the front page is synthesised up front
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # bound here and handed over: no race for the port
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"uvicorn:{port}", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError(f"the reader did not start on 127.0.0.1:{port}")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def demo_server(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the reader over a copy of the demo store, shared by the read-only tests."""
    path = tmp_path_factory.mktemp("browser-demo") / "demo.db"
    shutil.copyfile(demo_template, path)
    with serve(f"sqlite:///{path}") as base_url:
        yield base_url


@pytest.fixture
def fresh_demo_server(demo_url: str) -> Iterator[str]:
    """Base URL of the reader over this test's own copy of the demo store (``demo_url``)."""
    with serve(demo_url, warm=False) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def evil_server(evil_db: str) -> Iterator[str]:
    with serve(evil_db, warm=False) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, launched once per test module (never a downloaded browser).

    Module scope, not session: while sync Playwright runs, its event loop counts as running in
    this thread, so any later test of the same process calling ``asyncio.run`` would fail."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Opens a page in a fresh browser context (own cookies and storage) whose relative URLs go to
    ``base_url``, with or without JavaScript; every context is closed when the test ends."""
    contexts: list[BrowserContext] = []

    def open_page(base_url: str, *, javascript: bool = True) -> Page:
        context = browser.new_context(
            base_url=base_url, java_script_enabled=javascript, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        context.set_default_navigation_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def demo_page(new_page: Callable[..., Page], demo_server: str) -> Page:
    """A fresh page on the reader over the demo store."""
    return new_page(demo_server)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where screenshots go: ``artifacts/screenshots`` at the repository root, or under
    ``$NEWSFOLD_ARTIFACTS``."""
    root = (
        Path(os.environ["NEWSFOLD_ARTIFACTS"]) if os.environ.get("NEWSFOLD_ARTIFACTS") else REPO / "artifacts"
    )
    folder = root / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
