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
from xml.etree import ElementTree as ET

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from newsfold.export import article_json, iso, source_json, story_json, summary_json
from newsfold.model import StorySummary
from newsfold.rank import FRONT_PAGE_CANDIDATES, RankedStory, rank_stories
from newsfold.store import open_store
from newsfold.synthesis import ACCOUNT_SENTENCES, synthesize
from newsfold.text import FUNCTION_WORDS

FRONT_PAGE_STORIES = 30
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

    def __init__(self, database_url: str) -> None:
        self.store = open_store(database_url)
        self._lock = threading.Lock()
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

    def top(self, limit: int = FRONT_PAGE_STORIES) -> list[tuple[RankedStory, StoryView | None]]:
        """The front page: ranked stories with their views, recomputed only when the store has
        changed (new articles, moved or merged stories change the article count or the newest
        activity), so a busy front page costs two small queries per request."""
        store = self.store
        newest = store.stories(limit=1)
        version = (store.article_count(), newest[0].last_activity.isoformat() if newest else "", limit)
        with self._lock:
            if self._top is not None and self._top[0] == version:
                return self._top[1]
        ranked = rank_stories(store.recent_stories(FRONT_PAGE_CANDIDATES))[:limit]
        page = [(r, self.story(r.story.id)) for r in ranked]
        with self._lock:
            self._top = (version, page)
        return page

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
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response


def create_app(database_url: str) -> FastAPI:
    """The reader over the store at ``database_url`` (pages, ``/api``, ``/feeds``, ``/docs``)."""
    reader = Reader(database_url)
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
    app.add_middleware(SecurityHeaders)
    static = Path(str(resources.files("newsfold") / "web" / "static"))
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def front_page(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "front.html", {"stories": reader.top()})

    @app.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str) -> HTMLResponse:
        view = reader.story(story_id)
        if view is None:
            raise HTTPException(404, f"no story {story_id}")
        return templates.TemplateResponse(
            request,
            "story.html",
            {"view": view, "story": view.document, "chart": _chart(view.members), "related": _related(reader, view)},
        )

    @app.get("/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        store = reader.store
        found = store.article(article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id}")
        document = article_json(found, store.revisions(article_id))
        return templates.TemplateResponse(request, "article.html", {"article": document, "source": found.source_name})

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
        request: Request, q: str = "", source: str = "", since: date | None = None, entity: str = ""
    ) -> HTMLResponse:
        results = run_search(q, source, since, entity) if (q or entity) else None
        return templates.TemplateResponse(
            request, "search.html", {"q": q, "source": source, "since": since, "entity": entity, "results": results}
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
                    for r, _ in reader.top(limit)
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
