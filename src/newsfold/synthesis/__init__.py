"""Synthesis: a story's articles folded into one cited account.

:func:`synthesize` takes a story's articles and the copy links among them and returns a
:class:`~newsfold.model.StorySynthesis`: the facts with every article that states them
(:mod:`.facts`), an extractive account built from the best-supported facts, the quotes with
their speakers (:mod:`.quotes`), a timeline of dated events (:mod:`.timeline`, dates from
:mod:`.timex`), the people, organisations and places (:mod:`.entities`) and the discrepancies
between sources (:mod:`.discrepancies`).  Everything is offline and every sentence it prints
is a sentence some article printed, with its citations.

Photo captions removed from an article's text still count as what the outlet states (RFI
dates the MEK's arrival in a caption), so they join the facts, never the account.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date
from typing import TYPE_CHECKING

from newsfold.model import (
    AccountSentence,
    Article,
    Citation,
    CopyLink,
    DatePrecision,
    Fact,
    Quote,
    StorySynthesis,
)
from newsfold.synthesis.discrepancies import find_discrepancies, find_name_discrepancies
from newsfold.synthesis.disjoint import DisjointSet
from newsfold.synthesis.entities import story_entities
from newsfold.synthesis.facts import (
    ANCHOR_MIN_COSINE,
    COMPARED_WORDINGS,
    FactGroup,
    Sentence,
    cosine,
    fact_id,
    group_facts,
    independent_count,
    to_fact,
    weigh,
)
from newsfold.synthesis.language import MAX_CHARS, english
from newsfold.synthesis.quotes import find_quotes
from newsfold.synthesis.timeline import build_timeline, period_start, story_anchor
from newsfold.synthesis.timex import find_temporal_expressions
from newsfold.text import split_sentences

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["ACCOUNT_SENTENCES", "synthesize"]

ACCOUNT_SENTENCES = 8
"""Sentences in the consolidated account unless the caller asks for another length."""
ACCOUNT_REDUNDANCY = 0.35
"""An account sentence this close (cosine) to one already chosen would say it again."""
MIN_ACCOUNT_WORDS = 8
TOLD_ANCHORS = 0.8
"""A wording whose names and figures are this much (by rarity) in a chosen fact adds nothing new."""
COVERAGE_BONUS = 1.0
"""What each source not yet cited adds to a fact's weight when the account is chosen."""
STRONGER_COMPARED = 50
"""A chosen fact is checked for repeating this many of the weightiest facts at most."""


def synthesize(
    story_id: str,
    articles: list[Article],
    links: list[CopyLink] | tuple[CopyLink, ...] = (),
    *,
    account_sentences: int = ACCOUNT_SENTENCES,
    chronological: bool = False,
) -> StorySynthesis:
    """Fold ``articles`` (one story's) into a cited account; ``links`` say which are copies of which.

    The account is in story order (what the reports lead with first) unless ``chronological``:
    then by when what each sentence tells happened (see :func:`_in_time_order`)."""
    articles = sorted(articles, key=_oldest_first)
    citation_of = _citations(articles, links)
    sentences = _sentences(articles)
    weigh(sentences)
    groups = group_facts(sentences)
    facts = [to_fact(group, citation_of) for group in groups]
    account = _account(groups, facts, account_sentences)
    anchor = story_anchor(articles)
    anchors: dict[str, date | None] = {
        a.id: a.published.date() if a.published is not None else anchor for a in articles
    }
    # small batches: the default (256) held ~1.6 GB at 500 articles and was no faster (bench)
    docs = list(english().pipe((a.text[:MAX_CHARS] for a in articles), batch_size=16))
    quotes = _quotes(articles, docs, citation_of)
    entities = story_entities([(citation_of[a.id], doc) for a, doc in zip(articles, docs, strict=True)])
    return StorySynthesis(
        story_id=story_id,
        account=_in_time_order(account, anchors) if chronological else account,
        facts=tuple(sorted(facts, key=lambda f: -f.sources)),
        quotes=tuple(quotes),
        timeline=tuple(build_timeline(sentences, anchors, citation_of, groups)),
        entities=tuple(entities),
        discrepancies=(
            *find_discrepancies(groups, citation_of),
            *find_name_discrepancies(groups, citation_of, entities),
        ),
        articles=len(articles),
        sources=independent_count(list(citation_of.values())),
    )


def _oldest_first(article: Article) -> tuple[bool, str, str, str, str]:
    """Dated articles oldest first, undated ones after them (ISO strings compare as times do).

    Ties go by outlet, then text: an article's id follows where its file lay, so breaking ties
    by id would let the same reports fold into a different account when the folder moves."""
    when = article.published
    stamp = when.astimezone(UTC).isoformat() if when else ""
    return (when is None, stamp, article.source_name, article.text_hash or article.text, article.id)


