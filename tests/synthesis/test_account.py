"""The account says each thing once, however many outlets tell it, and still hears every outlet."""

from __future__ import annotations

from datetime import UTC, datetime

from newsfold.model import Article, CopyKind, CopyLink
from newsfold.synthesis import synthesize
from tests.conftest import story_article

WHEN = datetime(2025, 5, 20, 9, tzinfo=UTC)

WIRE = [
    "Ardmore Bank, the Leeds-based lender, said on Tuesday that hackers had stolen personal data "
    "belonging to about 2.3 million customers after breaching a supplier that prints its letters.",
    "The stolen information includes names, home addresses and dates of birth, the bank said in a "
    "statement to the stock exchange.",
    "It said passwords and full card numbers were not affected and that no money had been taken.",
    "Ardmore is offering affected customers a year of free credit monitoring.",
    "The bank said it had reported the incident to the data protection regulator and to the police.",
]


def _article(ident: str, outlet: str, paragraphs: list[str]) -> Article:
    return story_article(ident, outlet, paragraphs, published=WHEN)


def test_a_fact_every_outlet_tells_in_its_own_words_is_told_once() -> None:
    wire = _article("w1", "Wire Service", WIRE)
    copy = _article("w2", "Daily Copy", WIRE)
    queues = _article(
        "q1",
        "Herald",
        [
            "Customers of Ardmore Bank spent much of Tuesday queuing at branches after the lender disclosed "
            "that personal details of about 2.3 million people had been stolen.",
            "At the main branch in Leeds a line of about 40 people stretched along the pavement by lunchtime.",
        ],
    )
    shares = _article(
        "s1",
        "Ledger",
        [
            "Ardmore said on Tuesday that data on about 2.3 million customers had been taken.",
            "Its shares closed down 5 per cent, the steepest fall among British lenders this year.",
        ],
    )
    links = [CopyLink("w2", "w1", CopyKind.WIRE_COPY, 0.99)]
    folded = synthesize("s", [wire, copy, queues, shares], links, account_sentences=5)
    told = [s.text for s in folded.account if "2.3 million" in s.text]
    assert told == [WIRE[0]]  # the wire's wording, which most articles carry
    cited = {c.outlet for s in folded.account for c in s.citations}
    assert {"Herald", "Ledger"} <= cited  # heard through what they add: the queues, the shares


def test_a_sentence_that_adds_no_one_no_day_and_no_figure_to_a_chosen_one_is_not_taken() -> None:
    wire = _article("w1", "Wire Service", WIRE)
    shares = _article(
        "s1",
        "Ledger",
        [
            "Ardmore said on Tuesday that hackers had stolen data through a firm it uses.",
            "Its shares closed down 5 per cent, the steepest fall among British lenders this year.",
        ],
    )
    folded = synthesize("s", [wire, shares], account_sentences=6)
    told = [s.text for s in folded.account]
    assert WIRE[0] in told
    assert shares.paragraphs[0] not in told  # the wire's lead says it, with the figure
    assert shares.paragraphs[1] in told  # what the Ledger adds is heard
