"""`newsfold accounts` and `newsfold tokens`: made from the command line, used by the reader."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from fastapi.testclient import TestClient

from newsfold.cli import cli
from tests.web import reader_app


def _run(db: Path, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], input=stdin)


def test_an_account_made_on_the_command_line_logs_in(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    made = _run(db, "accounts", "add", "ada", "--password-stdin", "--json", stdin="correct horse\n")
    assert made.exit_code == 0, made.output
    assert json.loads(made.output)["name"] == "ada"
    again = _run(db, "accounts", "add", "ada", "--password-stdin", stdin="correct horse\n")
    assert again.exit_code == 1
    assert "already an account named 'ada'" in again.output
    short = _run(db, "accounts", "add", "bob", "--password-stdin", stdin="short\n")
    assert "at least 8 characters" in short.output
    assert [a["name"] for a in json.loads(_run(db, "accounts", "list", "--json").output)] == ["ada"]
    with TestClient(reader_app(f"sqlite:///{db}", accounts=True), follow_redirects=False) as client:
        page = client.get("/login").text
        csrf = page.split('name="csrf" value="')[1].split('"')[0]
        answer = client.post("/login", data={"csrf": csrf, "username": "ada", "password": "correct horse"})
        assert answer.status_code == 303
    changed = _run(db, "accounts", "passwd", "ada", "--password-stdin", stdin="battery staple\n")
    assert changed.exit_code == 0, changed.output


def test_a_token_is_shown_once_works_and_can_be_revoked(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    made = _run(db, "tokens", "create", "importer", "--json")
    token = json.loads(made.output)["token"]
    assert token.startswith("nf_")
    listed = json.loads(_run(db, "tokens", "list", "--json").output)
    assert [(t["label"], t["account"], t["last_used"]) for t in listed] == [("importer", "reader", None)]
    assert token not in _run(db, "tokens", "list").output
    headers = {"Authorization": f"Bearer {token}"}
    follow = {"kind": "keyword", "value": "harbour strike"}
    with TestClient(reader_app(f"sqlite:///{db}")) as client:
        assert client.post("/api/follows", json=follow, headers=headers).status_code == 200
    assert json.loads(_run(db, "tokens", "list", "--json").output)[0]["last_used"] is not None
    assert _run(db, "tokens", "revoke", "importer").exit_code == 0
    with TestClient(reader_app(f"sqlite:///{db}")) as client:
        assert client.post("/api/follows", json=follow, headers=headers).status_code == 401
    unknown = _run(db, "tokens", "create", "x", "--account", "nobody")
    assert "no account named 'nobody'" in unknown.output
