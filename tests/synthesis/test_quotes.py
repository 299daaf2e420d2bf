"""Speaker rules of the quote finder, one invented sentence or two per rule."""

from __future__ import annotations

import pytest

from newsfold.synthesis.quotes import QuoteMention, find_quotes


def _quote(text: str, words: str) -> QuoteMention:
    """The one quote holding ``words``."""
    [quote] = [q for q in find_quotes(text) if words in q.text]
    return quote


def test_the_cue_after_a_quote_of_several_sentences() -> None:
    text = "The bridge opened in spring. “We will build it. It will be ready in May,” said Jane Porter."
    assert _quote(text, "ready in May").speaker == "Jane Porter"


def test_a_cue_the_parser_split_off_after_a_question_mark() -> None:
    text = "Tom Reyes spoke at the county fair on Sunday. “Who will pay for all of it?” he asks."
    assert _quote(text, "Who will pay").speaker == "Tom Reyes"


def test_a_quote_closed_by_a_full_stop_does_not_take_the_next_sentence_cue() -> None:
    text = "Ann Lee spoke first at the hearing. “The plan is sound and it is fair.” Critics said it was late."
    assert _quote(text, "plan is sound").speaker is None


def test_words_inside_a_quote_are_never_the_speaker() -> None:
    text = "“My reaction, that was outrageous,” the former campaign strategist said in an interview."
    quote = _quote(text, "My reaction")
    assert quote.speaker is not None
    assert "reaction" not in quote.speaker
    assert quote.speaker_start is not None
    assert quote.speaker_start > quote.end


def test_a_cue_inside_another_quote_is_not_the_cue() -> None:
    text = (
        'Senator Lena Ortiz said some voters were "angry." "I\'ll tell you, they will come around," '
        "Ortiz said."
    )
    assert _quote(text, "come around").speaker == "Lena Ortiz"


def test_transcript_labels_name_the_speaker_and_are_left_out_of_the_quote() -> None:
    text = (
        "Host Ada Harlow spoke with Senator Sam Brent on Sunday.\n"
        '"HARLOW: What happens next with the bill?\n'
        '"BRENT: We will wait and see what the House does.\n'
        '"HARLOW: Thank you for joining us today, Senator.'
    )
    quotes = find_quotes(text)
    assert [q.speaker for q in quotes] == ["Ada Harlow", "Sam Brent", "Ada Harlow"]
    assert quotes[1].text.startswith("We will wait")
    assert quotes[1].speaker_start is not None
    assert text[quotes[1].speaker_start : quotes[1].speaker_end] == "BRENT"


def test_a_lone_capitalised_heading_is_not_a_transcript_label() -> None:
    text = '"UPDATE: The road will stay closed for the whole of next week.'
    assert all(q.speaker is None for q in find_quotes(text))


def test_a_name_after_a_dash_is_the_speaker() -> None:
    text = (
        "“It changed my life for the better.” — Maria Olsen “I would do it all again.” — Peter Quist. Photo."
    )
    assert _quote(text, "changed my life").speaker == "Maria Olsen"
    assert _quote(text, "do it all again").speaker == "Peter Quist"


def test_a_quote_that_goes_on_after_its_attribution_keeps_the_speaker() -> None:
    text = "“We are ready,” said coach Dana Wells. “The team has trained all summer for this game.”"
    assert _quote(text, "trained all summer").speaker == "Dana Wells"


def test_a_quote_after_a_reporting_sentence_is_its_speaker() -> None:
    text = 'The budget will pass next week, Mayor Ray Tull said. "We have the votes and we have the time."'
    speaker = _quote(text, "we have the time").speaker
    assert speaker is not None
    assert speaker.endswith("Ray Tull")


def test_a_document_does_not_carry_on_to_the_next_quote() -> None:
    text = (
        'A statement by spokesman Leo Barr said the city "regrets" the delay. '
        '"The city will repair the road by the end of June."'
    )
    assert _quote(text, "repair the road").speaker is None


def test_the_outermost_speaker_of_nested_reported_speech() -> None:
    text = 'Senator Ada Moss said the governor called the plan "a disgrace."'
    assert _quote(text, "disgrace").speaker == "Ada Moss"


def test_a_verb_with_a_particle_is_not_a_cue_and_coordination_is_not_nesting() -> None:
    text = 'The match was called off "because of the storm and the flooding," the league said on Friday.'
    assert _quote(text, "storm").speaker == "league"


def test_a_date_is_not_the_speaker() -> None:
    text = "“We will find them,” Police Chief Omar Hale said Monday."
    assert _quote(text, "find them").speaker == "Omar Hale"


def test_the_cue_may_stand_in_the_paragraph_before_a_block_quote() -> None:
    text = 'Ravi Mehta told the council on Tuesday:\n"The bridge is unsafe and it must close at once."'
    assert _quote(text, "bridge is unsafe").speaker == "Ravi Mehta"


def test_the_cue_is_not_taken_from_another_paragraph() -> None:
    text = (
        "Mayor Ray Tull said the budget would pass.\n"
        '"It will take years to pay for all of this and more," wrote one reader in a letter.'
    )
    quote = _quote(text, "take years")
    assert quote.speaker != "Ray Tull"


def test_he_or_she_prefers_the_person_who_is_a_subject() -> None:
    text = (
        "Governor Anna Pike spoke to reporters after meeting Mayor Robert Lund. "
        'She said the talks had been "long but useful."'
    )
    assert _quote(text, "long but useful").speaker == "Anna Pike"


def test_a_closing_mark_that_opens_a_quote() -> None:
    text = "The square was full. ”We start today and we finish in May,” said Nora Quinn."
    assert _quote(text, "We start today").speaker == "Nora Quinn"


@pytest.mark.parametrize(
    "text",
    [
        "“Crime is down,” said Chief Omar Hale. “But we are not done.”",
        "“Crime is down,” Chief Omar Hale said. “But we are not done.”",
    ],
)
def test_a_short_continued_quote_is_kept(text: str) -> None:
    assert _quote(text, "not done").speaker == "Omar Hale"


def test_a_name_given_with_called_is_no_quote() -> None:
    text = 'After the council voted, the families were moved to a shelter called "Harbour House."'
    assert find_quotes(text) == []


def test_called_with_a_subject_of_its_own_still_reports_speech() -> None:
    text = "Ms Lee pointed to reports that Mayor Tom Hale called the harbour plan “a disgrace” in private."
    assert _quote(text, "disgrace").speaker == "Tom Hale"


def test_a_name_given_with_called_is_a_bare_quote_when_asked_for() -> None:
    text = 'After the council voted, the families were moved to a shelter called "Harbour House."'
    [quote] = find_quotes(text, bare=True)
    assert quote.bare
    assert quote.speaker is None


def test_a_short_name_is_not_made_the_tail_of_a_longer_one() -> None:
    text = (
        "The People's Mujahedeen Organisation of Iran held a rally in Paris. "
        "Iran said the claims were “baseless and absurd.”"
    )
    assert _quote(text, "baseless").speaker == "Iran"


def test_a_short_name_is_the_longer_name_of_its_kind_it_starts() -> None:
    text = "Harbourline Bank apologised on Tuesday. Harbourline said the breach was “deeply regrettable.”"
    assert _quote(text, "regrettable").speaker == "Harbourline Bank"
