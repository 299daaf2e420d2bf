"""Which sentences are one fact: paraphrases that keep the figures, and nothing else."""

from __future__ import annotations

from newsfold.synthesis.facts import Sentence, group_facts, weigh


def _facts(*articles: list[str]) -> list[list[tuple[str, int]]]:
    """The facts of these articles (named a, b, c …), each as its (article, sentence) pairs."""
    sentences = [
        Sentence(chr(ord("a") + number), index, text)
        for number, texts in enumerate(articles)
        for index, text in enumerate(texts)
    ]
    weigh(sentences)
    return [[(s.article_id, s.index) for s in group.sentences] for group in group_facts(sentences)]


def test_an_independent_paraphrase_with_the_same_figures_is_the_same_fact() -> None:
    first = [
        "Relations between Norland and Vestria have been strained since 2011, when Norland took in "
        "some 4,500 refugees from the Ostmark war.",
        "The border crossing at Kell was closed to lorries on Friday morning.",
        "In 2018, customs officers in Kell seized a shipment of counterfeit medicines.",
    ]
    second = [
        "Vestria and Norland have had tense ties since 2011, when Norland accepted some 4,500 people "
        "fleeing the fighting in Ostmark.",
        "Ferry services to the islands were cancelled for a second day.",
        "In 2018 and 2020, Vestria expelled three Norland diplomats for spying.",
    ]
    facts = _facts(first, second)
    assert [("a", 0), ("b", 0)] in facts  # few words in common, but 2011 and 4,500 both
    assert [("a", 2)] in facts  # a year and a country in common say what it is about, not what
    assert [("b", 2)] in facts


def test_a_figure_one_side_adds_keeps_two_statements_apart() -> None:
    first = [
        "By Monday morning the fire had grown to 6,200 hectares, the wildfire service said.",
        "The wildfire service said the fire was burning out of control near the town.",
        "Crews from the wildfire service cut fire breaks around the town overnight.",
    ]
    second = [
        "The fire covered 9,000 hectares on Tuesday morning, up from 6,200 hectares a day earlier.",
        "The wildfire service said the fire had jumped the river on Tuesday.",
    ]
    assert [("b", 0)] in _facts(first, second)


def test_a_sentence_an_article_repeats_is_one_statement() -> None:
    caption = "Police officers stand guard outside the Vestrian embassy in Kell on Wednesday."
    article = [caption, "The embassy staff were given two days to leave the country.", caption, caption]
    assert _facts(article) == [[("a", 0)], [("a", 1)]]


def test_a_sentence_read_before_its_fact_began_joins_it() -> None:
    # b is not close enough to a, but to c, which is read after b and joins a: a second look
    facts = _facts(
        [
            "Ardmore Bank, the Leeds-based lender, said on Tuesday that hackers had stolen data on about "
            "2.3 million customers after breaking into a supplier that prints its letters and statements "
            "for branches across the north.",
            "Shares in the bank fell 4% in early trading.",
        ],
        ["Ardmore said on Tuesday that data on about 2.3 million customers had been taken."],
        [
            "Ardmore Bank said on Tuesday that hackers had stolen data on about 2.3 million customers "
            "after breaking into a supplier.",
            "The bank's shares fell in early trading.",
        ],
    )
    assert [("a", 0), ("c", 0), ("b", 0)] in facts
