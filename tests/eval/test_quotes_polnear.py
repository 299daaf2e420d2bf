"""The PolNeAR quote evaluation's brat loader and scorer, on a tiny brat example written here.

Nothing here needs ../shared or newsfold's quote finder.
"""

from __future__ import annotations

import pytest
from eval.quotes_polnear import (
    GoldQuote,
    Prediction,
    gold_quotes,
    match,
    parse_brat,
    quote_regions,
    score,
    speaker_correct,
)

from eval import quotes_polnear

TEXT = (
    "Budget row in Tirana\n"
    "\n"
    "“We will build it,” said Edi Rama, the prime minister. He called the plan “a new start” for the city.\n"
    "\n"
    'The opposition said the tunnel was too costly. "Nothing will stop us," he added.\n'
)


def at(phrase: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(phrase, start + 1)
    return start, start + len(phrase)


def bound(tid: str, kind: str, *spans: tuple[int, int]) -> str:
    offsets = ";".join(f"{a} {b}" for a, b in spans)
    return f"{tid}\t{kind} {offsets}\t" + " ".join(TEXT[a:b] for a, b in spans)


ANN = "\n".join(
    [
        # E1: a whole-sentence quote, Content split in two around nothing but punctuation
        bound("T1", "Source", at("Edi Rama, the prime minister")),
        bound("T2", "Cue", at("said")),
        bound("T3", "Content", at("“We will"), at(" build it,”")),
        bound("T4", "Attribution", at("said")),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        # E2: reported speech with a partial quote; the Content leaves the closing mark out
        bound("T5", "Source", at("He")),
        bound("T6", "Cue", at("called")),
        bound("T7", "Content", (at("the plan")[0], at("a new start")[1])),
        bound("T8", "Attribution", at("called")),
        "E2\tAttribution:T8 Cue:T6 Source:T5 Content:T7",
        # E3: paraphrase only: no quote
        bound("T9", "Source", at("The opposition")),
        bound("T10", "Cue", at("said", 1)),
        bound("T11", "Content", at("the tunnel was too costly")),
        bound("T12", "Attribution", at("said", 1)),
        "E3\tAttribution:T12 Content:T11 Cue:T10 Source:T9",
        # E4: Content without the marks, given as a second Content argument
        bound("T13", "Source", at("he", 2)),
        bound("T14", "Cue", at("added")),
        bound("T15", "Content", at("Nothing will stop us,")),
        bound("T16", "Attribution", at("added")),
        "E4\tAttribution:T16 Cue:T14 Source:T13 Content2:T15",
        # noise brat files carry: a note, another span type, a span text running over a newline
        "#1\tAnnotatorNotes T3\tcheck this one",
        bound("T17", "Discard", at("Budget row in Tirana\n\n")),
        "",
        "E9\tAttribution-no-source:T99 Content:T98",
    ]
)


def quotes() -> list[GoldQuote]:
    return gold_quotes(TEXT, parse_brat(ANN))


def texts(spans: list[GoldQuote]) -> list[str]:
    return [TEXT[q.start : q.end] for q in spans]


def oracle() -> list[Prediction]:
    return [Prediction(q.start, q.end, TEXT[q.source[0][0] : q.source[0][1]], *q.source[0]) for q in quotes()]


def doc() -> quotes_polnear.Document:
    attributions = parse_brat(ANN)
    return quotes_polnear.Document("tiny", TEXT, "tiny_x.ann", attributions, gold_quotes(TEXT, attributions))


def test_brat_loader_reads_roles_fragments_and_skips_noise() -> None:
    attributions = {a.id: a for a in parse_brat(ANN)}
    assert sorted(attributions) == ["E1", "E2", "E3", "E4", "E9"]
    assert attributions["E1"].content == (at("“We will"), at(" build it,”"))
    assert attributions["E1"].source == (at("Edi Rama, the prime minister"),)
    assert attributions["E4"].content == (at("Nothing will stop us,"),)  # Content2 is a Content
    assert attributions["E9"].source == ()  # no source, and its spans are not in the file


def test_quote_regions_pair_marks_per_paragraph() -> None:
    text = 'A “b “c” d” e.\n"Open to the end\n”Backwards” and "straight"'
    regions = [text[a:b] for a, b in quote_regions(text)]
    assert regions == ["b “c” d", "Open to the end", "Backwards", "straight"]


def test_gold_quotes_are_the_quoted_material_of_contents() -> None:
    gold = quotes()
    assert texts(gold) == ["We will build it", "a new start", "Nothing will stop us"]
    assert [q.attribution for q in gold] == ["E1", "E2", "E4"]
    assert gold[0].source_text == "Edi Rama, the prime minister"
    assert [q.marks_in_content for q in gold] == [True, False, False]


def test_oracle_scores_one() -> None:
    result = score([doc()], [oracle()])
    for measure in ("quotes", "exact"):
        assert result[measure]["precision"] == result[measure]["recall"] == result[measure]["f1"] == 1.0
    speaker = result["speaker"]
    assert speaker["accuracy"] == speaker["precision"] == speaker["recall"] == 1.0
    assert speaker["correct"] == speaker["gold_with_source"] == 3


def test_a_half_overlapping_quote_matches_but_not_exactly() -> None:
    start, end = at("We will build it")
    gold = [(start, end)]
    assert match(gold, [(start + 8, end + 10)]) == [(0, 0)]  # 8 of its 18 characters, 8 of gold's 16
    assert match(gold, [(start + 9, end + 10)]) == []  # 7 of the 17 of gold: under half
    result = score([doc()], [[Prediction(start, start + 8), *oracle()[1:]]])
    assert result["quotes"]["recall"] == 1.0
    assert result["exact"]["matched"] == 2


def test_matching_is_one_to_one_largest_overlap_first() -> None:
    assert match([(0, 10), (12, 20)], [(0, 20)]) == [(0, 0)]
    assert match([(0, 10)], [(0, 6), (2, 10)]) == [(0, 1)]


def test_a_wrong_speaker_is_counted_wrong() -> None:
    predictions = oracle()
    he = at("The opposition")
    predictions[1] = Prediction(predictions[1].start, predictions[1].end, "The opposition", *he)
    predictions[2] = Prediction(predictions[2].start, predictions[2].end, None)
    result = score([doc()], [predictions], errors=5)
    speaker = result["speaker"]
    assert speaker["correct"] == 1
    assert speaker["predicted"] == 2
    assert speaker["precision"] == 0.5
    assert speaker["accuracy"] == pytest.approx(1 / 3, abs=1e-4)
    assert speaker["recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert result["quotes"]["f1"] == 1.0
    assert [e["predicted"] for e in result["errors"]["wrong_speaker"]] == ["The opposition"]
    assert [e["quote"] for e in result["errors"]["no_speaker"]] == ["Nothing will stop us"]


def test_a_resolved_name_is_judged_by_its_last_token() -> None:
    first, second, third = quotes()
    elsewhere = at("Tirana")
    # E1's Source is "Edi Rama, the prime minister": its first part ends with the surname
    assert speaker_correct(Prediction(first.start, first.end, "Edi Rama", *elsewhere), first)
    assert speaker_correct(Prediction(first.start, first.end, "Rama", None, None), first)
    assert not speaker_correct(Prediction(first.start, first.end, "Ilir Meta", *elsewhere), first)
    # E2's Source is "He": a resolved name cannot match it; the mention span can
    assert not speaker_correct(Prediction(second.start, second.end, "Edi Rama", *at("Edi Rama")), second)
    assert speaker_correct(Prediction(second.start, second.end, "Edi Rama", *at("He")), second)
    # overlap of one character is enough
    source = third.source[0]
    assert speaker_correct(Prediction(third.start, third.end, None, source[1] - 1, source[1] + 5), third)


def test_no_source_quotes_count_for_detection_only() -> None:
    start, end = at("Nothing will stop us")
    ann = f"T1\tContent {start} {end}\tNothing will stop us\nT2\tCue 0 1\tB\nE1\tAttribution-no-source:T2 Content:T1 Cue:T2"
    attributions = parse_brat(ann)
    document = quotes_polnear.Document(
        "tiny", TEXT, "tiny_x.ann", attributions, gold_quotes(TEXT, attributions)
    )
    result = score([document], [[Prediction(start, end, "Edi Rama", *at("Edi Rama"))]])
    assert result["quotes"]["f1"] == 1.0
    assert result["speaker"]["gold_with_source"] == result["speaker"]["predicted"] == 0
