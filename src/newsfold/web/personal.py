"""What a reader follows, as the pages show it, and what is new in a story since their last visit.

A fact, quote or timeline event is new when none of the articles the reader had seen carries
it: a fact that a new outlet repeats is not news to them, a statement only the new articles
make is.  A new outlet is one whose name was not among the story's outlets at the last visit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from newsfold.model import Follow, FollowKind, FollowMode, StoryRead


@dataclass(slots=True)
class SinceLastRead:
    """What changed in a story between the reader's last visit and now."""

    read_at: datetime
    articles: list[dict[str, Any]] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.articles)

    def as_json(self) -> dict[str, Any]:
        return {
            "read_at": self.read_at.isoformat(),
            "new_articles": [m["article_id"] for m in self.articles],
            "new_outlets": self.outlets,
            "new_facts": [
                {"id": f["id"], "text": f["text"], "citations": f["citations"]} for f in self.facts
            ],
            "new_quotes": self.quotes,
            "new_timeline": self.timeline,
        }


def since_last_read(document: dict[str, Any], read: StoryRead) -> SinceLastRead:
    """Compare a story's document (the ``story --json`` shape) with what the reader saw."""
    seen = read.article_ids

    def unseen(item: dict[str, Any]) -> bool:
        cited = {c["article_id"] for c in item.get("citations", ())}
        return bool(cited) and not cited & seen

    members = document["members"]
    outlets: list[str] = []
    for m in members:
        if m["article_id"] not in seen and m["outlet"] not in read.outlets and m["outlet"] not in outlets:
            outlets.append(m["outlet"])
    return SinceLastRead(
        read_at=read.read_at,
        articles=[m for m in members if m["article_id"] not in seen],
        outlets=outlets,
        facts=[f for f in document.get("facts", ()) if unseen(f)],
        quotes=[q for q in document.get("quotes", ()) if unseen(q)],
        timeline=[e for e in document.get("timeline", ()) if unseen(e)],
    )


class FollowState:
    """A reader's follows, looked up the way templates ask: ``state.of("entity", "Edi Rama")``.

    Loaded on first use, so a page without follow buttons (the front page) costs no query."""

    def __init__(self, load: Callable[[], list[Follow]]) -> None:
        self._load = load
        self._follows: list[Follow] | None = None
        self._modes: dict[tuple[str, str], str] = {}

    @property
    def follows(self) -> list[Follow]:
        if self._follows is None:
            self._follows = self._load()
            self._modes = {(f.kind.value, f.value): f.mode.value for f in self._follows}
        return self._follows

    def of(self, kind: str, value: str) -> str:
        """``follow``, ``mute`` or ``""``."""
        return self._modes.get((kind, value), "") if self.follows else ""

    def of_kind(self, kind: FollowKind) -> list[Follow]:
        return [f for f in self.follows if f.kind is kind]

    @property
    def following(self) -> list[Follow]:
        return [f for f in self.follows if f.mode is FollowMode.FOLLOW]

    @property
    def muted(self) -> list[Follow]:
        return [f for f in self.follows if f.mode is FollowMode.MUTE]
