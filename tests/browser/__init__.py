"""The reader in a real browser: Playwright driving Debian's Chromium (``scripts/install-browser``).

Playwright never downloads a browser here; it launches the one at ``/usr/bin/chromium`` (or
``$NEWSFOLD_CHROMIUM``).  Without that browser, or without the ``playwright`` package, every test in
this folder skips and says why.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("NEWSFOLD_CHROMIUM") or "/usr/bin/chromium")

# Playwright adds --headless itself.  As root Chromium needs --no-sandbox; on a closed network it
# stalls on its own background requests unless they are switched off.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _skip_reason() -> str | None:
    try:
        importlib.import_module("playwright.sync_api")
    except ImportError as error:
        return f"browser tests need the playwright package ({error}): pip install -e '.[dev]'"
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return (
            f"browser tests need Chromium at {CHROMIUM}: run scripts/install-browser as root "
            "(Debian's chromium package), or set NEWSFOLD_CHROMIUM to a Chromium binary"
        )
    return None


SKIP_REASON = _skip_reason()
