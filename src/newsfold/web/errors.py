"""Errors as the asker can read them: JSON for the API (``/api/...``, the documented
``{"detail": ...}``), and a page in the site's layout for everyone else, who came with a browser."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

Render = Callable[[Request, str, dict[str, Any], int], Response]
"""Renders a template into a page (the app's ``render``)."""


def wants_json(request: Request) -> bool:
    """Whether an error goes back as JSON: to the API and its schema, never to a page."""
    path = request.url.path
    return path == "/api" or path.startswith("/api/") or path == "/openapi.json"


def validation_message(error: RequestValidationError) -> str:
    """A request's validation errors in one sentence per field (``since: Input should be …``)."""
    lines = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem.get("loc", ())[1:]) or "request"
        lines.append(f"{where}: {problem.get('msg', 'not valid')}")
    return "; ".join(lines) or "the request is not valid"


def add_error_pages(app: FastAPI, render: Render) -> None:
    """Handle HTTP and validation errors on ``app``: pages for pages, JSON for the API."""

    def page(request: Request, status: int, message: str, headers: Mapping[str, str] | None) -> Response:
        try:
            title = HTTPStatus(status).phrase
        except ValueError:
            title = "Error"
        response = render(
            request, "error.html", {"status": status, "title": title, "message": message}, status
        )
        for name, value in (headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_json(request):
            return await http_exception_handler(request, exc)
        return page(request, exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        if wants_json(request):
            return await request_validation_exception_handler(request, exc)
        return page(request, 422, validation_message(exc), None)
