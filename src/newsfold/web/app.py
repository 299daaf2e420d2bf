"""The reader: server-rendered pages, the JSON API and Atom feeds, over one store.

Pages are Jinja2 templates with autoescaping on: everything scraped (titles, text, quotes,
outlet names, URLs) is rendered as text, never as markup, and the Content-Security-Policy forbids
inline and foreign scripts as a second wall.  The JSON API (:mod:`newsfold.web.api`) returns the
documented shapes of :mod:`newsfold.export`, the same documents ``--json`` prints.

What every request passes first, the Host check, the body cap and the security headers, is in
:mod:`newsfold.web.middleware`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from newsfold.config import Settings
from newsfold.export import article_json, member_json
from newsfold.model import FollowMode
from newsfold.store import AccountExists
from newsfold.web.api import add_api
from newsfold.web.atom import article_entries, atom, member_entries, story_entry
from newsfold.web.auth import (
    CSRF_FIELD,
    Gate,
    LoginThrottle,
    account_name_problem,
    hash_password,
    password_problem,
    same_origin_fetch,
    verify_password,
)
from newsfold.web.docs import add_api_docs
from newsfold.web.errors import add_error_pages
from newsfold.web.forms import MAX_BODY_BYTES, follow_target, form_field, same_site
from newsfold.web.middleware import CONTENT_SECURITY_POLICY, BodyCap, SecurityHeaders, trusted_hosts
from newsfold.web.personal import FollowState
from newsfold.web.reader import Reader
from newsfold.web.views import chart, relation, templates

HTMX = resources.files("django_htmx") / "static" / "django_htmx" / "htmx-2.min.js"
FAVICON = resources.files("newsfold") / "web" / "static" / "favicon.svg"


def create_app(
    database_url: str,
    *,
    accounts: bool | None = None,
    open_registration: bool | None = None,
    allowed_hosts: Iterable[str] = (),
) -> FastAPI:
    """The reader over the store at ``database_url`` (pages, ``/api``, ``/feeds``, ``/docs``).

    Args:
        database_url: the store's URL.
        accounts: turn on logins (default: the ``NEWSFOLD_ACCOUNTS`` setting; off, one implicit
            reader).
        open_registration: let visitors make accounts at ``/register``.
        allowed_hosts: host names the server answers to besides localhost, 127.0.0.1 and [::1]:
            the address it is bound to, the name a proxy in front of it forwards
            (``newsfold serve --allowed-host``), or ``testserver`` for a test client.

    Example:
        ``uvicorn.run(create_app("sqlite:///news.db"), host="127.0.0.1")``
    """
    settings = Settings(database_url=database_url)
    reader = Reader(database_url, settings)
    gate = Gate(
        reader.store,
        accounts=settings.accounts if accounts is None else accounts,
        session_days=settings.session_days,
    )
    throttle = LoginThrottle()
    registration = gate.accounts and (
        settings.open_registration if open_registration is None else open_registration
    )
    pages = templates()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        reader.close()

    app = FastAPI(
        lifespan=lifespan,
        title="newsfold",
        summary="Stories folded from many reports: one cited account, who said what, and where sources differ.",
        version="1",
        docs_url=None,  # FastAPI's pages load from a CDN: newsfold.web.docs serves them offline
        redoc_url=None,
    )
    app.state.reader = reader
    app.state.gate = gate
    app.state.login_throttle = throttle
    # the last added runs first: the Host is checked before anything else, bodies are capped
    # inside the error handling so a refusal is answered like any other error
    app.add_middleware(BodyCap, limit=MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=trusted_hosts(allowed_hosts), www_redirect=False)
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
        return pages.TemplateResponse(request, name, {**page, **context}, status_code=status_code)

    add_error_pages(app, render)
    add_api_docs(app, pages, CONTENT_SECURITY_POLICY)

    @app.get("/vendor/htmx.min.js", include_in_schema=False)
    def htmx_script() -> Response:
        """htmx, served from the django-htmx package that ships it (nothing is fetched from a CDN)."""
        return Response(
            HTMX.read_bytes(), media_type="text/javascript", headers={"Cache-Control": "max-age=86400"}
        )

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        """The icon, for browsers that ask for it before reading the page's ``<link rel=icon>``."""
        return Response(
            FAVICON.read_bytes(), media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"}
        )

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def front_page(request: Request) -> HTMLResponse:
        return render(request, "front.html", {"stories": reader.top()})

    @app.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False, response_model=None)
    def story_page(request: Request, story_id: str) -> Response:
        """A story; a merged story's old id redirects to the story it was merged into.  Opening it
        marks it read, unless another site sent the browser here (``Sec-Fetch-Site``)."""
        live = reader.store.resolve_story(story_id)
        if live != story_id:
            return RedirectResponse(str(request.url_for("story_page", story_id=live)), 308)
        view = reader.story(story_id)
        if view is None:
            raise HTTPException(404, f"no story {story_id}")
        account = gate.visitor(request).account
        since = reader.visit(account, view, mark=same_origin_fetch(request)) if account else None
        context = {
            "view": view,
            "story": view.document,
            "chart": chart(view.members),
            "related": reader.related(view),
            "since": since,
            "told_apart": reader.store.story_summaries(s["story"] for s in view.document["split_apart"]),
        }
        return render(request, "story.html", context)

    @app.get("/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        """An article's cleaned text, its story and what it is there (original, copy of, ...)."""
        store = reader.store
        found = store.article(article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id}")
        document = article_json(found, store.revisions(article_id))
        story_id = store.article_story(article_id)
        story = store.story(story_id) if story_id else None
        context: dict[str, Any] = {"article": document, "source": found.source_name, "story": None}
        context.update(relation=None, copies=[])
        if story is not None:
            summary, members = story
            by_id = {m.article_id: member_json(m) for m in members}
            context["story"] = summary
            if article_id in by_id:
                context["relation"] = relation(by_id[article_id], by_id)
                context["copies"] = [m for m in by_id.values() if m["relation"].endswith(f" of {article_id}")]
        return render(request, "article.html", context)

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
            fragment = {
                "kind": kind.value,
                "value": value,
                "label": form_field(form, "label"),
                "standalone": True,
            }
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
        """Log in; after too many failures for the name or from the address, 429 until the oldest
        has aged out (nothing is hashed meanwhile)."""
        form = await request.form()
        gate.check_csrf(request, form_field(form, CSRF_FIELD))
        target = same_site(form_field(form, "next"))
        if not gate.accounts:
            return RedirectResponse(target, 303)
        name = form_field(form, "username").strip()
        address = request.client.host if request.client else ""
        wait = throttle.retry_after(name, address)
        if wait:
            minutes = max(1, round(wait / 60))
            error = f"Too many failed logins: try again in {minutes} minute{'' if minutes == 1 else 's'}."
            page = render(request, "login.html", {"next": target, "error": error}, status_code=429)
            page.headers["Retry-After"] = str(wait)
            return page
        found = reader.store.password_hash(name)
        if found is None or not verify_password(form_field(form, "password"), found[1]):
            throttle.failed(name, address)
            return render(
                request, "login.html", {"next": target, "error": "Wrong name or password."}, status_code=401
            )
        throttle.succeeded(name)
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

    # -- search ------------------------------------------------------------------------------

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
        results = reader.search(q, source, day, entity) if (q or entity) else None
        filters = {"q": q, "source": source, "since": day.isoformat() if day else "", "entity": entity}
        feed = request.url_for("feed_search").include_query_params(**{k: v for k, v in filters.items() if v})
        context: dict[str, Any] = {**filters, "since": day, "results": results, "error": error}
        context.update(outlets=reader.outlets(), feed_url=str(feed))
        return render(request, "search.html", context, status_code=422 if error else 200)

    add_api(app, reader, gate, settings)

    # -- feeds out --------------------------------------------------------------------------

    @app.get("/feeds/top.atom", tags=["feeds"])
    def feed_top(request: Request) -> Response:
        """Atom feed of the top stories, each entry the story's consolidated lead."""
        entries = [story_entry(request, view) for _, view in reader.top() if view is not None]
        return atom("newsfold: top stories", str(request.url), entries)

    @app.get("/feeds/search.atom", tags=["feeds"])
    def feed_search(
        request: Request,
        q: str = "",
        entity: str = "",
        source: Annotated[str, Query(description="Only this outlet.")] = "",
        since: Annotated[
            date | None, Query(description="Only articles published on or after this date.")
        ] = None,
    ) -> Response:
        """Atom feed of the articles matching a search (or naming an entity), newest first, with
        the search page's filters."""
        found = reader.search(q, source, since, entity)["articles"] if (q or entity) else []
        label = " ".join(
            x
            for x in (
                q,
                f"entity {entity}" if entity else "",
                f"from {source}" if source else "",
                f"since {since.isoformat()}" if since else "",
            )
            if x
        )
        return atom(f"newsfold: {label}", str(request.url), article_entries(request, found))

    @app.get("/feeds/entities/{name:path}.atom", tags=["feeds"])
    def feed_entity(request: Request, name: str) -> Response:
        """Atom feed of the articles naming a person, organisation or place, newest first."""
        found = reader.search("", None, None, name)["articles"] if name.strip() else []
        return atom(f"newsfold: {name}", str(request.url), article_entries(request, found))

    @app.get("/feeds/stories/{story_id}.atom", tags=["feeds"], response_model=None)
    def feed_story(request: Request, story_id: str) -> Response:
        """Atom feed of one story: its articles, newest first (a merged story's id redirects)."""
        live = reader.store.resolve_story(story_id)
        if live != story_id:
            return RedirectResponse(str(request.url_for("feed_story", story_id=live)), 308)
        view = reader.story(story_id)
        if view is None:
            raise HTTPException(404, f"no story {story_id}")
        return atom(f"newsfold: {view.summary.title}", str(request.url), member_entries(request, view))

    return app


def _here(request: Request) -> str:
    """The page a form was rendered on (for an htmx swap, the page htmx is on), to return to."""
    current = request.headers.get("HX-Current-URL")
    url = urlsplit(current) if current else request.url
    return same_site(url.path + (f"?{url.query}" if url.query else ""))
