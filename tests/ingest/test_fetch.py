"""The fetcher against a real server on loopback: limits, timeouts, redirects, robots, SSRF."""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
import itertools
import time
import tracemalloc
import zlib
from typing import Any

import pytest

from newsfold.ingest.fetch import (
    Fetcher,
    FetchError,
    FetchPolicy,
    Response,
    is_allowed_address,
    parse_networks,
    retry_after_seconds,
)
from tests.ingest.server import Hit, Reply, Tally, TestServer, endless, gzip_bomb, trickle

LOOPBACK = parse_networks(["127.0.0.0/8"])


def _policy(**changes: Any) -> FetchPolicy:
    base: dict[str, Any] = {
        "allow_networks": LOOPBACK,
        "per_host_delay": 0.0,
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "total_timeout": 5.0,
    }
    return FetchPolicy(**{**base, **changes})


def _get(url: str, policy: FetchPolicy | None = None, **kwargs: Any) -> Response:
    async def run() -> Response:
        async with Fetcher(policy or _policy()) as fetcher:
            return await fetcher.get(url, **kwargs)

    return asyncio.run(run())


def _error(url: str, policy: FetchPolicy | None = None, **kwargs: Any) -> FetchError:
    with pytest.raises(FetchError) as caught:
        _get(url, policy, **kwargs)
    return caught.value


def test_a_page_comes_back_with_its_validators_and_our_user_agent(web: TestServer) -> None:
    web.serve(
        "/a",
        "<html><body><p>hello</p></body></html>",
        ETag='"v1"',
        **{"Last-Modified": "Mon, 02 Mar 2026 09:00:00 GMT"},
    )
    response = _get(web.url("/a"))
    assert (response.status, response.etag, response.content_type) == (200, '"v1"', "text/html")
    assert b"hello" in response.body
    [robots, page] = web.hits
    assert robots.path == "/robots.txt"
    assert page.path == "/a"
    assert page.headers["user-agent"].startswith("newsfold/")


def test_conditional_get_sends_the_validators_and_takes_a_304(web: TestServer) -> None:
    def conditional(hit: Any) -> Reply:
        if hit.headers.get("if-none-match") == '"v1"':
            return Reply(304, b"", content_type=None)
        return Reply(200, b"<p>fresh</p>", {"ETag": '"v1"'})

    web.routes["/feed"] = conditional
    assert _get(web.url("/feed")).status == 200
    again = _get(web.url("/feed"), etag='"v1"', last_modified="Mon, 02 Mar 2026 09:00:00 GMT")
    assert again.not_modified
    assert again.body == b""
    assert web.hits[-1].headers["if-modified-since"] == "Mon, 02 Mar 2026 09:00:00 GMT"


def test_server_errors_are_clear_and_carry_retry_after(web: TestServer) -> None:
    web.routes["/busy"] = lambda _hit: Reply(503, b"busy", {"Retry-After": "120"})
    error = _error(web.url("/busy"))
    assert (error.status, error.retry_after) == (503, 120.0)
    assert "HTTP 503" in error.reason


def test_a_slow_loris_is_cut_off_at_the_deadline(web: TestServer) -> None:
    web.routes["/slow"] = lambda _hit: Reply(200, trickle(chunks=100, pause=0.2))
    started = time.monotonic()
    error = _error(web.url("/slow"), _policy(total_timeout=1.0, read_timeout=5.0))
    assert time.monotonic() - started < 3
    assert "within 1 s" in error.reason


def test_a_server_that_never_answers_times_out(web: TestServer) -> None:
    web.routes["/hang"] = lambda _hit: (time.sleep(3), Reply(200, b"late"))[1]
    error = _error(web.url("/hang"), _policy(read_timeout=0.5))
    assert "timed out" in error.reason or "within" in error.reason


def test_a_50_mb_body_is_cut_at_the_limit_without_reading_it_all(web: TestServer) -> None:
    tally = Tally()
    web.routes["/huge"] = lambda _hit: Reply(200, endless(50 * 1024 * 1024, tally=tally))
    error = _error(web.url("/huge"), _policy(max_bytes=1024 * 1024))
    assert "passes the 1.0 MB limit" in error.reason
    # what newsfold read: the limit and at most one more network read (httpcore reads 64 KB at a time)
    assert error.bytes_read is not None
    assert 1024 * 1024 < error.bytes_read <= 1024 * 1024 + 64 * 1024
    # and the server stopped soon after: what it got out is the limit plus what the kernel's socket
    # buffers held when we hung up, nowhere near the 50 MB
    assert tally.over.wait(5)
    assert tally.sent < 16 * 1024 * 1024, tally.sent


