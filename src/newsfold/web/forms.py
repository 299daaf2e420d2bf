"""What the reader accepts: API request bodies (validated by pydantic, documented in OpenAPI)
and the fields of its HTML forms, each checked before it reaches the store."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from fastapi import HTTPException
from pydantic import BaseModel, Field
from starlette.datastructures import FormData

from newsfold.model import FollowKind, FollowMode

MAX_FOLLOW_CHARS = 200
MAX_INGEST_ARTICLES = 500
MAX_ARTICLE_CHARS = 10_000_000  # as the file reader's default size cap: no article is this long, junk is
MAX_BODY_BYTES = 50 * 1024 * 1024
"""A request body larger than this is refused (413): before it is read when its length is declared,
as soon as it passes the cap when it is not (:class:`newsfold.web.middleware.BodyCap`)."""


class FollowIn(BaseModel):
    """Something to follow or mute."""

    kind: FollowKind
    value: str = Field(
        min_length=1, max_length=MAX_FOLLOW_CHARS, description="Outlet name, entity name, words or story id."
    )
    mode: FollowMode = FollowMode.FOLLOW


class SourceIn(BaseModel):
    """A live source to follow."""

    url: str = Field(min_length=8, max_length=2048)
    kind: Literal["auto", "feed", "page", "sitemap"] = "auto"
    title: str | None = Field(default=None, max_length=500)
    category: str | None = Field(default=None, max_length=200)


class ArticleIn(BaseModel):
    """One article, in the fields of newsfold's JSON input format."""

    url: str | None = Field(default=None, max_length=2048)
    title: str | None = Field(default=None, max_length=2000)
    text: str | None = Field(
        default=None,
        max_length=MAX_ARTICLE_CHARS,
        description="Plain text, paragraphs separated by blank lines.",
    )
    html: str | None = Field(
        default=None,
        max_length=MAX_ARTICLE_CHARS,
        description="An HTML page; used instead of text when given.",
    )
    published: str | None = Field(default=None, description="ISO 8601 or RFC 2822.")
    source: str | None = Field(default=None, max_length=500, description="The outlet's name.")


class IngestIn(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_INGEST_ARTICLES)


def form_field(form: FormData, name: str) -> str:
    """A form field as text ('' when absent; an uploaded file is not a field value)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


def follow_target(kind: str, value: str) -> tuple[FollowKind, str]:
    """A follow's kind and its value with spacing tidied; 422 for anything else."""
    try:
        parsed = FollowKind(kind)
    except ValueError:
        raise HTTPException(
            422, f"cannot follow a {kind!r}: one of {', '.join(k.value for k in FollowKind)}"
        ) from None
    value = " ".join(value.split())
    if not value or len(value) > MAX_FOLLOW_CHARS:
        raise HTTPException(422, f"a {parsed.value} to follow has 1 to {MAX_FOLLOW_CHARS} characters")
    return parsed, value


def same_site(target: str) -> str:
    """Where to send the browser after a form: a path on this site, never another site (an
    open redirect would let a link through newsfold lead anywhere)."""
    parts = urlsplit(target)
    if (
        not target.startswith("/")
        or target.startswith("//")
        or parts.scheme
        or parts.netloc
        or "\\" in target
    ):
        return "/"
    return target
