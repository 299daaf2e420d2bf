"""The reader: server-rendered pages, the JSON API and Atom feeds, over one store.

Pages are Jinja2 templates with autoescaping on: everything scraped (titles, text, quotes,
outlet names) is rendered as text, never as markup, and the Content-Security-Policy forbids
inline and foreign scripts as a second wall.  The JSON API returns the documented shapes of
:mod:`newsfold.export`, the same documents ``--json`` prints.

A story's synthesis (the parse is the cost: ~60 ms per article) is computed once per version of
the story (its id, activity time and article count) and kept in a bounded in-memory cache.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree as ET

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from newsfold.config import Settings
from newsfold.export import article_json, follow_json, iso, source_json, story_json, summary_json
from newsfold.ingest.fetch import FetchError
from newsfold.ingest.files import document_from_json
from newsfold.model import (
    Account,
    FollowKind,
    FollowMode,
    RawDocument,
    Skipped,
    Source,
    SourceKind,
    StoryMember,
    StoryRead,
    StorySummary,
)
from newsfold.pipeline import Engine, IngestReport, fetch_policy, identify_source
from newsfold.rank import FRONT_PAGE_CANDIDATES, FeedStory, RankedStory, personal_feed, rank_stories
from newsfold.store import AccountExists, SourceExists, open_store
from newsfold.synthesis import ACCOUNT_SENTENCES, synthesize
from newsfold.text import FUNCTION_WORDS
from newsfold.web.auth import (
    CSRF_FIELD,
    Gate,
    account_name_problem,
    hash_password,
    password_problem,
    verify_password,
)
from newsfold.web.forms import (
    MAX_BODY_BYTES,
    MAX_FOLLOW_CHARS,
    FollowIn,
    IngestIn,
    SourceIn,
    follow_target,
    form_field,
    same_site,
)
from newsfold.web.personal import FollowState, SinceLastRead, since_last_read

FRONT_PAGE_STORIES = 30
HTMX = resources.files("django_htmx") / "static" / "django_htmx" / "htmx-2.min.js"
FEED_SEARCH_HITS = 200
"""Articles a followed entity or keyword brings at most (their stories join the feed)."""
SYNTHESIS_CACHE = 256
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class StoryView:
    """A story as the pages need it: its summary and its document (the ``story --json`` shape,
    which already holds members, lineage, independent sources and the synthesis)."""

    def __init__(self, summary: StorySummary, document: dict[str, Any]) -> None:
        self.summary = summary
        self.document = document
        self.members: list[dict[str, Any]] = document["members"]
        self.by_id = {m["article_id"]: m for m in self.members}
        self.independent_sources: int = document["independent_sources"]

    @property
    def lead(self) -> str:
        account = self.document.get("account") or []
        return str(account[0]["text"]) if account else ""


class Reader:
    """The store plus the synthesis cache, shared by every request of one app."""

    def __init__(self, database_url: str, settings: Settings | None = None) -> None:
        self.store = open_store(database_url)
        self.settings = settings or Settings(database_url=database_url)
        self._lock = threading.Lock()
        self._ingest_lock = threading.Lock()
        self._engine: Engine | None = None
        self._recent: tuple[tuple[int, str], list[tuple[StorySummary, list[StoryMember]]]] | None = None
        self._cache: OrderedDict[tuple[str, str, int], dict[str, Any]] = OrderedDict()
        self._top: tuple[tuple[int, str, int], list[tuple[RankedStory, StoryView | None]]] | None = None

    def close(self) -> None:
        self.store.close()

    def story(self, story_id: str) -> StoryView | None:
        """The story's view; its document is synthesised once per version of the story."""
        store = self.store
        found = store.story(story_id)
        if found is None:
            return None
        summary, members = found
        key = (summary.id, summary.last_activity.isoformat(), summary.article_count)
        with self._lock:
            document = self._cache.get(key)
            if document is not None:
                self._cache.move_to_end(key)
        if document is None:
            links = store.copy_links(m.article_id for m in members)
            articles = store.articles(m.article_id for m in members)
            folded = synthesize(summary.id, articles, links, account_sentences=ACCOUNT_SENTENCES)
            document = story_json(summary, members, links, store.merged_into(summary.id), folded)
            with self._lock:
                self._cache[key] = document
                while len(self._cache) > SYNTHESIS_CACHE:
                    self._cache.popitem(last=False)
        return StoryView(summary, document)

    def _version(self) -> tuple[int, str]:
        """Changes whenever articles arrive or stories move or merge (count, newest activity)."""
        newest = self.store.stories(limit=1)
        return self.store.article_count(), newest[0].last_activity.isoformat() if newest else ""

    def recent(self) -> list[tuple[StorySummary, list[StoryMember]]]:
        """The recently active stories that front page and personal feeds rank, reloaded only
        when the store has changed, so a busy page costs two small queries per request."""
        version = self._version()
        with self._lock:
            if self._recent is not None and self._recent[0] == version:
                return self._recent[1]
        found = self.store.recent_stories(FRONT_PAGE_CANDIDATES)
        with self._lock:
            self._recent = (version, found)
        return found

    def ranked(self, limit: int = FRONT_PAGE_STORIES) -> list[RankedStory]:
        """The front page's order, without the syntheses (what the JSON listing needs)."""
        return rank_stories(self.recent())[:limit]

    def top(self, limit: int = FRONT_PAGE_STORIES) -> list[tuple[RankedStory, StoryView | None]]:
        """The front page: ranked stories with their views, recomputed only when the store has changed."""
        version = (*self._version(), limit)
        with self._lock:
            if self._top is not None and self._top[0] == version:
                return self._top[1]
        page = [(r, self.story(r.story.id)) for r in self.ranked(limit)]
        with self._lock:
            self._top = (version, page)
        return page

    def personal(self, account_id: int, limit: int = FRONT_PAGE_STORIES) -> list[FeedStory]:
        """A reader's feed: what their follows match among recent stories (and followed stories
        or search matches older than those), ranked like the front page."""
        store = self.store
        follows = store.follows(account_id)
        if not any(f.mode is FollowMode.FOLLOW for f in follows):
            return []
        found: dict[tuple[FollowKind, str], set[str]] = {}
        for rule in follows:
            if rule.kind is FollowKind.STORY:
                found[(rule.kind, rule.value)] = {store.resolve_story(rule.value)}
            elif rule.kind is FollowKind.ENTITY:
                hits = store.search("", entity=rule.value, limit=FEED_SEARCH_HITS)
                found[(rule.kind, rule.value)] = {h.story_id for h in hits if h.story_id}
            elif rule.kind is FollowKind.KEYWORD:
                hits = store.search(rule.value, limit=FEED_SEARCH_HITS)
                found[(rule.kind, rule.value)] = {h.story_id for h in hits if h.story_id}
        candidates = list(self.recent())
        present = {summary.id for summary, _ in candidates}
        wanted = set().union(*(found[(f.kind, f.value)] for f in follows if f.mode is FollowMode.FOLLOW and (f.kind, f.value) in found))
        for story_id in sorted(wanted - present):
            older = store.story(story_id)
            if older is not None:
                candidates.append(older)
        reads: dict[str, StoryRead] = {}
        for read in store.last_reads(account_id).values():  # a read of a story since merged counts for the merge
            live = store.resolve_story(read.story_id)
            if live not in reads or reads[live].read_at < read.read_at:
                reads[live] = read
        return personal_feed(candidates, follows, found, reads)[:limit]

    def ingest(self, documents: list[RawDocument | Skipped]) -> IngestReport:
        """Run documents through the engine (one at a time: the engine's indexes are not shared)."""
        with self._ingest_lock:
            if self._engine is None:
                self._engine = Engine(self.store, self.settings)
            return self._engine.ingest_documents(documents)

    def warm(self, limit: int = FRONT_PAGE_STORIES) -> None:
        """Synthesise the front page's stories ahead of the first reader."""
        self.top(limit)


