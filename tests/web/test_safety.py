"""The reader's defences: the Host it answers to, GETs that change state only for its own pages,
links only to web URLs, error pages, login attempts limited, and request bodies capped as read."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import CliRunner
from fastapi import FastAPI
from fastapi.testclient import TestClient

from newsfold.cli import cli
from newsfold.store import open_store
from newsfold.web import create_app
from newsfold.web.auth import LOGIN_FAILURES, LOGIN_WINDOW, LoginThrottle, hash_password
from newsfold.web.forms import MAX_BODY_BYTES
from newsfold.web.middleware import BodyCap, trusted_hosts
from tests.web import reader_app, store_with
from tests.web.test_personal import _antwerp, _csrf, _token


@pytest.fixture
def writer(demo_url: str) -> Iterator[TestClient]:
    """The single-user reader over this test's own copy of the demo store."""
    with TestClient(reader_app(demo_url, accounts=False), follow_redirects=False) as test_client:
        yield test_client


# -- 2. DNS rebinding: only the server's own host names -------------------------------------


def test_a_foreign_host_gets_nothing_not_even_a_csrf_token(client: TestClient) -> None:
    story_id = _antwerp(client)
    rebound = client.get(f"/story/{story_id}", headers={"Host": "attacker.example"})
    assert rebound.status_code == 400
    assert "csrf" not in rebound.text
    assert "set-cookie" not in rebound.headers
    follow = client.post(
        "/follows",
        data={"csrf": "x" * 43, "kind": "entity", "value": "Antwerp", "mode": "follow"},
        headers={"Host": "attacker.example"},
    )
    assert follow.status_code == 400
    for host in ("localhost:8000", "127.0.0.1", "[::1]:8000", "testserver"):
        assert client.get("/static/style.css", headers={"Host": host}).status_code == 200, host


def test_testserver_and_other_names_answer_only_when_allowed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'n.db'}"
    with TestClient(create_app(url)) as default:
        assert default.get("/").status_code == 400  # a TestClient's Host is not localhost
        assert default.get("/", headers={"Host": "localhost"}).status_code == 200
    with TestClient(create_app(url, allowed_hosts=["news.example.org:443"])) as proxied:
        page = proxied.get("/", headers={"Host": "news.example.org"})
        assert page.status_code == 200
        assert 'href="http://news.example.org/static/style.css"' in page.text  # links use the real name
        assert proxied.get("/", headers={"Host": "evil.example.org"}).status_code == 400
    assert trusted_hosts(["::1", "10.0.0.5:8000", "[fe80::1]:80", "*.example.org", "LOCALHOST"]) == [
        "localhost",
        "127.0.0.1",
        "[::1]",
        "10.0.0.5",
        "[fe80::1]",
        "*.example.org",
    ]


