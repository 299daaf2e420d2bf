"""The command line, end to end on a temporary SQLite store."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

from click.testing import CliRunner, Result

from newsfold.cli import cli
from newsfold.model import StoryAssignment, StoryMerge, StorySplit
from newsfold.store import Batch, open_store
from tests.conftest import make_article


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def test_seeds_fold_into_one_story_with_wire_copy_linked(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "n.db"
    assert run(db, "ingest", str(seeds_dir)).exit_code == 0
    stories = json.loads(run(db, "stories", "--json").output)
    assert len(stories) == 1
    assert len(stories[0]["article_ids"]) == 5
    story = json.loads(run(db, "story", stories[0]["id"], "--json").output)
    origin_of = {m["article_id"]: m for m in story["members"]}
    links = {(link["article_id"], link["original_id"]) for link in story["copy_links"]}
    by_file = {}
    for article_id in origin_of:
        shown = json.loads(run(db, "article", article_id, "--json").output)
        by_file[Path(shown["origin"]).name[:3]] = article_id
    assert (by_file["003"], by_file["001"]) in links or (by_file["001"], by_file["003"]) in links
    wire = next(
        link
        for link in story["copy_links"]
        if {link["article_id"], link["original_id"]} == {by_file["001"], by_file["003"]}
    )
    # the copy is 003 (a partial republication), its original the full AP text in 001
    assert (wire["kind"], wire["article_id"], wire["original_id"]) == (
        "wire_copy",
        by_file["003"],
        by_file["001"],
    )
    assert wire["copy_share"] == 1.0
    assert 0.3 < wire["original_share"] < 0.5
    copied = " ".join(span["copy"] for span in wire["spans"] if span["verbatim"])
    assert "a troubling precedent for cyberspace" in copied
    assert sum(len(span["copy"].split(". ")) for span in wire["spans"]) >= 5
    # the rewrite retells the AP text: linked to 001, and to 003 that copies part of it
    rewrites = {
        link["original_id"]: link for link in story["copy_links"] if link["article_id"] == by_file["000"]
    }
    assert set(rewrites) == {by_file["001"], by_file["003"]}
    rewrite = rewrites[by_file["001"]]
    assert rewrite["kind"] == "rewrite"
    # closer to 003's wording, but a listing names the original nearest the root, as the tree does
    assert origin_of[by_file["000"]]["relation"] == f"rewrite of {by_file['001']}"
    paraphrased = [span for span in rewrite["spans"] if not span["verbatim"]]
    assert len(paraphrased) > len(rewrite["spans"]) / 2
    independent = {by_file["002"], by_file["004"]}
    assert not any({link["article_id"], link["original_id"]} & independent for link in story["copy_links"])
    roots = {tree["article_id"]: tree for tree in story["lineage"]}
    assert set(roots) == {by_file["001"], by_file["002"], by_file["004"]}
    assert {(c["article_id"], c["kind"]) for c in roots[by_file["001"]]["copies"]} == {
        (by_file["003"], "wire_copy"),
        (by_file["000"], "rewrite"),
    }
    assert story["independent_sources"] == 3


def test_export_holds_every_story_with_its_links_and_lineage(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "n.db"
    run(db, "ingest", "-q", str(seeds_dir))
    exported = json.loads(run(db, "export", "--json").output)
    assert exported["format"] == "newsfold.export/2"
    [story] = exported["stories"]
    assert story == json.loads(run(db, "story", story["id"], "--json").output)
    assert {link["kind"] for link in story["copy_links"]} == {"wire_copy", "rewrite"}
    assert story["independent_sources"] == 3
    out = tmp_path / "export.json"
    assert run(db, "export", story["id"], "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["stories"][0]["id"] == story["id"]
    missing = CliRunner().invoke(cli, ["--db", str(db), "export", "nope"])
    assert missing.exit_code != 0
    assert "no story 'nope'" in missing.output


def test_ingest_is_idempotent(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "n.db"
    run(db, "ingest", "-q", str(seeds_dir))
    again = json.loads(run(db, "ingest", "--json", str(seeds_dir)).output)
    assert again["new"] == 0
    assert again["unchanged"] == 5
    assert len(json.loads(run(db, "stories", "--json").output)) == 1


def test_bad_files_are_reported_and_the_rest_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = "Lorem headline about the harbour\n\n" + " ".join(
        f"The harbour authority said on Tuesday that ship number {i} had docked safely at the pier."
        for i in range(6)
    )
    (folder / "good.txt").write_text(good, encoding="utf-8")
    (folder / "random.txt").write_bytes(os.urandom(4096))
    (folder / "empty.html").write_bytes(b"")
    (folder / "huge.html").write_bytes((b"<html><body>" + b"<p>x</p>" * 2_500_000)[:20_000_000])
    (folder / "latin1.txt").write_bytes(good.replace("harbour", "harbour café").encode("cp1252"))
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    (folder / "bomb.html.gz").write_bytes(gzip.compress(b"<p>" + b"a" * 30_000_000))
    report = json.loads(run(tmp_path / "n.db", "ingest", "--json", str(folder)).output)
    reasons = {Path(s["origin"]).name: s["reason"] for s in report["skipped"]}
    assert "binary" in reasons["random.txt"]
    assert reasons["empty.html"] == "empty file"
    assert "too large" in reasons["huge.html"]
    assert "invalid JSON" in reasons["broken.json"]
    assert "decompresses to more than" in reasons["bomb.html.gz"]
    assert report["new"] == 2  # good.txt and the cp1252 file, decoded with a warning
    assert any("not valid UTF-8" in w["message"] for w in report["warnings"])


def test_missing_story_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "n.db"), "story", "nope"])
    assert result.exit_code == 1
    assert "no story 'nope'" in result.output


def test_missing_path_is_reported(tmp_path: Path) -> None:
    report = json.loads(run(tmp_path / "n.db", "ingest", "--json", str(tmp_path / "absent")).output)
    assert report["skipped"][0]["reason"] == "no such file or folder"


def test_demo_never_replaces_a_named_database_silently(tmp_path: Path) -> None:
    db = tmp_path / "mine.db"
    db.write_bytes(b"precious")
    result = CliRunner().invoke(cli, ["--db", str(db), "demo", "--no-serve"])
    assert result.exit_code == 1
    assert "--replace" in result.output
    assert db.read_bytes() == b"precious"


def test_top_stories_count_independent_sources(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "n.db"
    run(db, "ingest", "-q", str(seeds_dir))
    (top,) = json.loads(run(db, "stories", "--top", "--json").output)
    assert top["articles"] == 5
    # AP (001, with its wire copy 003 and its rewrite 000), Reuters (002) and RFI (004)
    assert top["independent_sources"] == 3


def test_a_merged_story_id_shows_the_story_that_absorbed_it(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    first, second = (
        make_article([f"Report {n} on the Kovar flood."], url=f"https://a.example/{n}") for n in (1, 2)
    )
    with open_store(f"sqlite:///{db}") as store:
        batch = Batch(
            [
                (first, StoryAssignment(first.id, "sKept", 0.5, True, "new")),
                (second, StoryAssignment(second.id, "sGone", 0.5, True, "new")),
            ]
        )
        batch.merges = [StoryMerge("sKept", "sGone", 0.8, "bridged")]
        store.save(batch)
    shown = run(db, "story", "sGone")
    assert "sGone was merged into this story" in shown.output
    assert "sKept" in shown.output
    story = json.loads(run(db, "story", "sGone", "--json").output)
    assert (story["id"], story["merged_from"], story["articles"]) == ("sKept", ["sGone"], 2)


def test_a_split_story_names_the_story_holding_the_other_event_also_after_a_merge(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    sol, reyes, more = (
        make_article([f"Report {n} on the Brand title fights."], url=f"https://b.example/{n}")
        for n in (1, 2, 3)
    )
    with open_store(f"sqlite:///{db}") as store:
        store.save(
            Batch(
                [
                    (sol, StoryAssignment(sol.id, "sA", 0.5, True, "new")),
                    (reyes, StoryAssignment(reyes.id, "sB", 0.5, True, "split")),
                    (more, StoryAssignment(more.id, "sC", 0.5, True, "new")),
                ]
            )
        )
        batch = Batch()
        batch.splits = [StorySplit("sA", "sB", 0.72, "split from sA: two events (normalised cut 0.72)")]
        batch.merges = [StoryMerge("sC", "sB", 0.4, "a small story that fits it (0.40)")]
        store.save(batch)
    shown = run(db, "story", "sA", "--why")
    assert "Split apart from this story, as another event:\n  sC (normalised cut 0.72)" in shown.output
    assert "Split apart" not in run(db, "story", "sA").output  # only with --why
    story = json.loads(run(db, "story", "sB", "--json").output)  # sB resolves to sC, which took it in
    assert (story["id"], story["split_apart"]) == (
        "sC",
        [{"story": "sA", "ncut": 0.72, "reason": "split from sA: two events (normalised cut 0.72)"}],
    )


def test_a_store_that_cannot_be_opened_is_named_without_its_password() -> None:
    result = CliRunner().invoke(cli, ["--db", "postgresql://reader:s3cret@127.0.0.1:1/news", "stories"])
    assert result.exit_code == 1
    assert "cannot open the store at postgresql://reader:***@127.0.0.1:1/news" in result.output
    assert "s3cret" not in result.output