def test_a_declared_oversized_body_is_refused_before_reading(web: TestServer) -> None:
    size = 50 * 1024 * 1024
    web.routes["/declared"] = lambda _hit: Reply(200, endless(size), {"Content-Length": str(size)})
    error = _error(web.url("/declared"), _policy(max_bytes=1024 * 1024))
    assert "over the 1.0 MB limit; not read" in error.reason


def test_a_gzip_bomb_is_refused(web: TestServer) -> None:
    bomb = gzip_bomb(64 * 1024 * 1024)
    assert len(bomb) < 200_000
    web.serve("/bomb", bomb, "text/html", **{"Content-Encoding": "gzip"})
    error = _error(web.url("/bomb"), _policy(max_bytes=2 * 1024 * 1024))
    assert "decompression bomb" in error.reason


def test_a_gzip_bomb_never_inflates_past_the_limit_in_memory(web: TestServer) -> None:
    # all of it arrives at once: one network read of 64 KB holds what inflates to 64 MB, so a check
    # after each decoded chunk (rather than while inflating) would already hold the 64 MB
    bomb = gzip_bomb(128 * 1024 * 1024)
    web.serve("/robots.txt", "", "text/plain")
    web.serve("/bomb", bomb, "text/html", **{"Content-Encoding": "gzip"})
    limit = 2 * 1024 * 1024

    async def run() -> tuple[FetchError, int]:
        async with Fetcher(_policy(max_bytes=limit)) as fetcher:
            await fetcher.get(web.url("/robots.txt"))  # connection and robots.txt out of the way
            tracemalloc.start()
            try:
                with pytest.raises(FetchError) as caught:
                    await fetcher.get(web.url("/bomb"))
                return caught.value, tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()

    error, peak = asyncio.run(run())
    assert "decompression bomb" in error.reason
    assert error.bytes_read is not None
    assert error.bytes_read <= len(bomb)
    assert peak < limit + 4 * 1024 * 1024, f"peak memory {peak:,} bytes"


@pytest.mark.parametrize(
    ("encoding", "pack"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),  # zlib-wrapped, as the RFC says
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send
        ("identity", lambda data: data),
    ],
)
def test_compressed_bodies_are_inflated(web: TestServer, encoding: str, pack: Any) -> None:
    page = b"<html><body>" + b"<p>The harbour board met on Monday.</p>" * 500 + b"</body></html>"
    web.serve("/page", pack(page), "text/html", **{"Content-Encoding": encoding})
    assert _get(web.url("/page")).body == page
    assert web.hits[-1].headers["accept-encoding"] == "gzip, deflate"  # never what we cannot bound


def test_an_unknown_content_encoding_is_refused(web: TestServer) -> None:
    web.serve("/page", b"\x1b\x00\x00", "text/html", **{"Content-Encoding": "br"})
    assert "unsupported Content-Encoding 'br'" in _error(web.url("/page")).reason
    web.serve("/broken", b"not gzip at all", "text/html", **{"Content-Encoding": "gzip"})
    assert "cannot decode" in _error(web.url("/broken")).reason


def test_a_gzip_file_is_accepted_when_any_source_type_is(web: TestServer) -> None:
    # `sources add` asks for no type in particular: a sitemap.xml.gz comes as a gzip file
    packed = gzip.compress(b"<urlset/>")
    web.serve("/sitemap.xml.gz", packed, "application/x-gzip")
    assert _get(web.url("/sitemap.xml.gz")).body == packed
    web.serve("/sitemap2.xml.gz", packed, "application/gzip")
    assert _get(web.url("/sitemap2.xml.gz")).body == packed


