"""Synthesis: a story's articles folded into one cited account.

:func:`synthesize` takes a story's articles and the copy links among them and returns a
:class:`~newsfold.model.StorySynthesis`: the facts with every article that states them
(:mod:`.facts`), an extractive account built from the best-supported facts, the quotes with
their speakers (:mod:`.quotes`), a timeline of dated events (:mod:`.timeline`, dates from
:mod:`.timex`), the people, organisations and places (:mod:`.entities`) and the discrepancies
between sources.  Everything is offline and every sentence it prints is a sentence some article
printed, with its citations.

Photo captions removed from an article's text still count as what the outlet states (RFI
dates the MEK's arrival in a caption), so they join the facts, never the account.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date
from typing import TYPE_CHECKING

from newsfold.model import (
    AccountSentence,
    Article,
    Citation,
    CopyLink,
    Fact,
    Quote,
    StorySynthesis,
)
from newsfold.synthesis.disjoint import DisjointSet
from newsfold.synthesis.entities import story_entities
from newsfold.synthesis.facts import (
    FactGroup,
    Sentence,
    cosine,
    fact_id,
    find_discrepancies,
    find_name_discrepancies,
    group_facts,
    independent_count,
    to_fact,
    weigh,
)
from newsfold.synthesis.language import MAX_CHARS, english
from newsfold.synthesis.quotes import find_quotes
from newsfold.synthesis.timeline import build_timeline, story_anchor
from newsfold.text import split_sentences

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["ACCOUNT_SENTENCES", "synthesize"]

ACCOUNT_SENTENCES = 8
"""Sentences in the consolidated account unless the caller asks for another length."""
ACCOUNT_REDUNDANCY = 0.35
"""An account sentence this close (cosine) to one already chosen would say it again."""
MIN_ACCOUNT_WORDS = 8
COVERAGE_BONUS = 1.0
"""What each source not yet cited adds to a fact's weight when the account is chosen."""


def synthesize(
    story_id: str,
    articles: list[Article],
    links: list[CopyLink] | tuple[CopyLink, ...] = (),
    *,
    account_sentences: int = ACCOUNT_SENTENCES,
) -> StorySynthesis:
    """Fold ``articles`` (one story's) into a cited account; ``links`` say which are copies of which."""
    articles = sorted(articles, key=_oldest_first)
    citation_of = _citations(articles, links)
    sentences = _sentences(articles)
    weigh(sentences)
    groups = group_facts(sentences)
    facts = [to_fact(group, citation_of) for group in groups]
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
        account=_account(groups, facts, account_sentences),
        facts=tuple(sorted(facts, key=lambda f: -f.sources)),
        quotes=tuple(quotes),
        timeline=tuple(build_timeline(sentences, anchors, citation_of)),
        entities=tuple(entities),
        discrepancies=(
            *find_discrepancies(groups, citation_of),
            *find_name_discrepancies(groups, citation_of, entities),
        ),
        articles=len(articles),
        sources=independent_count(list(citation_of.values())),
    )


def _oldest_first(article: Article) -> tuple[bool, str, str]:
    """Dated articles oldest first, undated ones after them (ISO strings compare as times do)."""
    when = article.published
    return (when is None, when.astimezone(UTC).isoformat() if when else "", article.id)


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
    candidates = []
    for position, (group, fact) in enumerate(zip(groups, facts, strict=True)):
        body = [s for s in group.sentences if not s.caption]
        if not body or len(fact.text.split()) < MIN_ACCOUNT_WORDS or fact.text.endswith("?"):
            continue
        relevance = sum(cosine(s.vector, centroid) for s in body) / len(body)
        candidates.append((fact.sources * (0.5 + relevance), position, group, fact))
    chosen: list[tuple[int, FactGroup, Fact]] = []
    cited: set[str] = set()
    while candidates and len(chosen) < length:
        # a source the account does not cite yet makes a fact worth more: every outlet that
        # reported should be heard, not only the wire story everyone copied
        best = max(
            candidates,
            key=lambda c: (
                c[0] + COVERAGE_BONUS * len({x.copy_of or x.article_id for x in c[3].citations} - cited),
                -c[1],
            ),
        )
        candidates.remove(best)
        _, position, group, fact = best
        if any(
            cosine(s.vector, o.vector) >= ACCOUNT_REDUNDANCY
            for _, other, _ in chosen
            for s in group.sentences[:3]
            for o in other.sentences[:3]
        ):
            continue
        chosen.append((position, group, fact))
        cited |= {x.copy_of or x.article_id for x in fact.citations}
    chosen.sort(key=lambda c: min(s.index for s in c[1].sentences))
    return tuple(AccountSentence(fact.text, fact_id(group), fact.citations) for _, group, fact in chosen)


@dataclass(slots=True)
class _QuoteSightings:
    """One quote as seen in several articles, before the sightings are folded into a :class:`Quote`."""

    text: str
    sentence: str
    speakers: list[str] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)
    citations: dict[str, Citation] = field(default_factory=dict)


def _quotes(articles: list[Article], docs: list[Doc], citation_of: dict[str, Citation]) -> list[Quote]:
    """Quotes of all articles, the same words from several outlets merged into one with all citations.

    The speaker is the one most outlets name (a wire copy that drops "Rama said" does not
    make the quote anonymous).
    """
    merged: dict[str, _QuoteSightings] = {}
    for article, doc in zip(articles, docs, strict=True):
        for mention in find_quotes(doc.text, doc):
            key = " ".join(mention.text.casefold().split()).strip(".,;:!? ")
            seen = merged.setdefault(key, _QuoteSightings(mention.text.strip(), mention.sentence.strip()))
            if mention.speaker:
                seen.speakers.append(mention.speaker)
            if mention.cue:
                seen.cues.append(mention.cue)
            seen.citations[article.id] = citation_of[article.id]
    quotes = [
        Quote(
            seen.text,
            max(set(seen.speakers), key=lambda s: (seen.speakers.count(s), len(s)))
            if seen.speakers
            else None,
            max(set(seen.cues), key=seen.cues.count) if seen.cues else None,
            tuple(seen.citations.values()),
            seen.sentence,
        )
        for seen in merged.values()
    ]
    # a quote printed whole by one outlet and in part by another has one speaker
    attributed = [q for q in quotes if q.speaker]
    for index, quote in enumerate(quotes):
        if quote.speaker is None:
            folded_text = quote.text.casefold()
            for other in attributed:
                other_text = other.text.casefold()
                if folded_text in other_text or other_text in folded_text:
                    quotes[index] = replace(quote, speaker=other.speaker, cue=quote.cue or other.cue)
                    break
    quotes.sort(key=lambda q: -len(q.citations))
    return quotes