def _templates() -> Jinja2Templates:
    folder = Path(str(resources.files("newsfold") / "web" / "templates"))
    templates = Jinja2Templates(directory=str(folder))
    templates.env.autoescape = True  # every template, whatever its name: scraped text is never markup
    templates.env.filters["when"] = _when
    return templates


def _when(value: datetime | str | None) -> str:
    if value is None:
        return "undated"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(UTC).strftime("%d %b %Y, %H:%M UTC")


class SecurityHeaders(BaseHTTPMiddleware):
    """Security headers on every response, a first visit's CSRF cookie, and a cap on request bodies
    (checked on the declared length, before anything is read)."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            return JSONResponse(
                {"detail": f"the request body is {int(declared):,} bytes; at most {MAX_BODY_BYTES:,} are read"},
                status_code=413,
            )
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        gate: Gate = request.app.state.gate
        return gate.finish(request, response)


def create_app(
    database_url: str, *, accounts: bool | None = None, open_registration: bool | None = None
) -> FastAPI:
    """The reader over the store at ``database_url`` (pages, ``/api``, ``/feeds``, ``/docs``).

    ``accounts`` turns on logins (default: the ``NEWSFOLD_ACCOUNTS`` setting, off: one implicit
    reader); ``open_registration`` lets visitors make accounts at ``/register``.
    """
    settings = Settings(database_url=database_url)
    reader = Reader(database_url, settings)
    gate = Gate(
        reader.store,
        accounts=settings.accounts if accounts is None else accounts,
        session_days=settings.session_days,
    )
    registration = gate.accounts and (settings.open_registration if open_registration is None else open_registration)
    templates = _templates()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        reader.close()

    app = FastAPI(
        lifespan=lifespan,
        title="newsfold",
        summary="Stories folded from many reports: one cited account, who said what, and where sources differ.",
        version="1",
    )
    app.state.reader = reader
    app.state.gate = gate
    app.add_middleware(SecurityHeaders)
    static = Path(str(resources.files("newsfold") / "web" / "static"))
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
        """A page, with who is reading and what they follow (every page's follow buttons need it)."""
        visitor = gate.visitor(request)
        account = visitor.account
        follows = FollowState(lambda: reader.store.follows(account.id) if account else [])
        page = {
            "visitor": visitor,
            "accounts": gate.accounts,
            "registration": registration,
            "follows": follows,
            "here": _here(request),
        }
        return templates.TemplateResponse(request, name, {**page, **context}, status_code=status_code)

    @app.get("/vendor/htmx.min.js", include_in_schema=False)
    def htmx_script() -> Response:
        """htmx, served from the django-htmx package that ships it (nothing is fetched from a CDN)."""
        return Response(HTMX.read_bytes(), media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def front_page(request: Request) -> HTMLResponse:
        return render(request, "front.html", {"stories": reader.top()})

    @app.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str) -> HTMLResponse:
        view = reader.story(story_id)
        if view is None:
            raise HTTPException(404, f"no story {story_id}")
        account = gate.visitor(request).account
        since = _visit(reader, account, view) if account else None
        return render(
            request,
            "story.html",
            {
                "view": view,
                "story": view.document,
                "chart": _chart(view.members),
                "related": _related(reader, view),
                "since": since,
            },
        )

    @app.get("/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        store = reader.store
        found = store.article(article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id}")
        document = article_json(found, store.revisions(article_id))
        return render(request, "article.html", {"article": document, "source": found.source_name})

    # -- the personal feed -------------------------------------------------------------------

    @app.get("/feed", response_class=HTMLResponse, include_in_schema=False, response_model=None)
    def feed_page(request: Request) -> Response:
        account = gate.visitor(request).account
        if account is None:
            return RedirectResponse(f"/login?next={quote('/feed')}", 303)
        feed = [(item, reader.story(item.ranked.story.id)) for item in reader.personal(account.id)]
        return render(request, "feed.html", {"feed": feed})

    @app.post("/follows", include_in_schema=False, response_model=None)
    async def follow_form(request: Request) -> Response:
        """Follow, mute or drop something from a page's form; with htmx, the form is swapped in
        place, without JavaScript the browser goes back to the page it came from."""
        form = await request.form()
        visitor = gate.check_csrf(request, form_field(form, CSRF_FIELD))
        if visitor.account is None:
            return RedirectResponse("/login", 303)
        kind, value = follow_target(form_field(form, "kind"), form_field(form, "value"))
        mode = form_field(form, "mode")
        if mode == "unfollow":
            reader.store.remove_follow(visitor.account.id, kind, value)
        elif mode in ("follow", "mute"):
            reader.store.set_follow(visitor.account.id, kind, value, FollowMode(mode))
        else:
            raise HTTPException(422, "mode must be follow, mute or unfollow")
        if request.headers.get("HX-Request"):
            fragment = {"kind": kind.value, "value": value, "label": form_field(form, "label"), "standalone": True}
            return render(request, "follow.html", fragment)
        return RedirectResponse(same_site(form_field(form, "next")), 303)

    # -- accounts ----------------------------------------------------------------------------

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False, response_model=None)
    def login_page(request: Request, next: str = "/") -> Response:
        if not gate.accounts:
            return RedirectResponse(same_site(next), 303)
        return render(request, "login.html", {"next": same_site(next), "error": None})

    @app.post("/login", include_in_schema=False, response_model=None)
    async def login(request: Request) -> Response:
        form = await request.form()
        gate.check_csrf(request, form_field(form, CSRF_FIELD))
        target = same_site(form_field(form, "next"))
        if not gate.accounts:
            return RedirectResponse(target, 303)
        found = reader.store.password_hash(form_field(form, "username").strip())
        if found is None or not verify_password(form_field(form, "password"), found[1]):
            return render(
                request, "login.html", {"next": target, "error": "Wrong name or password."}, status_code=401
            )
        response = RedirectResponse(target, 303)
        gate.log_in(response, found[0])
        return response

    @app.post("/logout", include_in_schema=False, response_model=None)
    async def logout(request: Request) -> Response:
        form = await request.form()
        gate.check_csrf(request, form_field(form, CSRF_FIELD))
        response = RedirectResponse("/", 303)
        gate.log_out(request, response)
        return response

    @app.get("/register", response_class=HTMLResponse, include_in_schema=False)
    def register_page(request: Request) -> HTMLResponse:
        if not registration:
            raise HTTPException(404, "accounts are made by the administrator: `newsfold accounts add NAME`")
        return render(request, "register.html", {"error": None})

    @app.post("/register", include_in_schema=False, response_model=None)
    async def register(request: Request) -> Response:
        if not registration:
            raise HTTPException(404, "accounts are made by the administrator: `newsfold accounts add NAME`")
        form = await request.form()
        gate.check_csrf(request, form_field(form, CSRF_FIELD))
        name, password = form_field(form, "username").strip(), form_field(form, "password")
        problem = account_name_problem(name) or password_problem(password)
        if problem is None and password != form_field(form, "confirm"):
            problem = "The two passwords differ."
        if problem is None:
            try:
                account = reader.store.create_account(name, hash_password(password))
            except AccountExists:
                problem = f"The name {name!r} is taken."
        if problem is not None:
            return render(request, "register.html", {"error": problem}, status_code=422)
        response = RedirectResponse("/feed", 303)
        gate.log_in(response, account)
        return response

    def run_search(q: str, source: str | None, since: date | None, entity: str | None) -> dict[str, Any]:
        store = reader.store
        hits = store.search(
            q,
            outlet=source or None,
            since=datetime.combine(since, time.min, UTC) if since else None,
            entity=entity or None,
        )
        counts = Counter(h.story_id for h in hits if h.story_id)
        stories = [
            {**summary_json(found[0]), "matching_articles": n}
            for story_id, n in counts.most_common()
            if (found := store.story(story_id)) is not None
        ]
        return {
            "query": q,
            "filters": {"source": source, "since": since.isoformat() if since else None, "entity": entity},
            "stories": stories,
            "articles": [
                {
                    "article_id": h.article_id,
                    "title": h.title,
                    "outlet": h.outlet,
                    "published": iso(h.published),
                    "story_id": h.story_id,
                    "snippet": h.snippet,
                }
                for h in hits
            ],
        }

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request, q: str = "", source: str = "", since: str = "", entity: str = ""
    ) -> HTMLResponse:
        # a browser's form sends every field, the empty date too: empty means no filter here
        error, day = None, None
        try:
            day = date.fromisoformat(since.strip()) if since.strip() else None
        except ValueError:
            error = f"{since!r} is not a date (YYYY-MM-DD); searched without it."
        results = run_search(q, source, day, entity) if (q or entity) else None
        return render(
            request,
            "search.html",
            {"q": q, "source": source, "since": day, "entity": entity, "results": results, "error": error},
            status_code=422 if error else 200,
        )

    @app.get("/api/search", tags=["search"])
    def api_search(
        q: Annotated[str, Query(description='Words (all must appear); "quoted phrases" kept whole.')] = "",
        source: Annotated[str, Query(description="Only this outlet.")] = "",
        since: Annotated[date | None, Query(description="Only articles published on or after this date.")] = None,
        entity: Annotated[str, Query(description="Only articles naming this person, organisation or place.")] = "",
    ) -> JSONResponse:
        """Full-text search over articles, and the stories they belong to."""
        return JSONResponse(run_search(q, source, since, entity))

    # -- JSON API ---------------------------------------------------------------------------

    @app.get("/api/stories", tags=["stories"])
    def api_stories(
        top: Annotated[bool, Query(description="Front-page order: independent sources, recency, growth.")] = False,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> JSONResponse:
        """Stories, newest activity first (or in front-page order with ``top``)."""
        if top:
            return JSONResponse(
                [
                    {**summary_json(r.story), "score": round(r.score, 4), "independent_sources": r.independent_sources}
                    for r in reader.ranked(limit)
                ]
            )
        return JSONResponse([summary_json(s) for s in reader.store.stories(limit=limit)])

    @app.get("/api/stories/{story_id}", tags=["stories"])
    def api_story(story_id: str) -> JSONResponse:
        """One story folded: members, copy links, lineage, account, facts, quotes, timeline,
        entities, discrepancies (the ``newsfold story ID --json`` document)."""
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
                raise HTTPException(422, f"cannot add {url}: {exc.reason} (give its kind to add it unchecked)") from exc
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
        quotes, dated events); ``null`` if they never opened it.  Reading this marks it read."""
        account_id = api_reader(request, write=False)
        view = reader.story(story_id)
        if view is None:
            raise HTTPException(404, f"no story {story_id}")
        account = reader.store.account(account_id)
        assert account is not None
        since = _visit(reader, account, view)
        return JSONResponse({"story_id": view.summary.id, "since_last_read": since.as_json() if since else None})

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

    # -- feeds out --------------------------------------------------------------------------

    @app.get("/feeds/top.atom", tags=["feeds"])
    def feed_top(request: Request) -> Response:
        """Atom feed of the top stories, each entry the story's consolidated lead."""
        entries = [_story_entry(request, view) for _, view in reader.top() if view is not None]
        return _atom(request, "newsfold: top stories", str(request.url), entries)

    @app.get("/feeds/search.atom", tags=["feeds"])
    def feed_search(request: Request, q: str = "", entity: str = "") -> Response:
        """Atom feed of the articles matching a search (or naming an entity), newest first."""
        found = run_search(q, "", None, entity)["articles"] if (q or entity) else []
        found.sort(key=lambda a: a["published"] or "", reverse=True)
        entries = [
            {
                "id": f"urn:newsfold:article:{a['article_id']}",
                "title": a["title"],
                "link": str(request.url_for("article_page", article_id=a["article_id"])),
                "updated": a["published"] or "",
                "summary": f"{a['outlet'] or ''}: {a['snippet']}",
            }
            for a in found
        ]
        label = " ".join(x for x in (q, f"entity {entity}" if entity else "") if x)
        return _atom(request, f"newsfold: {label}", str(request.url), entries)

    @app.get("/feeds/stories/{story_id}.atom", tags=["feeds"])
    def feed_story(request: Request, story_id: str) -> Response:
        """Atom feed of one story: its articles, newest first."""
        view = reader.story(story_id)
        if view is None:
            raise HTTPException(404, f"no story {story_id}")
        entries = [
            {
                "id": f"urn:newsfold:article:{m['article_id']}",
                "title": m["title"],
                "link": str(request.url_for("article_page", article_id=m["article_id"])),
                "updated": m["published"] or view.document["last_activity"],
                "summary": f"{m['outlet']} · {m['relation']}",
            }
            for m in sorted(
                view.members, key=lambda m: m["published"] or view.document["last_activity"], reverse=True
            )
        ]
        return _atom(request, f"newsfold: {view.summary.title}", str(request.url), entries)

    return app


