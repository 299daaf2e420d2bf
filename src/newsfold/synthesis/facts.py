"""Facts: the same statement found in several articles, whatever the wording.

Every sentence of every article in a story is compared with the facts found so far, by cosine
of content-word vectors weighted by how rare each word is *in this story* (words every sentence
shares, like "Albania" in a story about Albania, say little about which statement it is).  A
sentence joins the fact it matches best above :data:`FACT_SIMILARITY`, else starts a new one;
an article contributes one sentence per fact.  Verbatim copies, edited copies and paraphrases
land in one fact; an independent report of the same statement does too, which is what lets a
reader see that three outlets, not one, say it.  Where they disagree is
:mod:`.discrepancies`.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from newsfold.model import Citation, Fact
from newsfold.text import FUNCTION_WORDS, fold_plural

FACT_SIMILARITY = 0.5
"""Cosine above which two sentences state the same fact (paraphrases of wire copy reach 0.6-0.9)."""
COMPARED_WORDINGS = 8
"""A sentence is compared with a fact's first wordings only: a wire fact carried by 500 copies
has few distinct wordings, and comparing with all of them made grouping quadratic."""
_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")
NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?!\w|[,.]\d)")
_ALNUM = re.compile(r"\w")
_NAMED_NUMBER = re.compile(r"\b([A-Z][\w'’-]*)\s+$")
"""A number right after a capitalised word is part of a name ("Highway 9", "Ashraf 3"), not a figure,
unless the word is a month ("July 15") or a word that opens a sentence ("Around 3,100", "In 2018")."""
_NOT_NAME_TEXT = """
    around roughly nearly almost some over under just only about more less fewer up between
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
"""
_NOT_NAMES = FUNCTION_WORDS | frozenset(_NOT_NAME_TEXT.split())
FIGURE_BOOST = 0.3
"""What two sentences giving the same figures add to their cosine: "since 2014 ... some 3,000"
told in other words is still one statement, and no two statements share figures by chance."""
NAME_BOOST = 0.1
"""What two sentences naming the same people, places and dates add to their cosine."""
ANCHOR_MIN_COSINE = 0.2
"""Shared names and figures count only between sentences whose words already agree this much:
a year or a name alone ("in 2018 ...", "Rama said ...") says what a sentence is about, not what it says."""


@dataclass(slots=True)
class Sentence:
    """A sentence of one article, with what comparing it needs."""

    article_id: str
    index: int
    text: str
    caption: bool = False
    terms: Counter[str] = field(default_factory=Counter)
    vector: dict[str, float] = field(default_factory=dict)
    figures: dict[str, float] = field(default_factory=dict)
    """The sentence's numbers, each weighted by its rarity in the story."""
    names: dict[str, float] = field(default_factory=dict)
    """Its capitalised words past the first (names, places, weekdays), weighted the same way."""


def content_terms(text: str) -> Counter[str]:
    words = (w.casefold().replace("’", "'").removesuffix("'s") for w in _WORD.findall(text))
    return Counter(fold_plural(w) for w in words if len(w) > 2 and w not in FUNCTION_WORDS)


def figures_and_names(text: str) -> tuple[set[str], set[str]]:
    """The numbers of ``text`` ("3,000" as "3000") and its capitalised words but the first."""
    figures = {
        m.group(1).replace(",", "") for m in NUMBER.finditer(text) if not is_named_number(text, m.start())
    }
    words = list(_WORD.finditer(text))
    if words and not _ALNUM.search(text, 0, words[0].start()):
        words = words[1:]  # the first word is capitalised whatever it is
    names = {
        m.group().casefold().replace("’", "'").removesuffix("'s")
        for m in words
        if m.group()[0].isupper() and m.group().casefold() not in FUNCTION_WORDS
    }
    return figures, names


def is_named_number(text: str, start: int) -> bool:
    """Whether the number at ``start`` is part of a name ("Highway 9", "Ashraf 3")."""
    name = _NAMED_NUMBER.search(text, 0, start)
    return name is not None and name[1].casefold() not in _NOT_NAMES


