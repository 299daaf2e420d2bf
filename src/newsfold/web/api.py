"""The JSON API under ``/api``: the documented shapes of :mod:`newsfold.export`, the same documents
``--json`` prints, plus search, the personal feed and follows.  Errors are ``{"detail": ...}``."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from newsfold.config import Settings
from newsfold.export import article_json, follow_json, source_json, summary_json
from newsfold.ingest.fetch import FetchError
from newsfold.ingest.files import document_from_json
from newsfold.model import FollowKind, Source, SourceKind
from newsfold.pipeline import fetch_policy, identify_source
from newsfold.store import SourceExists
from newsfold.web.auth import Gate, same_origin_fetch
from newsfold.web.forms import MAX_FOLLOW_CHARS, FollowIn, IngestIn, SourceIn, follow_target
from newsfold.web.reader import FRONT_PAGE_STORIES, Reader


def add_api(app: FastAPI, reader: Reader, gate: Gate, settings: Settings) -> None:
    """Route the JSON API on ``app``."""

    @app.get("/api/search", tags=["search"])
    def api_search(
        q: Annotated[str, Query(description='Words (all must appear); "quoted phrases" kept whole.')] = "",
        source: Annotated[str, Query(description="Only this outlet (its name as listed, any case).")] = "",
        since: Annotated[
            date | None, Query(description="Only articles published on or after this date.")
        ] = None,
        entity: Annotated[
            str, Query(description="Only articles naming this person, organisation or place.")
        ] = "",
    ) -> JSONResponse:
        """Full-text search over articles, and the stories they belong to.  Each article's
        ``snippet`` marks the matched words with ``[`` ``]``; ``snippet_parts`` is the same
        snippet as pieces of text, each saying whether it matched."""
        return JSONResponse(reader.search(q, source, since, entity))

    @app.get("/api/stories", tags=["stories"])
    def api_stories(
        top: Annotated[
            bool, Query(description="Front-page order: independent sources, recency, growth.")
        ] = False,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> JSONResponse:
        """Stories, newest activity first (or in front-page order with ``top``)."""
        if top:
            return JSONResponse(
                [
                    {
                        **summary_json(r.story),
                        "score": round(r.score, 4),
                        "independent_sources": r.independent_sources,
                    }
                    for r in reader.ranked(limit)
                ]
            )
        return JSONResponse([summary_json(s) for s in reader.store.stories(limit=limit)])

    @app.get("/api/stories/{story_id}", tags=["stories"])
    def api_story(story_id: str) -> JSONResponse:
        """One story folded: members, copy links, lineage, account, facts, quotes, timeline,
        entities, discrepancies (the ``newsfold story ID --json`` document).  A merged story's
        id gives the story it was merged into."""
        view = reader.story(story_id)
        if view is None:
            raise HTTPException(404, f"no story {story_id}")
        return JSONResponse(view.document)

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def api_article(article_id: str) -> JSONResponse:
        """One cleaned article, what was removed from it and why, and its earlier versions."""
        store = reader.store
        found = store.article(article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id}")
        return JSONResponse(article_json(found, store.revisions(article_id)))

    @app.get("/api/sources", tags=["sources"])
    def api_sources() -> JSONResponse:
        """The live sources followed, with their health."""
        return JSONResponse([source_json(s) for s in reader.store.sources()])

    @app.post("/api/sources", tags=["sources"], status_code=201)
    async def api_add_source(request: Request, body: SourceIn) -> JSONResponse:
        """Follow a live source (needs an API token).  With ``kind`` ``auto`` the URL is fetched
        to tell a feed, a page or a sitemap apart, and a site announcing a feed means its feed."""
        gate.api_account(request, required=True)
        url = body.url.strip()
        if not url.lower().startswith(("http://", "https://")):
            raise HTTPException(422, "a source is an http:// or https:// URL")
        if body.kind == "auto":
            try:
                url, kind = await identify_source(url, fetch_policy(settings))
            except FetchError as exc:
                raise HTTPException(
                    422, f"cannot add {url}: {exc.reason} (give its kind to add it unchecked)"
                ) from exc
        else:
            kind = SourceKind(body.kind)
        try:
            source = reader.store.add_source(Source(url, kind, title=body.title, category=body.category))
        except SourceExists as exc:
            raise HTTPException(409, str(exc)) from exc
        return JSONResponse(source_json(source), status_code=201)

    @app.post("/api/ingest", tags=["ingest"])
    def api_ingest(request: Request, body: IngestIn) -> JSONResponse:
        """Ingest articles (needs an API token): each one read, cleaned, checked for copies and
        folded into a story, as ``newsfold ingest`` does with a JSON file.  Articles that cannot
        be read are listed under ``skipped`` with the reason; the others are kept."""
        account = gate.api_account(request, required=True)
        assert account is not None
        fetched = datetime.now(UTC)
        documents = [
            document_from_json(f"api:{account.name}:{item.url or n}", item.model_dump(), fetched)
            for n, item in enumerate(body.articles, start=1)
        ]
        report = reader.ingest(documents)
        return JSONResponse(report.as_dict())

    # -- the personal feed and follows -------------------------------------------------------

    def api_reader(request: Request, *, write: bool) -> int:
        account = gate.api_account(request, required=write)
        if account is None:
            raise HTTPException(401, "log in, or send an API token", headers={"WWW-Authenticate": "Bearer"})
        return account.id

    @app.get("/api/feed", tags=["personal feed"])
    def api_feed(
        request: Request, limit: Annotated[int, Query(ge=1, le=200)] = FRONT_PAGE_STORIES
    ) -> JSONResponse:
        """The reader's personal feed: stories of what they follow, minus what they muted, each
        with the follows that brought it and how many articles are new since their last visit."""
        account_id = api_reader(request, write=False)
        return JSONResponse(
            [
                {
                    **summary_json(item.ranked.story),
                    "score": round(item.ranked.score, 4),
                    "independent_sources": item.ranked.independent_sources,
                    "because": [follow_json(f) for f in item.reasons],
                    "new_articles": item.new_articles,
                }
                for item in reader.personal(account_id, limit)
            ]
        )

    @app.get("/api/feed/{story_id}", tags=["personal feed"])
    def api_since_last_read(request: Request, story_id: str) -> JSONResponse:
        """What is new in a story since the reader's last visit (new articles, outlets, facts,
        quotes, dated events); ``null`` if they never opened it.  Reading this marks it read,
        unless a browser says another site made the request (``Sec-Fetch-Site``)."""
        account_id = api_reader(request, write=False)
        view = reader.story(story_id)
        if view is None:
            raise HTTPException(404, f"no story {story_id}")
        account = reader.store.account(account_id)
        assert account is not None
        since = reader.visit(account, view, mark=same_origin_fetch(request))
        return JSONResponse(
            {"story_id": view.summary.id, "since_last_read": since.as_json() if since else None}
        )

    @app.get("/api/follows", tags=["personal feed"])
    def api_follows(request: Request) -> JSONResponse:
        """What the reader follows and mutes."""
        return JSONResponse([follow_json(f) for f in reader.store.follows(api_reader(request, write=False))])

    @app.post("/api/follows", tags=["personal feed"])
    def api_follow(request: Request, body: FollowIn) -> JSONResponse:
        """Follow or mute a source (outlet name), entity, keyword or story (needs an API token)."""
        kind, value = follow_target(body.kind.value, body.value)
        made = reader.store.set_follow(api_reader(request, write=True), kind, value, body.mode)
        return JSONResponse(follow_json(made))

    @app.delete("/api/follows", tags=["personal feed"])
    def api_unfollow(
        request: Request,
        kind: Annotated[FollowKind, Query()],
        value: Annotated[str, Query(min_length=1, max_length=MAX_FOLLOW_CHARS)],
    ) -> JSONResponse:
        """Stop following or muting something (needs an API token)."""
        kind, value = follow_target(kind.value, value)
        if not reader.store.remove_follow(api_reader(request, write=True), kind, value):
            raise HTTPException(404, f"not following or muting {kind.value} {value!r}")
        return JSONResponse({"removed": {"kind": kind.value, "value": value}})
