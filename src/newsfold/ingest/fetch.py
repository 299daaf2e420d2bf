"""HTTP for live sources: polite, bounded and refusing to be turned against the machine it runs on.

One :class:`Fetcher` serves a whole pass.  Every request goes through the same rules:

- **Safe.** Connect and read timeouts, and a deadline on the whole response (a slow-loris server
  trickling a byte at a time never holds a pass); a size cap checked against ``Content-Length``
  and again while reading, on the *decompressed* bytes, inflated here a bounded step at a time
  (:func:`_read_limited` says exactly what is held), so neither a 50 MB page nor a gzip bomb is
  ever held in memory; redirects followed by hand, capped and checked for loops; content types
  checked before the body is read.
- **No SSRF.** Addresses are checked where the connection is made (:class:`GuardedBackend`, the
  one network seam under httpx): a host name that resolves to a private, loopback, link-local
  or otherwise non-public address is refused, at every redirect hop, and the connection goes to
  the address that was checked, so a DNS answer cannot change in between.  Networks are allowed
  only when the user names them (``allow_networks``; the tests allow loopback).
- **Polite.** A clear User-Agent, robots.txt honoured (fetched once per host and pass), at most
  ``per_host_concurrency`` requests to a host at a time and ``per_host_delay`` seconds between
  them, conditional GET with the validators the caller kept (sent on along permanent redirects,
  whose target :attr:`Response.moved_to` names), ``Retry-After`` passed back.

Errors are :class:`FetchError` with a message a person can act on and, where the server said
so, when to retry.  The caller (``newsfold.ingest.live``) decides what an error means for the
source's schedule.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import anyio
import httpcore
import httpx

from newsfold.ingest.formats import media_type, size_text
from newsfold.model import parse_timestamp

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

USER_AGENT = f"newsfold/{version('newsfold')} (+https://github.com/newsfold/newsfold; news aggregator)"
"""Who we are, in every request: a site owner reading their logs can find us and robots.txt us."""

ROBOTS_MAX_BYTES = 512 * 1024
ROBOTS_MAX_REDIRECTS = 5
"""Redirects followed for robots.txt (RFC 9309 asks for at least five); past them it counts as absent."""
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
ACCEPT_ENCODING = "gzip, deflate"
"""The only codings :func:`_read_limited` can inflate under the size cap; httpx would otherwise
offer brotli and zstd whenever their packages happen to be installed."""


@dataclass(slots=True, frozen=True)
class FetchPolicy:
    """The limits every request of a pass obeys."""

    user_agent: str = USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    """Deadline for one response, headers to last byte, whatever the server's pace."""
    max_bytes: int = 10 * 1024 * 1024
    """Largest body kept, after decompression."""
    max_redirects: int = 5
    per_host_concurrency: int = 2
    per_host_delay: float = 1.0
    """Seconds between the starts of two requests to one host."""
    respect_robots: bool = True
    allow_networks: tuple[IPNetwork, ...] = ()
    """Non-public networks the user allows (``127.0.0.0/8`` for a feed served on this machine)."""


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """``["127.0.0.0/8", "::1"]`` → networks; a clear ``ValueError`` for anything else."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"not a network or address: {value!r} (try 127.0.0.0/8 or ::1)") from exc
    return tuple(networks)


class FetchError(Exception):
    """A request that produced nothing usable, with why (and when to retry, if the server said)."""

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        bytes_read: int | None = None,
    ) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status
        self.retry_after = retry_after
        self.bytes_read = bytes_read
        """Body bytes taken off the network before giving up (for a body refused by the size cap)."""


class BlockedAddress(Exception):
    """A connection refused because the host resolves to an address the user did not allow."""

    def __init__(self, host: str, address: IPAddress) -> None:
        super().__init__(
            f"refused to connect to {host} ({address}): not a public address; "
            "allow its network explicitly (--allow-network) if this is intended"
        )
        self.host = host
        self.address = address


def is_allowed_address(address: IPAddress, allowed: tuple[IPNetwork, ...]) -> bool:
    """Public addresses, and the non-public networks the user named."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if any(address in network for network in allowed):
        return True
    return address.is_global and not address.is_multicast


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend with the address check: resolve, check every address, connect
    to a checked one.  TLS still verifies the host name (httpcore passes it as SNI)."""

    def __init__(self, allowed: tuple[IPNetwork, ...], inner: httpcore.AsyncNetworkBackend | None = None):
        self.allowed = allowed
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            with anyio.fail_after(timeout):
                infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from exc
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve {host}")
        for address in addresses:
            if not is_allowed_address(address, self.allowed):
                raise BlockedAddress(host, address)
        return await self.inner.connect_tcp(
            str(addresses[0]),
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not used by newsfold")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def guarded_transport(policy: FetchPolicy) -> httpx.AsyncHTTPTransport:
    """httpx's own transport with :class:`GuardedBackend` under it (no proxies from the environment:
    a proxy would make the connection, and the check, somewhere else)."""
    transport = httpx.AsyncHTTPTransport(trust_env=False, retries=0)
    # httpx has no public hook for the network backend; the pool is httpcore's, built with the
    # same settings apart from the backend (pinned httpx/httpcore versions; tests pin the refusal)
    pool = transport._pool
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=pool._ssl_context,
        max_connections=pool._max_connections,
        max_keepalive_connections=pool._max_keepalive_connections,
        keepalive_expiry=pool._keepalive_expiry,
        http1=pool._http1,
        http2=pool._http2,
        network_backend=GuardedBackend(policy.allow_networks),
    )
    return transport


@dataclass(slots=True)
class Response:
    """A successful answer (2xx or 304), body complete and within the limits."""

    url: str
    """The final URL, after redirects."""
    status: int
    content_type: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    moved_to: str | None = None
    """Where the URL asked for has moved for good: the last URL reached from it by permanent
    redirects (301, 308) alone, ``None`` when the first hop was not one.  A caller that keeps the
    URL should keep this one, and its validators with it."""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(slots=True)
class _Host:
    semaphore: asyncio.Semaphore
    next_start: float = 0.0
    robots: RobotFileParser | None = None
    robots_error: str | None = None
    robots_lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Fetcher:
    """HTTP GET under a :class:`FetchPolicy`; use as ``async with Fetcher(policy) as fetcher``.

    ``transport`` is the seam for tests and special deployments; by default it is
    :func:`guarded_transport`, which carries the address check.
    """

    def __init__(self, policy: FetchPolicy | None = None, transport: httpx.AsyncBaseTransport | None = None):
        self.policy = policy or FetchPolicy()
        self._client = httpx.AsyncClient(
            transport=transport or guarded_transport(self.policy),
            follow_redirects=False,
            timeout=httpx.Timeout(
                connect=self.policy.connect_timeout,
                read=self.policy.read_timeout,
                write=self.policy.read_timeout,
                pool=self.policy.total_timeout,
            ),
            headers={"User-Agent": self.policy.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            trust_env=False,
        )
        self._hosts: dict[str, _Host] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get(
        self,
        url: str,
        *,
        accept: Iterable[str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
    ) -> Response:
        """GET ``url`` following redirects; ``accept`` lists the content types wanted (a type not
        in it is refused before its body is read; ``None`` accepts any text type, and the gzip
        and binary types a compressed sitemap comes as: the bytes then say what it is).

        The validators (``etag``, ``last_modified``) go to ``url`` and on along permanent
        redirects (301, 308: the same resource, moved), never past a temporary one: they belong
        to the resource they came from.  Raises :class:`FetchError` for everything that did not
        give a usable body: robots.txt, a refused address, timeouts, HTTP errors, limits, a wrong
        content type.
        """
        limit = max_bytes or self.policy.max_bytes
        seen: list[str] = []
        current = url
        permanent = True  # every hop so far was a permanent redirect (none yet, at the start)
        moved_to: str | None = None
        while True:
            _check_scheme(current)
            if current in seen:
                raise FetchError(url, f"redirect loop ({' → '.join([*seen, current])})")
            seen.append(current)
            if len(seen) > self.policy.max_redirects + 1:
                raise FetchError(url, f"more than {self.policy.max_redirects} redirects")
            if not await self.allowed_by_robots(current):
                unreadable = self._host(urlsplit(current).netloc).robots_error
                raise FetchError(current, unreadable or "disallowed by the site's robots.txt")
            headers = {}
            if permanent:
                if etag:
                    headers["If-None-Match"] = etag
                if last_modified:
                    headers["If-Modified-Since"] = last_modified
            response = await self._request(current, headers, accept, limit)
            if response.status in REDIRECT_STATUSES:
                location = response.headers.get("location")
                if not location:
                    raise FetchError(current, f"HTTP {response.status} redirect without a Location")
                current = urljoin(current, location.strip())
                permanent = permanent and response.status in PERMANENT_REDIRECTS
                if permanent:
                    moved_to = current
                continue
            response.moved_to = moved_to
            return response

    async def allowed_by_robots(self, url: str) -> bool:
        """Whether robots.txt lets our User-Agent fetch ``url`` (read once per host and fetcher).

        As the major crawlers do (RFC 9309): a redirected robots.txt is followed (up to
        :data:`ROBOTS_MAX_REDIRECTS` hops, to any site, each through the same address check); a
        missing one (4xx, or redirects that go on or lead nowhere) allows everything; one that
        cannot be read (5xx, network error, a refused address) disallows the host for this pass.
        """
        if not self.policy.respect_robots:
            return True
        parts = urlsplit(url)
        host = self._host(parts.netloc)
        async with host.robots_lock:
            if host.robots is None:
                host.robots, host.robots_error = await self._read_robots(
                    f"{parts.scheme}://{parts.netloc}/robots.txt"
                )
        return host.robots.can_fetch(self.policy.user_agent, url)

    async def _read_robots(self, robots_url: str) -> tuple[RobotFileParser, str | None]:
        """The host's rules, and why they could not be read (the host is then off limits)."""
        parser = RobotFileParser(robots_url)
        rules: list[str] = []  # no rules: everything allowed
        unreadable = None
        try:
            body = await self._robots_body(robots_url)
            if body is not None:
                rules = body.decode("utf-8", "replace").splitlines()
        except FetchError as exc:
            if exc.status is None or exc.status >= 500:
                rules = ["User-agent: *", "Disallow: /"]
                unreadable = f"cannot read robots.txt, so the host is left alone this pass: {exc.reason}"
        parser.parse(rules)
        parser.modified()
        return parser, unreadable

    async def _robots_body(self, robots_url: str) -> bytes | None:
        """robots.txt, redirects followed; ``None`` when redirects never end in one (absent)."""
        current = robots_url
        for _hop in range(ROBOTS_MAX_REDIRECTS + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                return None
            # _request is the guarded path every fetch takes: the address check applies to each hop
            response = await self._request(current, {}, None, ROBOTS_MAX_BYTES, robots=True)
            if response.status not in REDIRECT_STATUSES:
                return response.body
            location = response.headers.get("location")
            if not location:
                return None
            current = urljoin(current, location.strip())
        return None

    def _host(self, netloc: str) -> _Host:
        key = netloc.lower()
        if key not in self._hosts:
            self._hosts[key] = _Host(asyncio.Semaphore(self.policy.per_host_concurrency))
        return self._hosts[key]

    async def _request(
        self,
        url: str,
        headers: dict[str, str],
        accept: Iterable[str] | None,
        limit: int,
        *,
        robots: bool = False,
    ) -> Response:
        host = self._host(urlsplit(url).netloc)
        async with host.semaphore:
            wait = host.next_start - time.monotonic()
            host.next_start = max(host.next_start, time.monotonic()) + self.policy.per_host_delay
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                async with asyncio.timeout(self.policy.total_timeout):
                    return await self._exchange(url, headers, accept, limit, robots=robots)
            except TimeoutError:
                raise FetchError(
                    url, f"no complete response within {self.policy.total_timeout:g} s (server too slow)"
                ) from None
            except BlockedAddress as exc:
                raise FetchError(url, str(exc)) from None
            except httpx.TimeoutException as exc:
                raise FetchError(url, f"timed out ({type(exc).__name__})") from None
            except (httpx.DecodingError, zlib.error) as exc:
                raise FetchError(url, f"cannot decode the response body: {exc}") from None
            except httpx.HTTPError as exc:
                raise FetchError(url, f"{type(exc).__name__}: {exc or 'connection failed'}") from None

    async def _exchange(
        self, url: str, headers: dict[str, str], accept: Iterable[str] | None, limit: int, *, robots: bool
    ) -> Response:
        request = self._client.build_request("GET", url, headers=headers)
        response = await self._client.send(request, stream=True)
        try:
            status = response.status_code
            if status in REDIRECT_STATUSES or status == 304:
                return _response(url, response, b"")
            if status >= 400:
                raise FetchError(
                    url,
                    f"HTTP {status} {response.reason_phrase}".strip(),
                    status=status,
                    retry_after=retry_after_seconds(response.headers.get("retry-after")),
                )
            if status == 204:
                raise FetchError(url, "HTTP 204: no content", status=status)
            content_type = media_type(response.headers.get("content-type")) or None
            if not robots and not _acceptable(content_type, accept):
                wanted = ", ".join(accept) if accept is not None else "a text type or a gzip file"
                raise FetchError(
                    url, f"unexpected content type {content_type!r} (wanted {wanted})", status=status
                )
            coding = _content_coding(url, response.headers.get("content-encoding"))
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limit and coding is None:
                raise FetchError(
                    url, f"body of {size_text(int(declared))} is over the {size_text(limit)} limit; not read"
                )
            body = await _read_limited(url, response, limit, coding)
            return _response(url, response, body)
        finally:
            await response.aclose()


_CODINGS = {"gzip": "gzip", "x-gzip": "gzip", "deflate": "deflate"}


def _content_coding(url: str, header: str | None) -> str | None:
    """``gzip`` or ``deflate`` (what the body must be inflated from), ``None`` for none at all."""
    codings = [c.strip().lower() for c in (header or "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if not codings:
        return None
    if len(codings) > 1 or codings[0] not in _CODINGS:
        # only gzip and deflate are asked for (ACCEPT_ENCODING): anything else cannot be bounded here
        raise FetchError(
            url, f"unsupported Content-Encoding {header!r} (newsfold asks for {ACCEPT_ENCODING})"
        )
    return _CODINGS[codings[0]]


class _Inflater:
    """gzip or deflate, inflated at most ``room`` bytes at a time (zlib's ``max_length``)."""

    def __init__(self, coding: str) -> None:
        # deflate is meant to be zlib-wrapped, but some servers send it raw: tried when the first
        # chunk is not zlib (as httpx does)
        self._may_be_raw = coding == "deflate"
        self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 16 if coding == "gzip" else zlib.MAX_WBITS)

    def inflate(self, data: bytes, room: int) -> bytes:
        """What ``data`` inflates to, cut at ``room`` + 1 bytes: more than ``room`` means over.

        Below that cut zlib has taken all of ``data`` in; at it, the rest waits in
        ``unconsumed_tail`` and is never inflated, since the body is refused.
        """
        try:
            piece = self._inflate.decompress(data, room + 1)
        except zlib.error:
            if not self._may_be_raw:
                raise
            self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
            piece = self._inflate.decompress(data, room + 1)
        self._may_be_raw = False
        return piece

    def finish(self) -> bytes:
        """What zlib still holds at the end of the stream (nothing is left unconsumed below the cut)."""
        return self._inflate.flush() if not self._inflate.unconsumed_tail else b""


async def _read_limited(url: str, response: httpx.Response, limit: int, coding: str | None = None) -> bytes:
    """The body, inflated from ``coding`` (gzip, deflate or none), refused as soon as it passes ``limit``.

    What holds: the raw stream is read one network chunk at a time (httpcore reads at most 64 KB)
    and each chunk is inflated here with ``zlib.decompressobj().decompress(chunk, max_length)``,
    ``max_length`` being the room left under the limit plus one byte.  So no more than ``limit``
    + 1 decoded bytes are ever inflated, with one raw chunk in hand beside them: a 50 MB page is
    cut off after at most ``limit`` + 64 KB read, and a gzip bomb whose one 64 KB chunk would
    inflate to 64 MB is refused after inflating ``limit`` + 1 bytes of it.  A body within the
    limit is joined into one ``bytes`` once, at the end.
    """
    inflater = _Inflater(coding) if coding else None
    chunks: list[bytes] = []
    size = raw = 0
    async for data in response.aiter_raw():
        raw += len(data)
        piece = inflater.inflate(data, limit - size) if inflater else data
        size += len(piece)
        if size > limit:
            if coding and raw * 20 < size:
                raise FetchError(
                    url,
                    f"refused: {size_text(raw)} compressed inflates past the {size_text(limit)} limit (a decompression bomb?)",
                    bytes_read=raw,
                )
            raise FetchError(
                url, f"body passes the {size_text(limit)} limit; cut off there and not used", bytes_read=raw
            )
        chunks.append(piece)
    if inflater is not None:
        tail = inflater.finish()
        if size + len(tail) > limit:
            raise FetchError(
                url, f"body passes the {size_text(limit)} limit; cut off there and not used", bytes_read=raw
            )
        chunks.append(tail)
    return b"".join(chunks)


def _response(url: str, response: httpx.Response, body: bytes) -> Response:
    return Response(
        url=url,
        status=response.status_code,
        content_type=media_type(response.headers.get("content-type")) or None,
        body=body,
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        headers={k.lower(): v for k, v in response.headers.items()},
    )


def _check_scheme(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "only http and https URLs with a host can be fetched")


TEXT_TYPES = ("text/", "application/xml", "application/xhtml+xml", "+xml", "json")
ANY_SOURCE_TYPES = (*TEXT_TYPES, "application/gzip", "application/x-gzip", "application/octet-stream")
"""What ``accept=None`` takes: every text type, and the types a ``.xml.gz`` sitemap is served as."""


def _acceptable(content_type: str | None, accept: Iterable[str] | None) -> bool:
    if content_type is None:
        return True  # many servers send none; the parsers decide
    wanted = tuple(accept) if accept is not None else ANY_SOURCE_TYPES
    return any(content_type.startswith(w) or content_type.endswith(w) for w in wanted)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds from now: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = parse_timestamp(value)
    return None if when is None else max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
