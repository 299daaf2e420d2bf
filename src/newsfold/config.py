"""One settings object shared by the library, the CLI and (later) the web app.

Values come from keyword arguments, then ``NEWSFOLD_*`` environment variables, then the defaults
below, so a deployment can be configured without touching code.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    """SQLite file in the user's data directory: works on a fresh machine with no server."""
    return f"sqlite:///{Path(user_data_dir('newsfold')) / 'newsfold.db'}"


class Settings(BaseSettings):
    """Everything a run of newsfold can be tuned by."""

    model_config = SettingsConfigDict(env_prefix="NEWSFOLD_", frozen=True)

    database_url: str = Field(default_factory=default_database_url)
    """SQLAlchemy URL of the store (``sqlite:///path`` or ``postgresql://...``)."""

    max_file_bytes: int = 10 * 1024 * 1024
    """Larger inputs are refused with a message: a news article is never this big, junk often is."""

    batch_size: int = 200
    """Articles written per transaction: a killed process loses at most this many."""

    min_text_chars: int = 80
    """An extraction shorter than this is reported as 'no article text' rather than stored."""

    near_duplicate_threshold: float = 0.8
    """Estimated Jaccard of word 5-shingles above which two texts are near-duplicates."""

    minhash_permutations: int = 128

    story_threshold: float = 0.26
    """Combined similarity an article needs to join an existing story instead of opening one."""

    story_window_hours: float = 24 * 7
    """A story whose newest article is older than this (relative to the incoming one) stops attracting articles."""

    allow_networks: list[str] = Field(default_factory=list)
    """Non-public networks live sources may be fetched from (``["127.0.0.0/8"]``); none by default,
    so a feed cannot point newsfold at the machine's own services or the cloud metadata address."""

    fetch_timeout: float = 60.0
    """Seconds one HTTP response may take, headers to last byte."""

    per_host_delay: float = 1.0
    """Seconds between the starts of two requests to one host."""

    per_host_concurrency: int = 2

    max_items_per_pass: int = 50
    """Articles fetched per source and pass; the rest wait for the next pass."""

    accounts: bool = False
    """Readers log in with their own accounts; off, the reader is single-user with no login."""

    open_registration: bool = False
    """With accounts on, anyone who reaches the reader may create an account at ``/register``;
    off, accounts are made with ``newsfold accounts add``."""

    session_days: float = 30.0
    """How long a login lasts."""