def _citations(articles: list[Article], links: list[CopyLink] | tuple[CopyLink, ...]) -> dict[str, Citation]:
    """Each article's citation; a copy names the original of its copy family.

    A family is every article connected by copy links (a wire story, its copies and rewrites of
    them); its original is the member that copies nobody, or the earliest if links disagree.
    """
    ids = [a.id for a in articles]
    families = DisjointSet(ids)
    copies = set()
    for link in links:
        if link.article_id in families and link.original_id in families:
            families.union(link.article_id, link.original_id)
            copies.add(link.article_id)
    family_original: dict[str, str] = {}
    for article_id in ids:  # articles come oldest first
        family = families.find(article_id)
        current = family_original.get(family)
        if current is None or (current in copies and article_id not in copies):
            family_original[family] = article_id
    citations: dict[str, Citation] = {}
    for article in articles:
        original = family_original[families.find(article.id)]
        citations[article.id] = Citation(
            article.id, article.source_name, original if original != article.id else None
        )
    return citations


def _sentences(articles: list[Article]) -> list[Sentence]:
    sentences: list[Sentence] = []
    for article in articles:
        index = 0
        for paragraph in article.paragraphs:
            for text in split_sentences(paragraph[:MAX_CHARS]):
                sentences.append(Sentence(article.id, index, text))
                index += 1
        seen: set[str] = set()
        for removed in article.removed:
            if removed.reason == "caption" and removed.text not in seen:
                seen.add(removed.text)
                for text in split_sentences(removed.text):
                    sentences.append(Sentence(article.id, index, text, caption=True))
                    index += 1
    return sentences


@dataclass(slots=True)
class _Candidate:
    """A fact that could join the account, with what choosing among them needs."""

    weight: float
    position: int
    group: FactGroup
    fact: Fact
    wording: Sentence
    """The sentence the account would print (the fact's representative)."""
    roots: set[str]
    """The independent sources carrying it (a copy counts as its original)."""


def _account(groups: list[FactGroup], facts: list[Fact], length: int) -> tuple[AccountSentence, ...]:
    """The best-supported, most central facts, none saying another again, in story order.

    A fact's weight is the independent sources carrying it times how close it is to what the
    whole story is about (cosine with the story's centroid); the chosen ones are then ordered by
    where they first appear in the articles that carry them (news tells the newest first).
    """
    centroid: dict[str, float] = defaultdict(float)
    for group in groups:
        for sentence in group.sentences:
            for term, weight in sentence.vector.items():
                centroid[term] += weight
    candidates: list[_Candidate] = []
    for position, (group, fact) in enumerate(zip(groups, facts, strict=True)):
        body = [s for s in group.sentences if not s.caption]
        if not body or len(fact.text.split()) < MIN_ACCOUNT_WORDS or fact.text.endswith("?"):
            continue
        relevance = sum(cosine(s.vector, centroid) for s in body) / len(body)
        wording = next(s for s in body if s.text == fact.text and s.article_id == fact.article_id)
        roots = {x.copy_of or x.article_id for x in fact.citations}
        candidates.append(_Candidate(fact.sources * (0.5 + relevance), position, group, fact, wording, roots))
    by_weight = sorted(candidates, key=lambda c: (-c.weight, c.position))
    chosen: list[_Candidate] = []
    cited: set[str] = set()
    while candidates and len(chosen) < length:
        # a source the account does not cite yet makes a fact worth more: every outlet that
        # reported should be heard, not only the wire story everyone copied; but for what it
        # adds, never for its own telling of a better-supported fact
        best = max(
            candidates,
            key=lambda c: (c.weight + COVERAGE_BONUS * len(c.roots - cited), -c.position),
        )
        while True:  # of two tellings of one fact, the one more sources carry is printed
            rival = next(
                (
                    c
                    for c in by_weight[:STRONGER_COMPARED]
                    if _support(c) > _support(best) and c in candidates and _repeats(best, c)
                ),
                None,
            )
            if rival is None:
                break
            best = rival
        candidates.remove(best)
        if any(_repeats(best, other) for other in chosen):
            continue  # however many sources it would add: the account says each thing once
        chosen.append(best)
        cited |= best.roots
    chosen.sort(key=lambda c: min(s.index for s in c.group.sentences))
    return tuple(AccountSentence(c.fact.text, fact_id(c.group), c.fact.citations) for c in chosen)


def _in_time_order(
    account: tuple[AccountSentence, ...], anchors: dict[str, date | None]
) -> tuple[AccountSentence, ...]:
    """The account ordered by when what each sentence tells happened, oldest first.

    A sentence is dated by the earliest calendar date it names (resolved against its article's
    publication date: "on Wednesday", "in 2014"); one that names none is taken to tell of the
    latest date the account has named before it (a reaction, a denial: news tells them after
    the event they answer).  Equal dates keep story order.  News leads with the latest turn; a chronology reads better for a
    story told over months (a trial, an election), which is why it is the reader's choice.
    """
    keyed: list[tuple[date, int, AccountSentence]] = []
    latest = date.min
    for position, sentence in enumerate(account):
        first = sentence.citations[0].article_id if sentence.citations else ""
        dates = [
            period_start(expression.value)
            for expression in find_temporal_expressions(sentence.text, anchors.get(first))
            if expression.calendar and expression.precision != DatePrecision.DECADE
        ]
        if dates:
            latest = max(latest, min(dates))
        keyed.append((min(dates) if dates else latest, position, sentence))
    return tuple(sentence for _, _, sentence in sorted(keyed, key=lambda item: item[:2]))


