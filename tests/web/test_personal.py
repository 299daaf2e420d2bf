"""The personal feed, follows, what's new since a reader's last visit, accounts, CSRF and the
token-guarded write API, all through the ASGI app over a copy of the demo store."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from newsfold.store import open_store
from newsfold.web.auth import hash_password, new_api_token, token_hash
from tests.web import reader_app

FOLLOW_UP = {
    "url": "https://harbour-gazette.example.test/antwerp-strike-talks",
    "title": "Antwerp port strike: mediator Hilde Wouters calls both sides to talks",
    "source": "Harbour Gazette",
    "published": "2025-03-04T18:00:00+00:00",
    "text": (
        "ANTWERP — The mediator appointed after thousands of dockworkers at the port of Antwerp walked "
        "off the job, Hilde Wouters, said on Tuesday she would meet the General Union of Dock Workers "
        "and the Scheldt Port Employers' Association on Thursday.\n\n"
        '"Both sides have told me they want a deal before the weekend," Wouters said in a statement. '
        "The 48-hour strike halted container handling at Europe's second-largest port and left 41 "
        "container vessels waiting at anchor in the North Sea.\n\n"
        "The union is seeking a 6.5% pay rise over two years; employers have offered 3.2%. The port "
        "authority said 17 more ships had diverted to Rotterdam and Zeebrugge on Tuesday."
    ),
}


@pytest.fixture
def client(demo_url: str) -> Iterator[TestClient]:
    """The reader over this test's own copy of the demo store (these tests write to it)."""
    # a form post answers with a redirect; following it would render (and synthesise) a page per post
    with TestClient(reader_app(demo_url, accounts=False), follow_redirects=False) as test_client:
        yield test_client


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def _antwerp(client: TestClient) -> str:
    top = client.get("/api/stories", params={"top": True, "limit": 30}).json()
    return next(s["id"] for s in top if "Antwerp" in s["title"] and s["outlets"] >= 3)


def _token(url: str, account: str | None = None) -> str:
    token = new_api_token()
    with open_store(url) as store:
        owner = store.account(account) if account else store.default_account()
        assert owner is not None
        store.add_api_token(token_hash(token), owner.id, "test")
    return token


