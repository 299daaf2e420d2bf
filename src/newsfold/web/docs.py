"""The API's documentation pages, Swagger UI at ``/docs`` and ReDoc at ``/redoc``, served offline.

FastAPI's own pages load their scripts from a CDN and start Swagger UI with an inline script,
which the reader can neither reach (no network is assumed) nor allow (its Content-Security-Policy
forbids inline script).  Here both pages load their bundles from the pinned ``fastapi-offline``
package and Swagger UI is started by a script in ``static/``, so ``/docs`` runs under the site's
own policy.  ReDoc needs two things more, and its page alone gets them (:func:`redoc_policy`):
inline *styles* (its styled-components write ``<style>`` elements) and a worker made from a
``blob:`` (its search index).  Still no inline script, no foreign origin and no ``eval``; the one
thing ReDoc would fetch from a CDN, its footer's logo, is blocked and hides itself.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates

VENDOR = Path(str(resources.files("fastapi_offline") / "static"))
"""Swagger UI's and ReDoc's bundles, as the ``fastapi-offline`` package ships them."""
VENDOR_FILES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "redoc.standalone.js": "text/javascript",
}


def redoc_policy(site: str) -> str:
    """The site's Content-Security-Policy ``site`` with what ReDoc's bundle needs besides: inline
    styles and a worker from a ``blob:``."""
    if "style-src 'self';" not in site or "worker-src" in site:
        raise ValueError(f"cannot widen the policy {site!r} for ReDoc")
    return (
        site.replace("style-src 'self';", "style-src 'self' 'unsafe-inline';") + "; worker-src 'self' blob:"
    )


def add_api_docs(app: FastAPI, templates: Jinja2Templates, site_policy: str) -> None:
    """Route ``/docs``, ``/redoc`` and their vendored assets on ``app`` (made with
    ``docs_url=None, redoc_url=None``, so FastAPI's CDN pages are not there); ``site_policy`` is
    the Content-Security-Policy of every other page."""
    redoc_security_policy = redoc_policy(site_policy)

    def page(request: Request, name: str) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {"openapi_url": app.openapi_url, "title": app.title})

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        """Swagger UI: every operation, tried out against this server (under the site's policy)."""
        response = page(request, "api-docs.html")
        response.headers["Content-Security-Policy"] = site_policy
        return response

    @app.get("/redoc", response_class=HTMLResponse, include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        """ReDoc: the same API as one readable document."""
        response = page(request, "redoc.html")
        response.headers["Content-Security-Policy"] = redoc_security_policy
        return response

    @app.get("/vendor/docs/{name}", include_in_schema=False)
    def docs_asset(name: str) -> FileResponse:
        """A bundle of the docs pages (a fixed list: no other file of the package is served)."""
        if name not in VENDOR_FILES:
            raise HTTPException(404, f"no asset {name}")
        return FileResponse(
            VENDOR / name, media_type=VENDOR_FILES[name], headers={"Cache-Control": "max-age=86400"}
        )
