"""Related stories: stories that share what they are about, not a headline word or two.

Each recently active story gets a profile of content words from its members' headlines (counted
twice: a headline says what matters) and leads (their first paragraphs), each word counted once
per article that uses it.  Weights are TF-IDF over the indexed stories, so a word most stories use
("police", "million") counts for little and one that few share ("dockworker", "breach") for much.
The story being read adds its entity names (from its synthesis) to its side of the comparison.
Two stories are related when the cosine of their profiles reaches :data:`RELATED_SCORE`.

The index is built once per version of the store from the stories the front page ranks; a story's
profile is kept while that story is unchanged, so a new article costs one story's profile, and a
page view costs one pass over the profiles (a few hundred sparse dot products), never a read of
every story's text.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from newsfold.model import Article, StoryMember, StorySummary
from newsfold.stories.features import cosine
from newsfold.stories.features import terms as folded_words
from newsfold.text import MONTHS

PROFILE_ARTICLES = 12
"""Members read for a story's profile (its first ones: the original reports come first)."""
LEAD_PARAGRAPHS = 3
RELATED_SCORE = 0.3
"""Cosine at which two stories count as related: on the demo, stories on one subject score 0.5
to 0.7 and the closest unrelated pair under 0.3."""
ENTITY_WEIGHT = 2.0
"""How much more a word of one of the story's named people, organisations or places counts."""

# words every kind of story uses: they say when, not what (the clusterer's stop words already
# hold the weekdays and "year", "week", "first" …)
_CALENDAR = frozenset(MONTHS)

Profile = dict[str, float]
"""Content word → weight."""


def content_words(text: str) -> list[str]:
    """The words of ``text`` that can say what a story is about, folded as the clusterer folds them."""
    return [word for word in folded_words(text) if word not in _CALENDAR]


def story_terms(articles: Iterable[Article]) -> Counter[str]:
    """A story's raw profile: each word's weight summed over its articles (headline words count 2,
    lead words 1, once per article)."""
    terms: Counter[str] = Counter()
    for article in articles:
        weights: dict[str, float] = {}
        for paragraph in article.paragraphs[:LEAD_PARAGRAPHS]:
            weights.update(dict.fromkeys(content_words(paragraph), 1.0))
        weights.update(dict.fromkeys(content_words(article.title), 2.0))
        terms.update(weights)
    return terms


@dataclass(slots=True)
class RelatedIndex:
    """TF-IDF profiles of recently active stories."""

    terms: dict[str, Counter[str]]
    """Story id → raw profile."""
    summaries: dict[str, StorySummary]
    idf: dict[str, float]
    vectors: dict[str, Profile]

    @classmethod
    def build(
        cls,
        stories: Sequence[tuple[StorySummary, list[StoryMember]]],
        load: Callable[[list[str]], list[Article]],
        previous: RelatedIndex | None = None,
    ) -> RelatedIndex:
        """Index ``stories``; ``load`` reads articles by id.  Profiles of stories unchanged since
        ``previous`` are reused rather than read again."""
        terms: dict[str, Counter[str]] = {}
        summaries: dict[str, StorySummary] = {}
        for summary, members in stories:
            old = previous.summaries.get(summary.id) if previous else None
            if previous is not None and old == summary:
                terms[summary.id] = previous.terms[summary.id]
            else:
                terms[summary.id] = story_terms(load([m.article_id for m in members[:PROFILE_ARTICLES]]))
            summaries[summary.id] = summary
        count = len(terms)
        document_frequency: Counter[str] = Counter()
        for profile in terms.values():
            document_frequency.update(profile.keys())
        # a word only one story uses links it to nothing; leaving it out keeps the vectors small
        idf = {w: math.log((count + 1) / (n + 0.5)) for w, n in document_frequency.items() if n > 1}
        index = cls(terms, summaries, idf, {})
        index.vectors = {story_id: index.vector(profile) for story_id, profile in terms.items()}
        return index

    def vector(self, terms: Counter[str], boost: Iterable[str] = ()) -> Profile:
        """A unit-length TF-IDF vector of a raw profile; words in ``boost`` weigh more."""
        boosted = set(boost)
        weights = {
            word: (1 + math.log(count)) * self.idf[word] * (ENTITY_WEIGHT if word in boosted else 1.0)
            for word, count in terms.items()
            if word in self.idf
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {word: w / norm for word, w in weights.items()}

    def related(
        self,
        story_id: str,
        terms: Counter[str] | None = None,
        entities: Iterable[str] = (),
        limit: int = 5,
    ) -> list[tuple[float, StorySummary]]:
        """The stories most like ``story_id`` (best first, each with its score).  ``terms`` is its raw
        profile when it is not indexed (an older story); ``entities`` its named entities."""
        own = terms if terms is not None else self.terms.get(story_id)
        if not own:
            return []
        names = {word for name in entities for word in content_words(name)}
        query = self.vector(own, names)
        scored = []
        for other, vector in self.vectors.items():
            if other == story_id:
                continue
            score = cosine(query, vector)
            if score >= RELATED_SCORE:
                scored.append((score, self.summaries[other]))
        scored.sort(key=lambda s: (-s[0], -s[1].last_activity.timestamp(), s[1].id))
        return scored[:limit]
