"""What the clusterer compares: weighted content terms and named-entity mentions.

Terms are lower-cased words without stop words, the headline counted twice because a headline
names the event.  Entities are runs of capitalised words that do not open a sentence (or that
span several words): "Edi Rama", "Iranian Embassy", "Tirana".  A cheap stand-in for a tagger that
already separates "Lindsay Lohan" from "Tara Reid", which is what tells near-miss events apart.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from wordfreq import zipf_frequency

from newsfold.model import Article
from newsfold.text import FUNCTION_WORDS, MONTHS, fold_plural

TITLE_NAME_ZIPF = 4.5
"""In a Title Case headline, a word this common in English is taken for a word, not a name."""
_WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
# Words that say nothing about which event an article reports.
_STOP_WORD_TEXT = """
    may might must shall one two three new year years last first week month day time people however
    since still news mr mrs ms per including around reporters today yesterday tomorrow
"""
STOP_WORDS = FUNCTION_WORDS | frozenset(_STOP_WORD_TEXT.split()) | _WEEKDAYS
_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]", re.UNICODE)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_CAPITALISED_RUN = re.compile(
    r"(?:[A-Z][\w'’.-]*[\w])(?:\s+(?:of|de|la|van|der|al|for|the)?\s*[A-Z][\w'’.-]*[\w])*"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?…:]['\"”’)]*\s+|[\"“‘(]\s*)$")
# Capitalised only because they open a clause: never the start of a name.
_ENTITY_STOP_TEXT = "the a an in on at but and he she it they we i this that his her their its as after before when while for if there what mr mrs ms"
_ENTITY_STOP = frozenset(_ENTITY_STOP_TEXT.split()) | _WEEKDAYS


_POSSESSIVE = re.compile(r"['’]s?$")


def terms(text: str) -> list[str]:
    return [
        fold_plural(w)
        for w in (_POSSESSIVE.sub("", m.group(0).casefold()) for m in _WORD.finditer(text))
        if len(w) > 2 and w not in STOP_WORDS
    ]


def _title_cased(text: str) -> bool:
    """A Title Case headline: capitals there mark words, not names."""
    words = [w for w in _WORD.findall(text) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def entities(text: str) -> list[str]:
    """Capitalised runs, normalised; a single word opening a sentence is skipped ("Police said").

    In a Title Case headline every word is capitalised, so there a run is cut at common English
    words ("Juan Pablo Makes His Decision" → "juan pablo").
    """
    found: list[str] = []
    title_cased = _title_cased(text)
    for match in _CAPITALISED_RUN.finditer(text):
        if title_cased:
            found.extend(_names_in_title_case(match.group(0)))
            continue
        words = match.group(0).split()
        while words and words[0].casefold() in _ENTITY_STOP:
            words = words[1:]
        if not words:
            continue
        at_start = bool(_SENTENCE_START.search(text[: match.start()]))
        if at_start and len(words) == 1 and match.group(0) == words[0]:
            continue
        found.append(_POSSESSIVE.sub("", " ".join(words).casefold().rstrip(".")))
    return found


def _names_in_title_case(run: str) -> list[str]:
    names: list[str] = []
    current: list[str] = []
    for word in [*run.split(), ""]:
        folded = _POSSESSIVE.sub("", word.casefold().strip(".,:;!?\"'“”‘’"))
        if folded and zipf_frequency(folded, "en") < TITLE_NAME_ZIPF:
            current.append(folded)
        elif current:
            names.append(" ".join(current))
            current = []
    return names


_MONTH_OF = {m[:3]: m for m in MONTHS}
_FIGURE = re.compile(
    r"(?<![\w.])(?:(?P<month>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?)\s+)?"
    r"(?P<number>\$?\d[\d,]*(?:\.\d+)?)(?:\s*(?P<unit>million|billion|trillion|percent|%|per cent))?",
    re.IGNORECASE,
)


def figures(text: str) -> list[str]:
    """Numbers, amounts and dates the text mentions, normalised ("4.6", "$200 million", "may 3").

    Two look-alike events differ in their figures far more than in their words: a 4.4 and a 4.6
    earthquake in one county, a $180 million and a $200 million offer to one player.  Single
    digits and bare ordinals say little on their own and are skipped.
    """
    found: list[str] = []
    for match in _FIGURE.finditer(text):
        number = match.group("number").replace(",", "").rstrip(".")
        month = match.group("month")
        if month:
            name = _MONTH_OF.get(month.casefold().rstrip(".")[:3])
            if name and number.isdigit() and 1 <= int(number) <= 31:
                found.append(f"{name} {int(number)}")
                continue
        if len(number.lstrip("$")) < 2 and not match.group("unit"):
            continue
        unit = (match.group("unit") or "").casefold().replace("per cent", "percent").replace("%", "percent")
        found.append(f"{number} {unit}".strip())
    return found


@dataclass(slots=True)
class ArticleFeatures:
    """Raw counts for one article; weighting happens in the clusterer, where IDF is known."""

    term_counts: Counter[str]
    entity_counts: Counter[str]
    years: frozenset[str]
    figure_counts: Counter[str]


EntityFinder = Callable[[str], list[str]]
"""Text → normalised entity names; :func:`entities` unless an evaluation puts a tagger in its place."""


def article_features(article: Article, find_entities: EntityFinder = entities) -> ArticleFeatures:
    body = article.text
    term_counts = Counter(terms(body))
    for term in terms(article.title) * 2:
        term_counts[term] += 1
    entity_counts = Counter(find_entities(article.title) + find_entities(body))
    figure_counts = Counter(figures(article.title) + figures(body))
    return ArticleFeatures(term_counts, entity_counts, frozenset(_YEAR.findall(body)), figure_counts)


@lru_cache(maxsize=200_000)
def background_idf(term: str) -> float:
    """How informative a word is in English at large (wordfreq's Zipf scale, offline).

    A new store has seen too few articles for its own document frequencies to mean anything:
    with five articles about Albania, "albania" looks as common as "the".  General-language
    rarity says from the first article on that "tirana" and "cyberattack" name an event and
    "support" does not.
    """
    return 1.0 + 0.8 * (7.0 - min(zipf_frequency(term, "en"), 7.0))


def tfidf(counts: Counter[str], idf: dict[str, float], top: int) -> dict[str, float]:
    """Sublinear TF × IDF, L2-normalised, keeping the ``top`` heaviest terms (they carry the event)."""
    weights = {t: (1.0 + math.log(c)) * idf[t] for t, c in counts.items()}
    if len(weights) > top:
        weights = dict(sorted(weights.items(), key=lambda kv: -kv[1])[:top])
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())