def test_serve_answers_to_its_address_and_the_allowed_hosts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: dict[str, Any] = {}

    def run(app: FastAPI, **options: Any) -> None:
        served.update(app=app, **options)

    monkeypatch.setattr(uvicorn, "run", run)
    db = tmp_path / "n.db"
    args = ["--db", str(db), "serve", "--host", "192.0.2.7", "--allowed-host", "news.example.org"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    with TestClient(served["app"]) as client:
        for host, status in (
            ("news.example.org", 200),
            ("192.0.2.7:8000", 200),
            ("localhost", 200),
            ("evil.test", 400),
        ):
            assert client.get("/", headers={"Host": host}).status_code == status, host


# -- 3. opening a story marks it read, unless another site made the browser ask -------------


def _read(url: str, story_id: str) -> bool:
    with open_store(url) as store:
        return store.last_read(store.default_account().id, story_id) is not None


def test_a_cross_site_request_does_not_mark_a_story_read(writer: TestClient, demo_url: str) -> None:
    story_id = _antwerp(writer)
    for site in ("cross-site", "same-site"):
        assert writer.get(f"/story/{story_id}", headers={"Sec-Fetch-Site": site}).status_code == 200
        assert writer.get(f"/api/feed/{story_id}", headers={"Sec-Fetch-Site": site}).status_code == 200
    assert not _read(demo_url, story_id)
    assert writer.get(f"/story/{story_id}", headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200
    assert _read(demo_url, story_id)


def test_a_typed_address_or_a_script_marks_it_read(writer: TestClient, demo_url: str) -> None:
    top = writer.get("/api/stories", params={"top": True, "limit": 30}).json()
    typed, scripted = top[0]["id"], top[1]["id"]
    writer.get(f"/story/{typed}", headers={"Sec-Fetch-Site": "none"})
    writer.get(f"/api/feed/{scripted}")  # no Sec-Fetch-Site: not a browser
    assert _read(demo_url, typed)
    assert _read(demo_url, scripted)


# -- 4. only http(s) URLs become links -------------------------------------------------------


def test_a_javascript_url_is_shown_as_text_never_linked(tmp_path: Path) -> None:
    article = {
        "url": "javascript:alert(1)",
        "title": "Harbour fees rise",
        "source": "Quay Post",
        "published": "2026-03-02T09:00:00+00:00",
        "text": "Mooring fees at the marina will rise by a tenth in April, the harbour board announced. " * 3,
    }
    url = store_with(tmp_path, article)
    with TestClient(reader_app(url)) as client:
        [story] = client.get("/api/stories").json()
        [member] = client.get(f"/api/stories/{story['id']}").json()["members"]
        page = client.get(f"/article/{member['article_id']}").text
    assert "javascript:" in page  # shown, as text
    assert not re.search(r"href=\"\s*javascript:", page, re.IGNORECASE)
    assert 'class="original-link"' not in page
    assert '<span class="url"' in page


def test_a_web_url_is_the_original_link(client: TestClient) -> None:
    top = client.get("/api/stories", params={"top": True, "limit": 30}).json()
    members = client.get(f"/api/stories/{_antwerp(client)}").json()["members"]
    for member in members:
        article = client.get(f"/api/articles/{member['article_id']}").json()
        if article["url"] and article["url"].startswith("http"):
            page = client.get(f"/article/{member['article_id']}").text
            assert f'class="original-link" href="{article["url"]}"' in page
            break
    else:
        pytest.fail(f"no member of {top[0]['id']} has a web URL")


# -- 7. errors: pages for readers, JSON for the API ------------------------------------------


def test_readers_get_error_pages_and_the_api_json(client: TestClient) -> None:
    missing = client.get("/story/nope")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert '<header class="masthead">' in missing.text
    assert "no story nope" in missing.text
    assert "Content-Security-Policy" in missing.headers
    unknown = client.get("/no/such/page")
    assert unknown.status_code == 404
    assert '<section class="error-page"' in unknown.text
    stale = client.post("/follows", data={"csrf": "stale", "kind": "entity", "value": "A", "mode": "follow"})
    assert stale.status_code == 403
    assert "security token" in stale.text
    assert "<html" in stale.text
    bad = client.get("/feeds/search.atom", params={"q": "port", "since": "last week"})
    assert bad.status_code == 422
    assert "since" in bad.text
    assert "<html" in bad.text
    assert client.get("/api/stories/nope").json() == {"detail": "no story nope"}
    assert client.get("/api/search", params={"since": "x"}).json()["detail"][0]["loc"] == ["query", "since"]


# -- 11. login attempts limited; bodies capped while read ------------------------------------


def test_the_throttle_counts_names_and_addresses_within_a_window() -> None:
    now = [0.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    for _ in range(LOGIN_FAILURES):
        assert throttle.retry_after("alice", "10.0.0.1") == 0
        throttle.failed("alice", "10.0.0.1")
    assert throttle.retry_after("Alice", "10.0.0.9") == int(LOGIN_WINDOW) + 1  # the name, from anywhere
    assert throttle.retry_after("bob", "10.0.0.1") > 0  # the address, for any name
    assert throttle.retry_after("bob", "10.0.0.9") == 0
    now[0] = LOGIN_WINDOW / 2
    assert 0 < throttle.retry_after("alice", "10.0.0.9") <= LOGIN_WINDOW / 2 + 1
    throttle.succeeded("alice")  # a success clears the name, not the address
    assert throttle.retry_after("alice", "10.0.0.9") == 0
    assert throttle.retry_after("carol", "10.0.0.1") > 0
    now[0] = LOGIN_WINDOW + 1
    assert throttle.retry_after("carol", "10.0.0.1") == 0


@pytest.fixture
def accounts_url(demo_url: str) -> str:
    with open_store(demo_url) as store:
        store.create_account("alice", hash_password("alice-password"))
    return demo_url


def _log_in(client: TestClient, name: str, password: str) -> Any:
    page = client.get("/login").text
    return client.post("/login", data={"csrf": _csrf(page), "username": name, "password": password})


def test_logins_are_refused_after_five_failures(accounts_url: str) -> None:
    app = reader_app(accounts_url, accounts=True)
    with TestClient(app, follow_redirects=False, client=("10.0.0.1", 5000)) as guesser:
        for n in range(LOGIN_FAILURES):
            assert _log_in(guesser, "alice", f"guess {n}").status_code == 401
        refused = _log_in(guesser, "alice", "alice-password")  # even the right one: nothing is hashed
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 0
        assert "Too many failed logins" in refused.text
        assert _log_in(guesser, "nobody", "whatever").status_code == 429  # the address is limited too
    with TestClient(app, follow_redirects=False, client=("10.0.0.2", 5000)) as elsewhere:
        assert _log_in(elsewhere, "alice", "alice-password").status_code == 429  # and the name
        assert _log_in(elsewhere, "nobody", "whatever").status_code == 401


def _chunks(total: int, size: int = 1 << 20) -> Iterator[bytes]:
    chunk = b" " * size
    sent = 0
    while sent < total:
        yield chunk[: min(size, total - sent)]
        sent += size


def test_a_chunked_body_over_the_cap_is_refused_as_it_is_read(writer: TestClient, demo_url: str) -> None:
    token = {"Authorization": f"Bearer {_token(demo_url)}", "Content-Type": "application/json"}
    answer = writer.post("/api/ingest", content=_chunks(MAX_BODY_BYTES + 1), headers=token)
    assert answer.status_code == 413
    assert "content-length" not in {k.lower() for k in answer.request.headers}
    assert "passed" in answer.json()["detail"]
    form = writer.post(
        "/follows",
        content=_chunks(MAX_BODY_BYTES + 1),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 413
    assert "<html" in form.text  # a page's form gets a page
    small = writer.post(
        "/api/follows", content=iter([b'{"kind": "keyword", ', b'"value": "port strike"}']), headers=token
    )
    assert small.status_code == 200  # under the cap, a chunked body reads as usual


def _drive(
    app: Any, chunks: list[bytes], headers: list[tuple[bytes, bytes]] | None = None
) -> tuple[list[int], int]:
    """Send ``chunks`` to an ASGI app as one chunked request; the chunk sizes it read, and its status."""
    pending = [
        {"type": "http.request", "body": c, "more_body": n < len(chunks) - 1} for n, c in enumerate(chunks)
    ]
    handed: list[int] = []
    status: list[int] = []

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        more = True
        while more:
            message = await receive()
            handed.append(len(message["body"]))
            more = message["more_body"]
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def receive() -> Any:
        return pending.pop(0)

    async def send(message: Any) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers or []}
    asyncio.run(app(inner)(scope, receive, send))
    return handed, status[0]


def test_the_cap_counts_every_chunk_and_stops_reading_at_it() -> None:
    def capped(inner: Any) -> BodyCap:
        return BodyCap(inner, limit=100)

    assert _drive(capped, [b"x" * 60, b"x" * 40]) == ([60, 40], 200)
    handed, status = _drive(capped, [b"x" * 60] * 1000)
    assert status == 413
    assert handed == [60]  # the chunk that crossed the cap was never handed on, nor any after it
    handed, status = _drive(capped, [b"x" * 10], headers=[(b"content-length", b"101")])
    assert (handed, status) == ([], 413)  # a declared length over the cap: nothing is read
