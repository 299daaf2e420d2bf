"""The TempEval-3 loader and scorer on a TimeML document small enough to check by hand.

No ../shared and no tagger needed: predictions are written here from the gold itself.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from eval.timex_tempeval import Document, Prediction, load, parse_timeml, score, value_kind

TIMEML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>TEST20010314.0001</DOCID>
<DCT><TIMEX3 tid="t0" type="TIME" value="2001-03-14T09:30" temporalFunction="false" functionInDocument="CREATION_TIME">03/14/2001 09:30</TIMEX3></DCT>
<TITLE>Ferry &amp; tug lost <TIMEX3 tid="t9" type="DATE" value="2001-03-12">Monday</TIMEX3></TITLE>
<TEXT>
HARBOURTON (XX) _ A ferry <EVENT eid="e1" class="OCCURRENCE">sank</EVENT> <TIMEX3 tid="t1" type="DATE" value="2001-03-12" temporalFunction="true" functionInDocument="NONE" anchorTimeID="t0">Monday</TIMEX3> after a storm that <EVENT eid="e2" class="OCCURRENCE">lasted</EVENT> <TIMEX3 tid="t2" type="DURATION" value="P3D" temporalFunction="false" functionInDocument="NONE">three days</TIMEX3>.

Ferries &amp; tugs <SIGNAL sid="s1">were</SIGNAL> back <TIMEX3 tid="t3" type="DATE" value="2001-03" temporalFunction="true" functionInDocument="NONE" anchorTimeID="t0">this month</TIMEX3>, and the port is open <TIMEX3 tid="t4" type="DATE" value="PRESENT_REF" temporalFunction="true" functionInDocument="NONE" anchorTimeID="t0">now</TIMEX3>.
</TEXT>
<TLINK lid="l1" relType="BEFORE" eventInstanceID="ei1" relatedToTime="t0"/>
</TimeML>
"""


@pytest.fixture
def document() -> Document:
    return parse_timeml(TIMEML, corpus="Test")


def oracle(document: Document) -> list[Prediction]:
    return [Prediction(g.start, g.end, g.text, g.value) for g in document.dates]


def test_loader_strips_tags_and_keeps_gold_offsets(document: Document) -> None:
    assert document.doc_id == "TEST20010314.0001"
    assert document.dct == date(2001, 3, 14)
    assert document.dct_value == "2001-03-14T09:30"
    assert "<" not in document.text
    assert "Ferries & tugs were back this month" in document.text
    assert "Ferry" not in document.text  # the TITLE is not TEXT, nor its timex
    assert [(t.tid, t.type, t.value, t.text) for t in document.timexes] == [
        ("t1", "DATE", "2001-03-12", "Monday"),
        ("t2", "DURATION", "P3D", "three days"),
        ("t3", "DATE", "2001-03", "this month"),
        ("t4", "DATE", "PRESENT_REF", "now"),
    ]
    for timex in document.timexes:
        assert document.text[timex.start : timex.end] == timex.text
    assert len(document.dates) == 3


def test_oracle_scores_perfectly(document: Document) -> None:
    result = score([(document, oracle(document))])["all"]
    for kind in ("strict", "lenient"):
        assert result[kind]["precision"] == result[kind]["recall"] == result[kind]["f1"] == 1.0
    assert result["value_accuracy"] == 1.0
    assert result["concrete_value_accuracy"] == 1.0
    assert result["concrete_valued"] == 2  # PRESENT_REF is not a calendar date
    assert (result["gold_dates"], result["predictions"], result["other_type"]) == (3, 3, 0)
    assert result["strict"]["matched_gold"] == result["lenient"]["matched_predictions"] == 3
    assert result["offset_mismatches"] == 0
    assert score([(document, oracle(document))])["value_errors"] == []


def test_a_shifted_span_is_lenient_but_not_strict(document: Document) -> None:
    monday, *rest = oracle(document)
    start = monday.start - 2  # "A ferry sank Monday" → "k Monday"
    shifted = Prediction(start, monday.end, document.text[start : monday.end], monday.value)
    result = score([(document, [shifted, *rest])])["all"]
    assert result["lenient"]["precision"] == result["lenient"]["recall"] == 1.0
    assert result["strict"]["matched_gold"] == 2
    assert result["strict"]["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert result["strict"]["recall"] == pytest.approx(2 / 3, abs=1e-4)
    assert result["value_accuracy"] == 1.0  # values are judged on lenient matches


def test_a_prediction_on_a_duration_is_counted_apart(document: Document) -> None:
    duration = next(t for t in document.timexes if t.type == "DURATION")
    on_duration = Prediction(duration.start, duration.end, duration.text, "2001-03-11")
    result = score([(document, [*oracle(document), on_duration])])["all"]
    assert (result["predictions"], result["other_type"], result["scored_predictions"]) == (4, 1, 3)
    assert result["strict"]["precision"] == result["lenient"]["precision"] == 1.0
    assert result["value_accuracy"] == 1.0


def test_a_spurious_prediction_costs_precision_only(document: Document) -> None:
    start = document.text.index("storm")
    spurious = Prediction(start, start + 5, "storm", "2001")
    result = score([(document, [*oracle(document), spurious])])["all"]
    assert result["lenient"]["precision"] == 0.75
    assert result["lenient"]["recall"] == 1.0


def test_wrong_values_are_grouped_by_shape(document: Document) -> None:
    monday, month, now = oracle(document)
    predictions = [replace(monday, value="2001-03-19"), replace(month, value="2001"), now]
    result = score([(document, predictions)], errors=5)
    assert result["all"]["value_accuracy"] == pytest.approx(1 / 3, abs=1e-4)
    assert result["all"]["concrete_value_accuracy"] == 0.0
    assert result["all"]["value_accuracy_by_gold_kind"]["ref"] == {"n": 1, "correct": 1, "accuracy": 1.0}
    groups = {(g["gold_shape"], g["predicted_shape"]): g for g in result["value_errors"]}
    assert set(groups) == {("9999-99-99", "9999-99-99"), ("9999-99", "9999")}
    example = groups["9999-99-99", "9999-99-99"]["examples"][0]
    assert (example["text"], example["gold"], example["predicted"]) == ("Monday", "2001-03-12", "2001-03-19")


def test_sub_corpora_are_scored_apart(document: Document) -> None:
    other = replace(document, doc_id="other", corpus="Other")
    result = score([(document, oracle(document)), (other, [])])
    assert result["all"]["documents"] == 2
    assert result["all"]["lenient"]["recall"] == 0.5
    assert result["corpora"]["Test"]["lenient"]["f1"] == 1.0
    assert result["corpora"]["Other"]["lenient"]["recall"] == 0.0


def test_load_reads_folders_as_sub_corpora_and_skips_repeated_documents(tmp_path: Path) -> None:
    for folder in ("Alpha", "beta"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "doc.tml").write_text(TIMEML, encoding="utf-8")
    documents, skipped = load(tmp_path)
    assert [(d.doc_id, d.corpus) for d in documents] == [("TEST20010314.0001", "Alpha")]
    assert skipped == ["beta/doc.tml"]


def test_value_kinds() -> None:
    assert [value_kind(v) for v in ("1998-02-13", "1998-Q1", "1998-W07", "199", "PAST_REF", "P1W")] == [
        "day",
        "quarter/half",
        "week",
        "decade/century",
        "ref",
        "other",
    ]
