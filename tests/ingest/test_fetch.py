"""The fetcher against a real server on loopback: limits, timeouts, redirects, robots, SSRF."""

from __future__ import annotations

import asyncio
import ipaddress
import itertools
import time
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
from tests.ingest.server import Reply, TestServer, endless, gzip_bomb, trickle

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
    web.serve("/a", "<html><body><p>hello</p></body></html>", ETag='"v1"', **{"Last-Modified": "Mon, 02 Mar 2026 09:00:00 GMT"})
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
    web.routes["/huge"] = lambda _hit: Reply(200, endless(50 * 1024 * 1024))
    error = _error(web.url("/huge"), _policy(max_bytes=1024 * 1024))
    assert "passes the 1.0 MB limit" in error.reason


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


def test_robots_txt_is_honoured(web: TestServer) -> None:
    web.serve("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    web.serve("/private/page", "<p>secret</p>")
    web.serve("/public/page", "<p>open</p>")
    assert "robots.txt" in _error(web.url("/private/page")).reason
    assert "/private/page" not in web.paths()
    assert _get(web.url("/public/page")).status == 200


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
    for address in ("127.0.0.1", "10.0.0.1", "192.168.1.1", "169.254.169.254", "::1", "fe80::1", "0.0.0.0",
                    "::ffff:127.0.0.1", "100.64.0.1", "224.0.0.1"):
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
        async with Fetcher(_policy(per_host_delay=0.3)) as fetcher:
            await asyncio.gather(*(fetcher.get(web.url(f"/p{n}")) for n in range(3)))

    asyncio.run(run())
    starts = sorted(h.at for h in web.hits if h.path.startswith("/p"))
    assert all(b - a >= 0.25 for a, b in itertools.pairwise(starts))


def test_retry_after_reads_seconds_and_dates() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert retry_after_seconds("30") == 30.0
    assert retry_after_seconds("Mon, 02 Mar 2026 09:02:00 GMT", now) == 120.0
    assert retry_after_seconds("soon") is None
