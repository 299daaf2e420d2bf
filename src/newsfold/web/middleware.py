"""What every request passes before a route sees it, and every response on its way out.

The server answers only to the host names it is meant to have (loopback by default, more with
``allowed_hosts``, see :func:`trusted_hosts`): a page on another site that rebinds its own name to
127.0.0.1 gets a 400, not the reader's pages and their CSRF tokens.  Request bodies are capped
while they are read, whether or not their length was declared (:class:`BodyCap`).  Every response
carries the security headers (:class:`SecurityHeaders`).
"""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import Headers
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsfold.web.auth import Gate
from newsfold.web.forms import MAX_BODY_BYTES

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
"""Host names the reader always answers to."""


def trusted_hosts(extra: Iterable[str] = ()) -> list[str]:
    """The Host header values to accept: loopback plus ``extra`` (names or addresses, with or
    without a port; ``*.example.org`` for a domain's hosts), as :class:`TrustedHostMiddleware`
    compares them."""
    hosts = list(LOOPBACK_HOSTS)
    for given in extra:
        host = given.strip().lower()
        if host.count(":") > 1 and not host.startswith("["):  # a bare IPv6 address
            host = f"[{host}]"
        elif host.startswith("["):
            host = host[: host.index("]") + 1] if "]" in host else host
        else:
            host = host.split(":", 1)[0]
        if host and host not in hosts:
            hosts.append(host)
    return hosts


class BodyTooLarge(HTTPException):
    """A request body over the cap (413), raised while it is being read."""

    def __init__(self, size: int, limit: int, *, declared: bool) -> None:
        said = (
            f"the request body is {size:,} bytes" if declared else f"the request body passed {size:,} bytes"
        )
        super().__init__(413, f"{said}; at most {limit:,} are read")


class BodyCap:
    """Caps request bodies at ``limit`` bytes as they are received, whatever the headers say.

    A declared ``Content-Length`` over the cap is refused at the first read, before any of the
    body is; a body without one (``Transfer-Encoding: chunked``) is counted chunk by chunk and
    refused as soon as it passes the cap, so a route never holds more than ``limit`` bytes of it.
    The refusal is an :class:`HTTPException`, so it is answered like every other error (JSON for
    the API, a page for pages)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        received = 0

        async def counted() -> Message:
            nonlocal received
            if declared.isdigit() and int(declared) > self.limit:
                raise BodyTooLarge(int(declared), self.limit, declared=True)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(received, self.limit, declared=False)
            return message

        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge as refused:  # no handler inside answered it (the app's does, normally)
            if started:
                raise
            await JSONResponse({"detail": refused.detail}, status_code=413)(scope, receive, send)


class SecurityHeaders(BaseHTTPMiddleware):
    """Security headers on every response, and a first visit's CSRF cookie (the app's gate, in
    ``app.state.gate``, knows whether this request is a first visit)."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        gate: Gate = request.app.state.gate
        return gate.finish(request, response)