def _here(request: Request) -> str:
    """The page a form was rendered on (for an htmx swap, the page htmx is on), to return to."""
    current = request.headers.get("HX-Current-URL")
    url = urlsplit(current) if current else request.url
    return same_site(url.path + (f"?{url.query}" if url.query else ""))


def _visit(reader: Reader, account: Account, view: StoryView) -> SinceLastRead | None:
    """What is new in the story for this reader since their last visit (None on a first visit),
    and remember that they have now seen all of it."""
    store = reader.store
    read = store.last_read(account.id, view.summary.id)
    since = since_last_read(view.document, read) if read else None
    if read is None or (since is not None and since.anything) or read.story_id != view.summary.id:
        store.mark_read(
            account.id,
            view.summary.id,
            (m["article_id"] for m in view.members),
            (m["outlet"] for m in view.members),
            datetime.now(UTC),
        )
    return since


def _story_entry(request: Request, view: StoryView) -> dict[str, str]:
    return {
        "id": f"urn:newsfold:story:{view.summary.id}",
        "title": view.summary.title,
        "link": str(request.url_for("story_page", story_id=view.summary.id)),
        "updated": iso(view.summary.last_activity) or "",
        "summary": f"{view.lead} ({view.independent_sources} independent sources, {view.summary.article_count} articles)",
    }


