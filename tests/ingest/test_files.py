"""File ingest: which files are read, how JSON fields map, and that nothing raises on junk."""

from __future__ import annotations

import gzip
import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from newsfold.ingest import iter_input_files, read_path
from newsfold.ingest.files import parse_timestamp, split_front_matter
from newsfold.model import DocumentKind, RawDocument, Skipped


def test_folders_are_walked_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.html.gz").write_bytes(gzip.compress(b"<p>x</p>"))
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / "notes.pdf").write_text("x")
    found = list(iter_input_files([tmp_path]))
    files = [f.name for f in found if isinstance(f, Path)]
    skipped = [s for s in found if isinstance(s, Skipped)]
    assert files == ["a.txt", "two.html.gz"]
    assert len(skipped) == 1
    assert "unsupported file type .pdf" in skipped[0].reason


def test_jsonl_fields_become_hints(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        {
            "url": "https://a.example/1",
            "title": "T",
            "text": "Body",
            "published": "2025-03-04T09:30:00Z",
            "source": "A",
        },
        {"html": "<p>x</p>", "published": "Tue, 04 Mar 2025 10:00:00 +0100"},
        {"title": "no body"},
        "not an object",
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n{broken\n", encoding="utf-8")
    docs = list(read_path(path, 1_000_000))
    first, second = docs[0], docs[1]
    assert isinstance(first, RawDocument)
    assert (first.url, first.title, first.outlet, first.kind) == (
        "https://a.example/1",
        "T",
        "A",
        DocumentKind.TEXT,
    )
    assert first.published == datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
    assert first.origin.endswith("feed.jsonl#1")
    assert isinstance(second, RawDocument)
    assert second.kind is DocumentKind.HTML
    assert second.published is not None
    assert second.published.utcoffset() is not None
    reasons = [d.reason for d in docs[2:] if isinstance(d, Skipped)]
    assert len(reasons) == 3
    assert "no 'text' or 'html'" in reasons[0]
    assert "expected a JSON object" in reasons[1]
    assert "invalid JSON" in reasons[2]


def test_json_file_may_hold_a_list(tmp_path: Path) -> None:
    path = tmp_path / "two.json"
    path.write_text(json.dumps([{"text": "a"}, {"text": "b"}]), encoding="utf-8")
    docs = list(read_path(path, 1_000_000))
    assert [d.origin.rsplit("#", 1)[1] for d in docs] == ["1", "2"]


def test_bad_published_value_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"text": "a", "published": "last Tuesday-ish"}), encoding="utf-8")
    (doc,) = list(read_path(path, 1_000_000))
    assert isinstance(doc, RawDocument)
    assert doc.published is None
    assert "unreadable 'published'" in doc.warnings[0]


def test_size_limit_applies_to_plain_and_compressed_files(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    big.write_bytes(b"x" * 2000)
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"y" * 5000))
    for path in (big, bomb):
        (result,) = list(read_path(path, 1000))
        assert isinstance(result, Skipped)


@given(st.text(max_size=60))
def test_timestamp_parser_never_raises(value: str) -> None:
    parsed = parse_timestamp(value)
    assert parsed is None or parsed.tzinfo is not None


@given(st.binary(max_size=2000), st.sampled_from([".txt", ".html", ".json", ".jsonl", ".txt.gz"]))
def test_any_bytes_give_documents_or_reasons(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        for item in read_path(path, 1_000_000):
            assert isinstance(item, RawDocument | Skipped)


def test_a_text_file_s_front_matter_names_its_outlet_and_leaves_the_body(tmp_path: Path) -> None:
    path = tmp_path / "pasted.txt"
    path.write_bytes(b"---\nsource: Meridian Wire\ncolour: blue\n---\nHeadline here\n\nThe body.\n")
    (raw,) = list(read_path(path, 10_000))
    assert isinstance(raw, RawDocument)
    assert raw.outlet == "Meridian Wire"
    assert raw.body == b"Headline here\n\nThe body.\n"  # the block never reaches extraction
    assert raw.warnings == ["front matter: unknown key 'colour' ignored (known: source, outlet)"]


def test_a_rule_that_does_not_close_a_front_matter_block_is_text() -> None:
    for data in (b"---\nsource: A\nno closing rule", b"Headline\n---\nsource: A\n---\n", b"\n---\n---\n"):
        assert split_front_matter(data) == (data, None, [])
    # a block closed only after 20 lines is not front matter either
    late = b"---\n" + b"x: y\n" * 25 + b"---\nbody"
    assert split_front_matter(late) == (late, None, [])


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=80), st.binary(max_size=200))
def test_front_matter_never_loses_the_body(outlet: str, body: bytes) -> None:
    data = b"---\nsource: " + outlet.replace("\n", " ").encode() + b"\n---\n" + body
    rest, found, _ = split_front_matter(data)
    assert rest == body
    assert found == (outlet.replace("\n", " ").strip() or None)
