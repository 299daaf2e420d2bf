"""A real HTTP server on loopback for the live-source tests: routes are plain functions.

Each route gets the request (path, headers) and returns a :class:`Reply`; a reply may stream its
body slowly, lie about its size or be a gzip bomb, which is what the fetcher must survive.
Every request is logged in :attr:`TestServer.hits`, so a test can check what was (not) asked, and
:attr:`TestServer.most_at_once` is the most requests it was ever answering at the same time.
"""

from __future__ import annotations

import contextlib
import html
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Reply:
    status: int = 200
    body: bytes | Callable[[], Iterator[bytes]] = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    at: float


Route = Callable[[Hit], Reply]


class TestServer:
    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.fallback: Route | None = None
        """Answers paths with no route of their own (instead of a 404)."""
        self.hits: list[Hit] = []
        self.most_at_once = 0
        """The most requests in progress at the same time (from arrival to the last byte sent)."""
        self._at_once = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                hit = Hit(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
                with server._lock:
                    server.hits.append(hit)
                    server._at_once += 1
                    server.most_at_once = max(server.most_at_once, server._at_once)
                try:
                    route = server.routes.get(self.path.split("?", 1)[0])
                    route = route or server.fallback
                    reply = route(hit) if route else Reply(404, b"not found", content_type="text/plain")
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        self._send(reply)  # the client may hang up on purpose (limits, timeouts)
                finally:
                    with server._lock:
                        server._at_once -= 1

            def _send(self, reply: Reply) -> None:
                self.send_response(reply.status)
                if reply.content_type:
                    self.send_header("Content-Type", reply.content_type)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if callable(reply.body):
                    if "Content-Length" not in reply.headers:
                        self.send_header("Connection", "close")
                    self.end_headers()
                    for chunk in reply.body():
                        self.wfile.write(chunk)
                        self.wfile.flush()
                    self.close_connection = True
                    return
                if "Content-Length" not in reply.headers:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client hanging up on a slow or huge reply is what the tests are about

        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def start(self) -> TestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(
        self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8", **headers: str
    ) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = lambda _hit: Reply(200, data, dict(headers), content_type)

    def serve_fixture(self, path: str, fixture: str, content_type: str) -> None:
        self.serve(path, (FIXTURES / fixture).read_bytes(), content_type)

    def paths(self) -> list[str]:
        with self._lock:
            return [h.path for h in self.hits]


def gzip_bomb(inflated_bytes: int) -> bytes:
    """A gzip member that inflates to ``inflated_bytes`` zeros, built without holding them."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    block = bytes(1024 * 1024)
    parts = [compressor.compress(block) for _ in range(inflated_bytes // len(block))]
    parts.append(compressor.flush())
    return b"".join(parts)


def trickle(chunks: int, pause: float, piece: bytes = b"<p>slow</p>") -> Callable[[], Iterator[bytes]]:
    """A body sent a piece at a time, ``pause`` seconds apart: a slow-loris server."""

    def body() -> Iterator[bytes]:
        for _ in range(chunks):
            yield piece
            time.sleep(pause)

    return body


@dataclass
class Tally:
    """What a streamed body got out: bytes handed to the socket, and whether the sending is over."""

    sent: int = 0
    over: threading.Event = field(default_factory=threading.Event)


def endless(
    total_bytes: int, chunk: int = 64 * 1024, tally: Tally | None = None
) -> Callable[[], Iterator[bytes]]:
    """A body of ``total_bytes`` generated as it is sent (a 50 MB page costs no memory here);
    ``tally`` counts what was written before the client hung up."""

    def body() -> Iterator[bytes]:
        block = b"<p>" + b"x" * (chunk - 7) + b"</p>"
        sent = 0
        try:
            while sent < total_bytes:
                yield block
                sent += len(block)
                if tally is not None:
                    tally.sent = sent
        finally:
            if tally is not None:
                tally.over.set()

    return body


# -- fixture content: an invented local paper ----------------------------------------------------

WORDS = (
    "The harbour board met on {day} to weigh the cost of dredging the north channel, which has silted up "
    "since the winter storms. Pilots say the largest ferries can no longer enter at low tide. "
    "The board's chair, Agnes Tolley, said a decision on {topic} would come within a month."
)


def article_page(title: str, topic: str, day: str = "Monday") -> str:
    body = "".join(f"<p>{WORDS.format(day=day, topic=topic)} Paragraph {n} on {topic}.</p>" for n in range(4))
    return (
        f"<html><head><title>{html.escape(title)}</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{html.escape(title)}</h1>{body}</article><footer>© Courier</footer></body></html>"
    )


def serve_article(hit: Hit) -> Reply:
    if hit.path == "/robots.txt":
        return Reply(404, b"", content_type="text/plain")
    slug = hit.path.strip("/").replace("/", " ").replace("-", " ")
    return Reply(200, article_page(f"Story about {slug}", slug).encode())


def rss(items: list[tuple[str, str, str]], title: str = "Harbour Town Courier") -> str:
    """items: (path, title, description)"""
    entries = "".join(
        f"<item><title>{html.escape(t)}</title><link>{path}</link><guid>{path}</guid>"
        f"<pubDate>Mon, 02 Mar 2026 0{n}:00:00 GMT</pubDate><description>{html.escape(d)}</description></item>"
        for n, (path, t, d) in enumerate(items)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title><link>/</link>{entries}</channel></rss>'


def serve_moved_feed(web: TestServer, status: int) -> None:
    """``/old.xml`` moved for good (``status``: 301 or 308) to ``/new.xml``, a feed of one article
    that answers its own ETag with a 304; article pages are served too."""

    def conditional(hit: Hit) -> Reply:
        if hit.headers.get("if-none-match") == '"v1"':
            return Reply(304, b"", content_type=None)
        body = rss([("/2026/03/02/harbour-fees-rise", "Harbour fees rise", "s")])
        return Reply(200, body.encode(), {"ETag": '"v1"'}, "application/rss+xml")

    web.routes["/old.xml"] = lambda _hit: Reply(status, b"", {"Location": "/new.xml"})
    web.routes["/new.xml"] = conditional
    web.fallback = serve_article