def _atom(request: Request, title: str, self_url: str, entries: list[dict[str, str]]) -> Response:
    """An Atom 1.0 document; ElementTree escapes every value, so scraped text stays text."""
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    feed = ET.Element(f"{{{ns}}}feed")
    ET.SubElement(feed, f"{{{ns}}}title").text = title
    ET.SubElement(feed, f"{{{ns}}}id").text = self_url
    ET.SubElement(feed, f"{{{ns}}}link", rel="self", href=self_url)
    updated = max((e["updated"] for e in entries if e["updated"]), default=datetime.now(UTC).isoformat())
    ET.SubElement(feed, f"{{{ns}}}updated").text = updated
    author = ET.SubElement(feed, f"{{{ns}}}author")
    ET.SubElement(author, f"{{{ns}}}name").text = "newsfold"
    for entry in entries:
        node = ET.SubElement(feed, f"{{{ns}}}entry")
        ET.SubElement(node, f"{{{ns}}}id").text = entry["id"]
        ET.SubElement(node, f"{{{ns}}}title").text = entry["title"]
        ET.SubElement(node, f"{{{ns}}}link", href=entry["link"])
        ET.SubElement(node, f"{{{ns}}}updated").text = entry["updated"] or updated
        ET.SubElement(node, f"{{{ns}}}summary").text = entry["summary"]
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type="application/atom+xml; charset=utf-8")


