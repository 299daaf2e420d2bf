"""A chronological account: sentences by when what they tell happened; undated ones after the
latest date named before them; the default keeps the order the reports lead with."""

from __future__ import annotations

from datetime import date

from newsfold.model import AccountSentence, Citation
from newsfold.synthesis import _in_time_order

PUBLISHED = {"harbour": date(2025, 10, 16), "ledger": date(2025, 10, 16)}  # a Thursday


def _sentence(text: str, article: str = "harbour") -> AccountSentence:
    return AccountSentence(text, text[:8], (Citation(article, article.title()),))


# in the order a news report leads with: the latest turn first, background further down
LEAD_FIRST = (
    _sentence("The council voted on Wednesday to close the old ferry pier for good."),
    _sentence("Residents protested outside the town hall after the vote."),
    _sentence("The pier was first closed for repairs in March 2023 after a storm damaged it.", "ledger"),
    _sentence("An engineers' report in 2024 found the piles beyond repair."),
    _sentence("The mayor said the decision was painful but unavoidable."),
)


def test_the_chronological_account_runs_from_the_oldest_event() -> None:
    ordered = [s.text.split()[1] for s in _in_time_order(LEAD_FIRST, PUBLISHED)]
    # 2023 and 2024 first; the vote (Wednesday 15 October 2025), then what answered it
    assert ordered == ["pier", "engineers'", "council", "protested", "mayor"]


def test_undated_sentences_follow_the_latest_date_named_before_them() -> None:
    ordered = [s.text for s in _in_time_order(LEAD_FIRST, PUBLISHED)]
    vote = ordered.index(LEAD_FIRST[0].text)
    assert ordered.index(LEAD_FIRST[1].text) > vote  # the protest answered the vote
    assert ordered.index(LEAD_FIRST[4].text) > vote  # and so did the mayor
    assert ordered.index(LEAD_FIRST[4].text) > ordered.index(LEAD_FIRST[1].text)  # story order kept


def test_an_account_that_names_no_date_keeps_its_order() -> None:
    undated = (_sentence("First thing said here."), _sentence("Second thing said here."))
    assert _in_time_order(undated, PUBLISHED) == undated