def _support(candidate: _Candidate) -> tuple[int, int]:
    """How widely a fact is carried: independent sources, then articles."""
    return candidate.fact.sources, len(candidate.fact.citations)


def _repeats(a: _Candidate, b: _Candidate) -> bool:
    """Whether either of two facts' printed wordings says again what the other fact says."""
    return _restates(a.wording, b.group) or _restates(b.wording, a.group)


def _restates(wording: Sentence, other: FactGroup) -> bool:
    """Whether a fact's wording says again what another fact already says.

    It does when it is close in words to a wording of the other, or when it shares words with
    one and names no one, no place, day or figure that the other's wordings do not
    ("Harbourline said on Tuesday that data on about 2.3 million customers had been taken"
    after "Harbourline Bank ... said on Tuesday that hackers had stolen personal data belonging
    to about 2.3 million customers ..."): it adds nothing a reader could tell apart.  A shared
    figure alone is not enough: "they left on Thursday after they were given 24 hours" tells
    what "he gave them 24 hours to leave" does not.
    """
    theirs = other.sentences[:COMPARED_WORDINGS]
    closeness = [cosine(wording.vector, o.vector) for o in theirs]
    if max(closeness) >= ACCOUNT_REDUNDANCY:
        return True
    anchors = {**wording.names, **{"#" + f: w for f, w in wording.figures.items()}}
    if not anchors or max(closeness) < ANCHOR_MIN_COSINE:
        return False
    told = {t for o in theirs for t in (*o.names, *("#" + f for f in o.figures))}
    return sum(w for t, w in anchors.items() if t in told) >= TOLD_ANCHORS * sum(anchors.values())


@dataclass(slots=True)
class _QuoteSightings:
    """One quote as seen in several articles, before the sightings are folded into a :class:`Quote`."""

    text: str
    sentence: str
    words: str
    """The quote's words, lower case, single-spaced, without punctuation: how quotes compare."""
    attributed: bool = False
    """Some article attributes it (a cue, a speaker, or a whole sentence)."""
    speakers: list[str] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)
    citations: dict[str, Citation] = field(default_factory=dict)


def _quotes(articles: list[Article], docs: list[Doc], citation_of: dict[str, Citation]) -> list[Quote]:
    """Quotes of all articles, the same words from several outlets merged into one with all citations.

    The speaker is the one most outlets name (a wire copy that drops "Rama said" does not
    make the quote anonymous), at a tie the fuller name, then the first given; the cue is the
    one most outlets give, the first at a tie.  Quoted words that
    an article does not attribute count as that quote when another outlet's attributed quote
    holds them (or they hold it), so the quote cites every outlet that prints it; otherwise
    they are no quote.
    """
    merged: dict[str, _QuoteSightings] = {}
    for article, doc in zip(articles, docs, strict=True):
        for mention in find_quotes(doc.text, doc, bare=True):
            words = _quote_words(mention.text)
            if not words:
                continue
            seen = merged.setdefault(
                words, _QuoteSightings(mention.text.strip(), mention.sentence.strip(), words)
            )
            seen.attributed = seen.attributed or not mention.bare
            if mention.speaker:
                seen.speakers.append(mention.speaker)
            if mention.cue:
                seen.cues.append(mention.cue)
            seen.citations.setdefault(article.id, citation_of[article.id])
    attributed = [seen for seen in merged.values() if seen.attributed]
    for seen in merged.values():
        if not seen.attributed:
            holder = next(
                (a for a in attributed if _holds(a.words, seen.words) or _holds(seen.words, a.words)), None
            )
            if holder is not None:
                for article_id, citation in seen.citations.items():
                    holder.citations.setdefault(article_id, citation)
    quotes = [
        Quote(
            seen.text,
            max(dict.fromkeys(seen.speakers), key=lambda s: (seen.speakers.count(s), len(s)))
            if seen.speakers
            else None,
            max(dict.fromkeys(seen.cues), key=seen.cues.count) if seen.cues else None,
            tuple(seen.citations.values()),
            seen.sentence,
        )
        for seen in attributed
    ]
    # a quote printed whole by one outlet and in part by another has one speaker
    spoken = [(q, _quote_words(q.text)) for q in quotes if q.speaker]
    for index, quote in enumerate(quotes):
        if quote.speaker is None:
            words = _quote_words(quote.text)
            for other, other_words in spoken:
                if _holds(other_words, words) or _holds(words, other_words):
                    quotes[index] = replace(quote, speaker=other.speaker, cue=quote.cue or other.cue)
                    break
    quotes.sort(key=lambda q: -len(q.citations))
    return quotes


def _quote_words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _holds(longer: str, shorter: str) -> bool:
    """Whether the words ``shorter`` stand, whole, among the words ``longer``."""
    return f" {shorter} " in f" {longer} "