def weigh(sentences: list[Sentence]) -> None:
    """Fill each sentence's vector: sublinear TF × IDF over this story's sentences, L2-normalised;
    and its figures and names, each with its IDF."""
    df: Counter[str] = Counter()
    anchor_df: Counter[str] = Counter()
    found: list[tuple[set[str], set[str]]] = []
    for sentence in sentences:
        sentence.terms = content_terms(sentence.text)
        df.update(sentence.terms.keys())
        figures, names = figures_and_names(sentence.text)
        found.append((figures, names))
        anchor_df.update("#" + f for f in figures)
        anchor_df.update(names)
    total = len(sentences) or 1

    def idf(count: int) -> float:
        return math.log((total + 1) / (count + 0.5))

    for sentence, (figures, names) in zip(sentences, found, strict=True):
        weights = {t: (1 + math.log(c)) * idf(df[t]) for t, c in sentence.terms.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        sentence.vector = {t: w / norm for t, w in weights.items() if w > 0}
        sentence.figures = {f: w for f in figures if (w := idf(anchor_df["#" + f])) > 0}
        sentence.names = {n: w for n in names if (w := idf(anchor_df[n])) > 0}


def agreement(a: dict[str, float], b: dict[str, float]) -> float:
    """The weight two sides share over the weight of both (0 when either is empty): a figure
    one side gives and the other does not counts against, as "9,000 hectares, up from 6,200"
    is another statement than "6,200 hectares"."""
    if not a or not b:
        return 0.0
    shared = sum(w for t, w in a.items() if t in b)
    return shared / (sum(a.values()) + sum(b.values()) - shared)


def similarity(a: Sentence, b: Sentence) -> float:
    """Cosine of the words, raised when the two sentences also give the same figures and names.

    Independent reports of one statement keep its figures and names and change its words
    ("tense since 2014, when Albania sheltered some 3,000" / "tense relations since 2014, when
    Albania accepted some 3,000"); different statements about one thing share the names only.
    """
    score = cosine(a.vector, b.vector)
    if score < ANCHOR_MIN_COSINE:
        return score
    return score + FIGURE_BOOST * agreement(a.figures, b.figures) + NAME_BOOST * agreement(a.names, b.names)


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


@dataclass(slots=True)
class FactGroup:
    """A fact while it is being built: its sentences, one per article."""

    sentences: list[Sentence]
    centroid: dict[str, float]
    """The sum of the sentences' vectors (so a dot product with it sums cosines with all of them)."""
    articles: set[str] = field(default_factory=set)

    def add(self, sentence: Sentence) -> None:
        self.sentences.append(sentence)
        self.articles.add(sentence.article_id)
        for term, weight in sentence.vector.items():
            self.centroid[term] = self.centroid.get(term, 0.0) + weight


def group_facts(sentences: list[Sentence]) -> list[FactGroup]:
    """Sentences grouped into facts, in order of first appearance (sentences must be weighed).

    Each sentence joins the fact it is most similar to (:func:`similarity`), or starts one; an
    article says a thing once, so a sentence it repeats word for word (a caption printed twice)
    is left out.  Then a second look: a fact still of one sentence moves to the fact it is most
    similar to, as the fact that fits it may have been started only after it was read (a
    rewrite's sentence that is closest to a wire sentence read later).
    """
    groups: list[FactGroup] = []
    postings: dict[str, set[int]] = defaultdict(set)
    said: set[tuple[str, str]] = set()
    for sentence in sentences:
        if not sentence.vector:
            continue
        wording = (sentence.article_id, normalise_wording(sentence.text))
        if wording in said:
            continue  # a caption printed twice, a pull quote: the article says it once
        said.add(wording)
        best = _best_group(sentence, groups, postings)
        if best is None:
            best = len(groups)
            groups.append(FactGroup([], {}))
        groups[best].add(sentence)
        for term in sentence.vector:
            postings[term].add(best)
    for index, group in enumerate(groups):
        if len(group.sentences) != 1:
            continue
        (sentence,) = group.sentences
        best = _best_group(sentence, groups, postings, leaving=index)
        if best is not None:
            groups[best].add(sentence)
            group.sentences.clear()
            for term in sentence.vector:
                postings[term].add(best)
    return [group for group in groups if group.sentences]


def _best_group(
    sentence: Sentence, groups: list[FactGroup], postings: dict[str, set[int]], leaving: int | None = None
) -> int | None:
    """The fact ``sentence`` states, if any: the most similar one above :data:`FACT_SIMILARITY`
    without a sentence of its article (``leaving`` is the fact it is in, not a candidate)."""
    best, best_score = None, FACT_SIMILARITY
    for index in sorted({g for t in sentence.vector for g in postings.get(t, ())}):
        group = groups[index]
        if index == leaving or not group.sentences or sentence.article_id in group.articles:
            continue
        score = max(similarity(sentence, s) for s in group.sentences[:COMPARED_WORDINGS])
        if score > best_score or (best is None and score >= best_score):
            best, best_score = index, score
    return best


def normalise_wording(text: str) -> str:
    """A sentence as compared for being the same words: case, spacing and punctuation aside."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def fact_id(group: FactGroup) -> str:
    first = group.sentences[0]
    return "f" + hashlib.sha1(f"{first.article_id}:{first.index}".encode()).hexdigest()[:10]


def to_fact(group: FactGroup, citation_of: dict[str, Citation]) -> Fact:
    """The finished fact: its clearest wording (the sentence closest to all others) and who carries it."""
    members = group.sentences
    body = [s for s in members if not s.caption] or members
    representative = max(body, key=lambda s: (cosine(s.vector, group.centroid), -abs(len(s.text) - 180)))
    citations = tuple(citation_of[s.article_id] for s in members)
    outlets = {c.outlet for c in citations}
    return Fact(
        fact_id(group),
        representative.text,
        representative.article_id,
        citations,
        independent_count(citations),
        len(outlets) == 1,
        tuple(s.text for s in members if s is not representative and s.text != representative.text),
    )


def independent_count(citations: tuple[Citation, ...] | list[Citation]) -> int:
    """Sources that reported on their own: a copy counts once with its original."""
    return len({c.copy_of or c.article_id for c in citations})
