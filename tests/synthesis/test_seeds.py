"""The seeds folded into one account: what issue 5 asks of them, through the CLI a reader uses."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsfold.cli import cli
from newsfold.store import open_store
from newsfold.synthesis import synthesize
from newsfold.synthesis.timeline import period_start
from tests.conftest import shared_path


@pytest.fixture(scope="module")
def folded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    seeds_dir = shared_path("seeds")  # skips without ../shared
    db = tmp_path_factory.mktemp("seeds") / "n.db"
    runner = CliRunner()
    runner.invoke(cli, ["--db", str(db), "ingest", "-q", str(seeds_dir)], catch_exceptions=False)
    [story] = json.loads(runner.invoke(cli, ["--db", str(db), "stories", "--json"]).output)
    result = runner.invoke(cli, ["--db", str(db), "story", story["id"], "--json"], catch_exceptions=False)
    document: dict[str, Any] = json.loads(result.output)
    return document


def test_the_account_cites_all_five_reports(folded: dict[str, Any]) -> None:
    cited = {c["article_id"] for sentence in folded["account"] for c in sentence["citations"]}
    assert cited == {m["article_id"] for m in folded["members"]}
    assert folded["sources_counted_once"] == 3  # the wire family counts once


def _quote(folded: dict[str, Any], words: str) -> dict[str, Any]:
    """The quote with these words that most outlets carry (a longer quote may hold them too)."""
    holding = [q for q in folded["quotes"] if words in q["text"]]
    assert holding, words
    assert len({q["speaker"] for q in holding}) == 1, holding  # one speaker, however much is quoted
    return max(holding, key=lambda q: len(q["citations"]))


def test_the_quotes_have_their_speakers(folded: dict[str, Any]) -> None:
    assert _quote(folded, "undeniable evidence")["speaker"] == "Edi Rama"
    assert _quote(folded, "troubling precedent for cyberspace")["speaker"] in {"United States", "US"}
    assert "Iran" in _quote(folded, "baseless claims")["speaker"]
    assert _quote(folded, "terrorist threats and conspiracies")["speaker"] == "MEK"
    assert len(_quote(folded, "undeniable evidence")["citations"]) >= 2


def test_the_timeline_dates_the_events(folded: dict[str, Any]) -> None:
    dates = {event["date"] for event in folded["timeline"]}
    assert {"2014", "2018", "2020", "2022-07-15", "2022-09-07", "2022-09-08"} <= dates
    ties_cut = [e for e in folded["timeline"] if e["date"] == "2022-09-07"]
    assert any("Wednesday" in e["expressions"] for e in ties_cut)  # read against 8 Sept 2022


def test_the_2013_2014_discrepancy_is_found_with_its_outlets(folded: dict[str, Any]) -> None:
    [discrepancy] = [
        d for d in folded["discrepancies"] if {v["value"] for v in d["variants"]} == {"2013", "2014"}
    ]
    by_value = {v["value"]: {c["article_id"] for c in v["citations"]} for v in discrepancy["variants"]}
    assert len(by_value["2013"]) == 1  # RFI alone
    assert len(by_value["2014"]) >= 2
    assert not by_value["2013"] & by_value["2014"]


def test_entities_name_the_people_places_and_organisations(folded: dict[str, Any]) -> None:
    kinds = {(e["name"], e["kind"]) for e in folded["entities"]}
    assert {("Edi Rama", "person"), ("Albania", "place"), ("Tirana", "place")} <= kinds
    rama = next(e for e in folded["entities"] if e["name"] == "Edi Rama")
    assert len(rama["citations"]) >= 3


def test_what_several_reports_tell_is_one_fact_one_quote_one_account_sentence(folded: dict[str, Any]) -> None:
    tensions = [f for f in folded["facts"] if "since 2014" in f["text"]]
    assert len(tensions) == 1  # Reuters' "accepted some 3,000" and AP's "sheltered some 3,000"
    assert len({c["article_id"] for c in tensions[0]["citations"]}) == 4
    assert len(_quote(folded, "terrorist threats and conspiracies")["citations"]) == 4
    assert not [q for q in folded["quotes"] if q["text"] == "Ashraf 3"]  # a camp's name, not speech
    wednesday = [s for s in folded["account"] if "Wednesday" in s["text"] and "Rama" in s["text"]]
    assert len(wednesday) == 1  # ties cut and diplomats told to leave, said once


def test_the_timeline_runs_by_when_each_period_starts(folded: dict[str, Any]) -> None:
    starts = [period_start(e["date"]) for e in folded["timeline"]]
    assert starts == sorted(starts)


def test_no_time_zone_or_language_is_an_entity(folded: dict[str, Any]) -> None:
    names = {e["name"] for e in folded["entities"]}
    assert not names & {"GMT", "Farsi", "People Mujahedeen"}


def test_the_chronological_account_tells_the_same_sentences_oldest_first(
    folded: dict[str, Any], tmp_path: Path
) -> None:
    db = tmp_path / "n.db"
    runner = CliRunner()
    runner.invoke(cli, ["--db", str(db), "ingest", "-q", str(shared_path("seeds"))], catch_exceptions=False)
    args = ["--db", str(db), "story", folded["id"], "--json", "--chronological"]
    told = json.loads(runner.invoke(cli, args, catch_exceptions=False).output)["account"]
    assert sorted(s["text"] for s in told) == sorted(s["text"] for s in folded["account"])
    assert "since 2014" in told[0]["text"]  # the background leads; the break with Iran follows
    order = [s["text"] for s in told]
    wednesday = next(n for n, text in enumerate(order) if "Wednesday" in text)
    assert any("July 15" in text for text in order[:wednesday])  # the attack before the break


def test_the_same_reports_fold_into_the_same_account_whatever_their_ids(tmp_path: Path) -> None:
    """An article's id follows where its file lay, so nothing an account says may follow the ids
    (CI's checkout once drew another lead sentence from the same five files than a session's)."""
    db = tmp_path / "n.db"
    CliRunner().invoke(
        cli, ["--db", str(db), "ingest", "-q", str(shared_path("seeds"))], catch_exceptions=False
    )
    with open_store(f"sqlite:///{db}") as store:
        articles = [article for article, _ in store.iter_articles()]
        links = store.copy_links(a.id for a in articles)
    by_outlet = sorted(articles, key=lambda a: a.source_name)
    accounts = []
    # ids that sort as the outlets do, then with each article in turn sorting last
    orders = [by_outlet, *([a for a in by_outlet if a is not last] + [last] for last in by_outlet)]
    for order in orders:
        renamed = {a.id: f"id{n}" for n, a in enumerate(order)}
        relabelled = [dataclasses.replace(a, id=renamed[a.id]) for a in articles]
        moved = [
            dataclasses.replace(
                link, article_id=renamed[link.article_id], original_id=renamed[link.original_id]
            )
            for link in links
        ]
        outlet_of = {a.id: a.source_name for a in relabelled}
        folded = synthesize("s", relabelled, moved)
        accounts.append(
            [(s.text, sorted(outlet_of[c.article_id] for c in s.citations)) for s in folded.account]
        )
    assert all(account == accounts[0] for account in accounts)
