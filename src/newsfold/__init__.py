"""newsfold: follow the news, fold many reports of one event into one story.

The stages, in the order data flows: :mod:`newsfold.ingest` → :mod:`newsfold.extract` →
:mod:`newsfold.copies` → :mod:`newsfold.stories`; :mod:`newsfold.pipeline` chains them and
:mod:`newsfold.store` keeps what they produce.
"""

from newsfold.config import Settings
from newsfold.model import (
    Article,
    CopyKind,
    CopyLink,
    RawDocument,
    Skipped,
    StoryAssignment,
    StoryMember,
    StorySummary,
)
from newsfold.pipeline import Engine, IngestReport
from newsfold.store import Store, open_store

__all__ = [
    "Article",
    "CopyKind",
    "CopyLink",
    "Engine",
    "IngestReport",
    "RawDocument",
    "Settings",
    "Skipped",
    "Store",
    "StoryAssignment",
    "StoryMember",
    "StorySummary",
    "open_store",
]