def test_follow_an_entity_from_a_story_page_fills_the_feed(client: TestClient) -> None:
    empty = client.get("/feed").text
    assert 'id="feed-empty"' in empty
    story_id = _antwerp(client)
    page = client.get(f"/story/{story_id}").text
    entity = re.search(r'<form class="follow"[^>]*data-kind="entity" data-value="([^"]+)"', page)
    assert entity, "the story page offers to follow its entities"
    answer = client.post(
        "/follows",
        data={
            "csrf": _csrf(page),
            "kind": "entity",
            "value": entity.group(1),
            "mode": "follow",
            "next": f"/story/{story_id}",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/story/{story_id}"
    feed = client.get("/feed").text
    assert f'data-story="{story_id}"' in feed
    assert 'id="feed-empty"' not in feed
    assert f'data-kind="entity" data-value="{entity.group(1)}" data-mode="follow"' in feed
    [item] = [s for s in client.get("/api/feed").json() if s["id"] == story_id]
    assert item["because"] == [
        {"kind": "entity", "value": entity.group(1), "mode": "follow", "since": item["because"][0]["since"]}
    ]


def test_htmx_gets_the_follow_buttons_back_in_their_new_state(client: TestClient) -> None:
    story_id = _antwerp(client)
    page = client.get(f"/story/{story_id}").text
    answer = client.post(
        "/follows",
        data={"csrf": _csrf(page), "kind": "story", "value": story_id, "mode": "follow"},
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver/story/{story_id}"},
    )
    assert answer.status_code == 200
    assert answer.text.startswith('<form class="follow"')
    assert ">Following</button>" in answer.text
    assert f'name="next" value="/story/{story_id}"' in answer.text  # back to the page, not /follows
    assert client.get("/vendor/htmx.min.js").status_code == 200
    assert 'src="http://testserver/vendor/htmx.min.js"' in page


def test_mute_takes_a_story_out_and_unfollow_drops_the_rule(client: TestClient) -> None:
    story_id = _antwerp(client)
    csrf = _csrf(client.get("/feed").text)
    for mode, kind, value in (("follow", "keyword", "dockworkers"), ("mute", "story", story_id)):
        client.post("/follows", data={"csrf": csrf, "kind": kind, "value": value, "mode": mode})
    ids = [s["id"] for s in client.get("/api/feed").json()]
    assert ids, "the keyword brings stories"
    assert story_id not in ids
    client.post("/follows", data={"csrf": csrf, "kind": "story", "value": story_id, "mode": "unfollow"})
    assert story_id in [s["id"] for s in client.get("/api/feed").json()]
    assert [f["kind"] for f in client.get("/api/follows").json()] == ["keyword"]


def test_forms_without_the_csrf_token_are_refused(client: TestClient) -> None:
    client.get("/search")  # the first visit sets the CSRF cookie
    for data in ({}, {"csrf": "forged-token-forged-token-forged-token"}):
        answer = client.post(
            "/follows", data={**data, "kind": "entity", "value": "Antwerp", "mode": "follow"}
        )
        assert answer.status_code == 403
    fresh = TestClient(client.app)  # no cookie at all: even a correct-looking token is refused
    assert (
        fresh.post(
            "/follows", data={"csrf": "x" * 43, "kind": "entity", "value": "A", "mode": "follow"}
        ).status_code
        == 403
    )
    assert client.get("/api/follows").json() == []


def test_bad_follow_values_get_clear_errors(client: TestClient) -> None:
    csrf = _csrf(client.get("/feed").text)
    bad_kind = client.post(
        "/follows", data={"csrf": csrf, "kind": "planet", "value": "Mars", "mode": "follow"}
    )
    assert bad_kind.status_code == 422
    assert "cannot follow a 'planet'" in html.unescape(bad_kind.text)  # an error page, in the site's layout
    too_long = client.post(
        "/follows", data={"csrf": csrf, "kind": "keyword", "value": "x" * 201, "mode": "follow"}
    )
    assert too_long.status_code == 422
    elsewhere = client.post(
        "/follows",
        data={"csrf": csrf, "kind": "keyword", "value": "port", "mode": "follow", "next": "//evil.example/x"},
        follow_redirects=False,
    )
    assert elsewhere.headers["location"] == "/"  # never an open redirect


def test_whats_new_since_the_last_visit(client: TestClient, demo_url: str) -> None:
    story_id = _antwerp(client)
    first = client.get(f"/story/{story_id}").text
    assert 'id="since-last-read"' not in first  # a first visit has nothing to compare with
    assert client.get(f"/api/feed/{story_id}").json()["since_last_read"]["new_articles"] == []
    token = _token(demo_url)
    report = client.post(
        "/api/ingest", json={"articles": [FOLLOW_UP]}, headers={"Authorization": f"Bearer {token}"}
    )
    assert report.status_code == 200
    assert report.json()["new"] == 1
    page = client.get(f"/story/{story_id}").text
    assert 'id="since-last-read"' in page
    assert "Harbour Gazette" in page.split('id="since-last-read"')[1].split("</section>")[0]
    again = client.get(f"/api/feed/{story_id}").json()["since_last_read"]
    assert again["new_articles"] == []  # the page visit marked it read


def test_whats_new_lists_new_outlets_facts_and_quotes(client: TestClient, demo_url: str) -> None:
    story_id = _antwerp(client)
    client.get(f"/api/feed/{story_id}")  # a visit
    client.post(
        "/api/ingest", json={"articles": [FOLLOW_UP]}, headers={"Authorization": f"Bearer {_token(demo_url)}"}
    )
    since = client.get(f"/api/feed/{story_id}").json()["since_last_read"]
    assert len(since["new_articles"]) == 1
    assert since["new_outlets"] == ["Harbour Gazette"]
    assert any("17 more ships" in f["text"] for f in since["new_facts"])
    assert any("deal before the weekend" in q["text"] for q in since["new_quotes"])
    assert not any("6.5%" in f["text"] for f in since["new_facts"])  # other outlets already said it


def test_write_endpoints_need_a_token(client: TestClient, demo_url: str) -> None:
    source = {"url": "https://news.example.test/feed.xml", "kind": "feed"}
    assert client.post("/api/sources", json=source).status_code == 401
    assert client.post("/api/ingest", json={"articles": [FOLLOW_UP]}).status_code == 401
    assert client.post("/api/follows", json={"kind": "entity", "value": "Antwerp"}).status_code == 401
    wrong = {"Authorization": "Bearer nf_not-a-real-token"}
    assert client.post("/api/sources", json=source, headers=wrong).status_code == 401
    good = {"Authorization": f"Bearer {_token(demo_url)}"}
    made = client.post("/api/sources", json=source, headers=good)
    assert made.status_code == 201
    assert made.json()["kind"] == "feed"
    assert client.post("/api/sources", json=source, headers=good).status_code == 409
    assert (
        client.post(
            "/api/sources", json={"url": "file:///etc/passwd", "kind": "feed"}, headers=good
        ).status_code
        == 422
    )
    assert (
        client.post("/api/follows", json={"kind": "entity", "value": "Antwerp"}, headers=good).status_code
        == 200
    )
    assert (
        client.delete("/api/follows", params={"kind": "entity", "value": "Antwerp"}, headers=good).status_code
        == 200
    )
    assert (
        client.delete("/api/follows", params={"kind": "entity", "value": "Antwerp"}, headers=good).status_code
        == 404
    )
    assert [s["url"] for s in client.get("/api/sources").json()] == [source["url"]]


def test_ingest_reports_bad_articles_and_keeps_the_good(client: TestClient, demo_url: str) -> None:
    good = {"Authorization": f"Bearer {_token(demo_url)}"}
    answer = client.post(
        "/api/ingest",
        json={"articles": [{"title": "no body"}, FOLLOW_UP, {"text": "too short"}]},
        headers=good,
    )
    report = answer.json()
    assert report["new"] == 1
    reasons = [s["reason"] for s in report["skipped"]]
    assert any("no 'text' or 'html'" in r for r in reasons)
    assert len(reasons) == 2
    assert client.post("/api/ingest", json={"articles": []}, headers=good).status_code == 422


@pytest.fixture
def accounts_app(demo_url: str) -> Iterator[TestClient]:
    with open_store(demo_url) as store:
        for name in ("alice", "bob"):
            store.create_account(name, hash_password(f"{name}-password"))
    with TestClient(
        reader_app(demo_url, accounts=True, open_registration=False), follow_redirects=False
    ) as test_client:
        yield test_client


def _log_in(client: TestClient, name: str, password: str) -> int:
    page = client.get("/login").text
    answer = client.post(
        "/login",
        data={"csrf": _csrf(page), "username": name, "password": password, "next": "/feed"},
        follow_redirects=False,
    )
    return answer.status_code


def test_accounts_need_a_login_for_the_feed(accounts_app: TestClient) -> None:
    answer = accounts_app.get("/feed", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")
    assert accounts_app.get("/api/feed").status_code == 401
    assert 'class="follow"' not in accounts_app.get(f"/story/{_antwerp(accounts_app)}").text
    assert _log_in(accounts_app, "alice", "wrong password") == 401
    assert _log_in(accounts_app, "nobody", "whatever1") == 401
    assert _log_in(accounts_app, "alice", "alice-password") == 303
    cookie = accounts_app.cookies.get("newsfold_session")
    assert cookie
    store = accounts_app.app.state.reader.store  # type: ignore[attr-defined]
    assert store.session(cookie, datetime.now(UTC)) is None  # the store keeps only the cookie's hash
    assert store.session(token_hash(cookie), datetime.now(UTC)) is not None
    assert accounts_app.get("/feed").status_code == 200


def test_each_account_has_its_own_follows_and_logout_ends_the_session(accounts_app: TestClient) -> None:
    assert _log_in(accounts_app, "alice", "alice-password") == 303
    page = accounts_app.get("/search").text
    accounts_app.post(
        "/follows", data={"csrf": _csrf(page), "kind": "keyword", "value": "dockworkers", "mode": "follow"}
    )
    assert [f["value"] for f in accounts_app.get("/api/follows").json()] == ["dockworkers"]
    accounts_app.post("/logout", data={"csrf": _csrf(accounts_app.get("/search").text)})
    assert accounts_app.get("/feed", follow_redirects=False).status_code == 303
    assert _log_in(accounts_app, "bob", "bob-password") == 303
    assert accounts_app.get("/api/follows").json() == []


def test_a_session_csrf_token_is_bound_to_the_session(accounts_app: TestClient) -> None:
    before = _csrf(accounts_app.get("/login").text)
    assert _log_in(accounts_app, "alice", "alice-password") == 303
    answer = accounts_app.post(
        "/follows", data={"csrf": before, "kind": "keyword", "value": "port", "mode": "follow"}
    )
    assert answer.status_code == 403  # the anonymous token does not work once logged in


def test_registration_is_closed_unless_opened(accounts_app: TestClient, demo_url: str) -> None:
    assert accounts_app.get("/register").status_code == 404
    with TestClient(reader_app(demo_url, accounts=True, open_registration=True)) as client:
        page = client.get("/register").text
        short = client.post(
            "/register",
            data={"csrf": _csrf(page), "username": "carol", "password": "short", "confirm": "short"},
        )
        assert short.status_code == 422
        assert "at least 8 characters" in short.text
        taken = client.post(
            "/register",
            data={
                "csrf": _csrf(page),
                "username": "alice",
                "password": "long enough",
                "confirm": "long enough",
            },
        )
        assert "is taken" in taken.text
        made = client.post(
            "/register",
            data={
                "csrf": _csrf(page),
                "username": "carol",
                "password": "long enough",
                "confirm": "long enough",
            },
            follow_redirects=False,
        )
        assert made.status_code == 303
        assert client.get("/feed").status_code == 200


def test_the_search_form_accepts_an_empty_date_and_explains_a_bad_one(client: TestClient) -> None:
    assert client.get("/search", params={"q": "dockworkers", "since": ""}).status_code == 200
    bad = client.get("/search", params={"q": "dockworkers", "since": "last week"})
    assert bad.status_code == 422
    assert "is not a date" in bad.text
    assert "results-articles" in bad.text  # still searched, without the date


def test_an_oversized_body_is_refused_before_it_is_read(client: TestClient, demo_url: str) -> None:
    good = {
        "Authorization": f"Bearer {_token(demo_url)}",
        "Content-Length": str(60 * 1024 * 1024),
        "Content-Type": "application/json",
    }
    answer = client.post("/api/ingest", content=b"{}", headers=good)
    assert answer.status_code == 413
    assert "at most" in answer.json()["detail"]
