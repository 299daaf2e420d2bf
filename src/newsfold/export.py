"""The documented JSON shapes of newsfold's data: what ``--json``, ``export`` and the HTTP API print.

One module so the CLI and the web API can never drift apart: a story is the same document
whether a script reads it from ``newsfold story ID --json``, ``newsfold export`` or
``GET /api/stories/{id}``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from newsfold.copies.lineage import lineage_trees
from newsfold.model import (
    Article,
    ArticleRevision,
    CopyLink,
    Follow,
    LineageNode,
    Source,
    StoryMember,
    StorySplit,
    StorySummary,
    StorySynthesis,
)
from newsfold.rank import independent_sources


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def summary_json(story: StorySummary) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "articles": story.article_count,
        "outlets": story.outlet_count,
        "first_published": iso(story.first_published),
        "last_activity": iso(story.last_activity),
    }


def member_json(member: StoryMember) -> dict[str, Any]:
    return {
        "article_id": member.article_id,
        "outlet": member.outlet,
        "title": member.title,
        "published": iso(member.published),
        "relation": member.relation,
        "score": member.score,
        "reason": member.reason,
        "nearest": [{"article_id": n.article_id, "score": n.score} for n in member.nearest],
    }


def story_json(
    summary: StorySummary,
    members: list[StoryMember],
    links: list[CopyLink],
    merged: list[str],
    split_apart: Sequence[tuple[str, StorySplit]],
    folded: StorySynthesis,
) -> dict[str, Any]:
    """A story as ``story --json`` and ``export`` print it (the documented export format)."""
    return {
        **summary_json(summary),
        "merged_from": merged,
        "split_apart": [
            {"story": other, "ncut": split.ncut, "reason": split.reason} for other, split in split_apart
        ],
        "independent_sources": independent_sources(members),
        "members": [member_json(m) for m in members],
        "copy_links": [link_json(link) for link in links],
        "lineage": [lineage_json(tree) for tree in lineage_trees((m.article_id for m in members), links)],
        **synthesis_json(folded),
    }


def synthesis_json(folded: StorySynthesis) -> dict[str, Any]:
    """The synthesis sections: account, facts, quotes, timeline, entities, discrepancies."""
    document = dataclasses.asdict(folded)
    del document["story_id"], document["articles"]
    document["sources_counted_once"] = document.pop("sources")
    return document


EXPORT_FORMAT = "newsfold.export/2"
"""Version 2 added the synthesis sections (account, facts, quotes, timeline, entities, discrepancies)."""


def link_json(link: CopyLink) -> dict[str, Any]:
    return {
        "article_id": link.article_id,
        "original_id": link.original_id,
        "kind": link.kind.value,
        "score": link.score,
        "copy_share": link.copy_share,
        "original_share": link.original_share,
        "spans": [
            {
                "copy": span.copy_text,
                "original": span.original_text,
                "similarity": span.similarity,
                "verbatim": span.verbatim,
            }
            for span in link.spans
        ],
    }


def lineage_json(node: LineageNode) -> dict[str, Any]:
    return {
        "article_id": node.article_id,
        "kind": node.link.kind.value if node.link else None,
        "copies": [lineage_json(child) for child in node.children],
    }


def follow_json(follow: Follow) -> dict[str, Any]:
    return {
        "kind": follow.kind.value,
        "value": follow.value,
        "mode": follow.mode.value,
        "since": iso(follow.created),
    }


def article_json(article: Article, history: list[ArticleRevision]) -> dict[str, Any]:
    """An article with what extraction removed (and why) and its earlier versions."""
    return {
        "id": article.id,
        "url": article.url,
        "origin": article.origin,
        "outlet": article.outlet,
        "title": article.title,
        "authors": article.authors,
        "published": iso(article.published),
        "dateline": article.dateline,
        "paragraphs": article.paragraphs,
        "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
        "revisions": [
            {
                "revision": r.revision,
                "title": r.title,
                "url": r.url,
                "origin": r.origin,
                "published": iso(r.published),
                "replaced_at": iso(r.replaced_at),
                "paragraphs": r.paragraphs,
            }
            for r in history
        ],
    }


def source_json(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "url": source.url,
        "kind": source.kind.value,
        "title": source.title,
        "site_url": source.site_url,
        "category": source.category,
        "health": source.health,
        "interval_seconds": round(source.interval),
        "next_due": iso(source.next_due),
        "last_fetched": iso(source.last_fetched),
        "last_success": iso(source.last_success),
        "error_count": source.error_count,
        "last_error": source.last_error,
        "last_status": source.last_status,
        "articles": source.articles,
        "added_at": iso(source.added_at),
    }