def test_redirects_are_followed_capped_and_loops_caught(web: TestServer) -> None:
    web.routes["/old"] = lambda _hit: Reply(301, b"", {"Location": "/new"})
    web.serve("/new", "<p>moved here</p>")
    assert _get(web.url("/old")).url == web.url("/new")
    web.routes["/ping"] = lambda _hit: Reply(302, b"", {"Location": "/pong"})
    web.routes["/pong"] = lambda _hit: Reply(302, b"", {"Location": "/ping"})
    assert "redirect loop" in _error(web.url("/ping")).reason
    for n in range(10):
        web.routes[f"/r{n}"] = lambda _hit, n=n: Reply(302, b"", {"Location": f"/r{n + 1}"})
    assert "more than 3 redirects" in _error(web.url("/r0"), _policy(max_redirects=3)).reason


def test_validators_follow_a_permanent_redirect_but_not_a_temporary_one(web: TestServer) -> None:
    def conditional(hit: Hit) -> Reply:
        if hit.headers.get("if-none-match") == '"v1"':
            return Reply(304, b"", content_type=None)
        return Reply(200, b"<p>feed</p>", {"ETag": '"v1"'})

    web.routes["/moved"] = lambda _hit: Reply(301, b"", {"Location": "/permanent"})
    web.routes["/permanent"] = lambda _hit: Reply(308, b"", {"Location": "/feed"})
    web.routes["/feed"] = conditional
    first = _get(web.url("/moved"))
    assert (first.status, first.url, first.moved_to) == (200, web.url("/feed"), web.url("/feed"))
    again = _get(web.url("/moved"), etag=first.etag)
    assert again.not_modified  # the ETag went where it came from, past the redirects
    assert again.moved_to == web.url("/feed")

    web.routes["/for-now"] = lambda _hit: Reply(302, b"", {"Location": "/feed"})
    temporary = _get(web.url("/for-now"), etag='"v1"')
    assert (temporary.status, temporary.moved_to) == (200, None)  # a 302 says nothing lasting
    assert "if-none-match" not in web.hits[-1].headers
    web.routes["/then-for-now"] = lambda _hit: Reply(301, b"", {"Location": "/for-now"})
    assert _get(web.url("/then-for-now")).moved_to == web.url("/for-now")


