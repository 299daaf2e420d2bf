"""The store: one small interface, opened from a URL (SQLite by default)."""

from newsfold.store.readers import DEFAULT_ACCOUNT, AccountExists
from newsfold.store.sources import SourceExists
from newsfold.store.sql import Batch, Revision, Store


def open_store(url: str) -> Store:
    """Open (creating and migrating as needed) the store at ``url``."""
    return Store(url)


__all__ = ["DEFAULT_ACCOUNT", "AccountExists", "Batch", "Revision", "SourceExists", "Store", "open_store"]