def _chart(members: list[dict[str, Any]], width: int = 320, height: int = 60) -> dict[str, Any]:
    """Articles over time as bars (by hour for a story of a day or two, else by day), for an SVG."""
    dated = sorted(datetime.fromisoformat(m["published"]) for m in members if m["published"])
    if not dated:
        return {"bars": [], "width": width, "height": height, "label": "no dated articles"}
    span = dated[-1] - dated[0]
    step = timedelta(hours=1) if span <= timedelta(days=2) else timedelta(days=1)
    buckets = max(1, math.ceil(span / step) + 1)
    counts = [0] * buckets
    for when in dated:
        counts[min(buckets - 1, int((when - dated[0]) / step))] += 1
    top = max(counts)
    bar = width / buckets
    bars = [
        {"x": round(i * bar, 1), "w": round(max(1.0, bar - 1), 1), "h": round(height * c / top, 1), "count": c}
        for i, c in enumerate(counts)
    ]
    unit = "hour" if step == timedelta(hours=1) else "day"
    return {"bars": bars, "width": width, "height": height, "label": f"articles per {unit}, {_when(dated[0])} to {_when(dated[-1])}"}


def _title_words(title: str) -> set[str]:
    return {w for w in (t.strip(".,:;!?'\"“”‘’()").casefold() for t in title.split()) if len(w) > 3 and w not in FUNCTION_WORDS}


def _related(reader: Reader, view: StoryView, limit: int = 5) -> list[StorySummary]:
    """Recent stories whose headlines share words with this one's (a cheap, explainable link)."""
    words = _title_words(view.summary.title)
    for entity in view.document.get("entities", [])[:5]:
        words |= {w.casefold() for w in str(entity["name"]).split() if len(w) > 3}
    if not words:
        return []
    candidates = reader.store.stories(limit=FRONT_PAGE_CANDIDATES)
    scored = []
    for other in candidates:
        if other.id == view.summary.id:
            continue
        shared = len(words & _title_words(other.title))
        if shared >= 2:
            scored.append((shared, other.last_activity, other))
    scored.sort(key=lambda s: (-s[0], -s[1].timestamp()))
    return [s[2] for s in scored[:limit]]