def test_robots_txt_is_honoured(web: TestServer) -> None:
    web.serve("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    web.serve("/private/page", "<p>secret</p>")
    web.serve("/public/page", "<p>open</p>")
    assert "robots.txt" in _error(web.url("/private/page")).reason
    assert "/private/page" not in web.paths()
    assert _get(web.url("/public/page")).status == 200


def test_a_redirected_robots_txt_is_followed(web: TestServer) -> None:
    web.routes["/robots.txt"] = lambda _hit: Reply(301, b"", {"Location": "/rules/robots.txt"})
    web.routes["/rules/robots.txt"] = lambda _hit: Reply(302, b"", {"Location": "/rules/v2/robots.txt"})
    web.serve("/rules/v2/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    web.serve("/private/page", "<p>secret</p>")
    web.serve("/public/page", "<p>open</p>")
    assert "disallowed by the site's robots.txt" in _error(web.url("/private/page")).reason
    assert "/private/page" not in web.paths()
    assert _get(web.url("/public/page")).status == 200


def test_a_robots_txt_redirecting_to_another_site_is_followed(web: TestServer) -> None:
    other = TestServer().start()  # another authority (port), as http:// → https:// would be
    try:
        other.serve("/robots.txt", "User-agent: *\nDisallow: /\n", "text/plain")
        web.routes["/robots.txt"] = lambda _hit: Reply(301, b"", {"Location": other.url("/robots.txt")})
        web.serve("/page", "<p>page</p>")
        assert "disallowed by the site's robots.txt" in _error(web.url("/page")).reason
        assert other.paths() == ["/robots.txt"]
    finally:
        other.stop()


def test_a_robots_txt_redirect_goes_through_the_address_check(web: TestServer) -> None:
    web.routes["/robots.txt"] = lambda _hit: Reply(302, b"", {"Location": "http://10.1.2.3/robots.txt"})
    web.serve("/page", "<p>page</p>")
    error = _error(web.url("/page"), _policy(connect_timeout=0.5))
    assert "cannot read robots.txt" in error.reason
    assert "not a public address" in error.reason
    assert "/page" not in web.paths()


def test_a_robots_txt_redirecting_in_a_loop_counts_as_absent(web: TestServer) -> None:
    web.routes["/robots.txt"] = lambda _hit: Reply(302, b"", {"Location": "/robots2.txt"})
    web.routes["/robots2.txt"] = lambda _hit: Reply(302, b"", {"Location": "/robots.txt"})
    web.serve("/page", "<p>page</p>")
    assert _get(web.url("/page")).status == 200
    assert web.paths().count("/robots.txt") <= 3  # a few hops, then given up: not forever


def test_an_unreadable_robots_txt_keeps_us_off_the_host(web: TestServer) -> None:
    web.routes["/robots.txt"] = lambda _hit: Reply(500, b"oops", content_type="text/plain")
    web.serve("/page", "<p>page</p>")
    assert "robots.txt" in _error(web.url("/page")).reason


def test_wrong_content_types_are_refused_before_the_body(web: TestServer) -> None:
    web.serve("/photo.jpg", b"\xff\xd8\xff" + bytes(1000), "image/jpeg")
    error = _error(web.url("/photo.jpg"))
    assert "unexpected content type 'image/jpeg'" in error.reason


def test_private_addresses_are_refused_unless_allowed(web: TestServer) -> None:
    web.serve("/a", "<p>hi</p>")
    error = _error(web.url("/a"), _policy(allow_networks=()))
    assert "not a public address" in error.reason
    assert web.hits == []  # refused before connecting
    web.routes["/jump"] = lambda _hit: Reply(302, b"", {"Location": "http://10.1.2.3/admin"})
    error = _error(web.url("/jump"), _policy(connect_timeout=0.5))
    assert "10.1.2.3" in error.reason
    assert "not a public address" in error.reason


def test_the_address_rule() -> None:
    def allowed(address: str, networks: tuple[str, ...] = ()) -> bool:
        return is_allowed_address(ipaddress.ip_address(address), parse_networks(networks))

    assert allowed("93.184.216.34")
    for address in (
        "127.0.0.1",
        "10.0.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "0.0.0.0",
        "::ffff:127.0.0.1",
        "100.64.0.1",
        "224.0.0.1",
    ):
        assert not allowed(address), address
    assert allowed("127.0.0.1", ("127.0.0.0/8",))
    assert not allowed("10.0.0.1", ("127.0.0.0/8",))
    with pytest.raises(ValueError, match="not a network"):
        parse_networks(["localhost"])


def test_per_host_delay_spaces_requests(web: TestServer) -> None:
    web.serve("/robots.txt", "", "text/plain")
    for n in range(3):
        web.serve(f"/p{n}", "<p>x</p>")

    async def run() -> None:
        async with Fetcher(_policy(per_host_delay=0.4)) as fetcher:
            await asyncio.gather(*(fetcher.get(web.url(f"/p{n}")) for n in range(3)))

    asyncio.run(run())
    # the fetcher spaces the starts it sends; the server sees them with a connection's jitter
    # (a loaded machine once failed a 0.25 s floor at a 0.3 s delay): slack for each gap, little for the span
    starts = sorted(h.at for h in web.hits if h.path.startswith("/p"))
    assert all(b - a >= 0.2 for a, b in itertools.pairwise(starts))
    assert starts[-1] - starts[0] >= 0.7


def test_per_host_concurrency_is_never_exceeded(web: TestServer) -> None:
    web.serve("/robots.txt", "", "text/plain")

    def slow(_hit: Hit) -> Reply:
        time.sleep(0.1)  # long enough for the requests to overlap if they were let through
        return Reply(200, b"<p>x</p>")

    for n in range(6):
        web.routes[f"/p{n}"] = slow

    async def run() -> None:
        async with Fetcher(_policy(per_host_concurrency=2)) as fetcher:
            await asyncio.gather(*(fetcher.get(web.url(f"/p{n}")) for n in range(6)))

    asyncio.run(run())
    assert web.most_at_once == 2  # two at a time (so the limit is reached), never three


def test_retry_after_reads_seconds_and_dates() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert retry_after_seconds("30") == 30.0
    assert retry_after_seconds("Mon, 02 Mar 2026 09:02:00 GMT", now) == 120.0
    assert retry_after_seconds("soon") is None
