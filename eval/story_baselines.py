"""The story-grouping rules peers publish, run on the same stream as newsfold for comparison.

* **NewsBlur** (its published duplicate-story rule): two stories are one when their normalised
  titles are equal, or when the overlap coefficient of their significant title words is ≥ 0.6,
  both titles have ≥ 5 significant words and ≥ 3 are shared, within 120 hours of each other.
* **Tiny Tiny RSS**: title trigram similarity ≥ 0.75, as PostgreSQL's ``pg_trgm`` computes it
  (each word padded with two spaces in front and one behind, Jaccard of the trigram sets).
* **TF-IDF + agglomerative**: cosine distance of TF-IDF vectors (title and text), average
  linkage, cut at the threshold that scores best *against the gold labels* — an oracle choice
  that flatters the baseline, reported with the threshold it needed.

The two online rules see items in stream order and join the story of the best earlier match, as
an aggregator does; items are ``StreamItem`` s so both evaluation sets share the code.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from newsfold.stories.features import STOP_WORDS, terms

NEWSBLUR_WINDOW_HOURS = 120
NEWSBLUR_OVERLAP = 0.6
NEWSBLUR_MIN_WORDS = 5
NEWSBLUR_MIN_SHARED = 3
TTRSS_SIMILARITY = 0.75

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class StreamItem:
    id: str
    title: str
    text: str
    published: datetime | None


def _hours(a: datetime | None, b: datetime | None) -> float:
    if a is None or b is None:
        return 0.0
    return abs((a - b).total_seconds()) / 3600


def _normalised_title(title: str) -> str:
    return " ".join(_WORD.findall(title.casefold()))


def _significant(title: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(title.casefold()) if w not in STOP_WORDS and len(w) > 2)


def newsblur(items: Sequence[StreamItem]) -> dict[str, str]:
    """NewsBlur's rule, online: each item joins the story of its first qualifying earlier item."""
    story: dict[str, str] = {}
    by_title: dict[str, str] = {}
    postings: dict[str, list[int]] = defaultdict(list)
    words_of: list[frozenset[str]] = []
    for position, item in enumerate(items):
        title = _normalised_title(item.title)
        words = _significant(item.title)
        match: str | None = None
        if title and title in by_title:
            match = by_title[title]
        elif len(words) >= NEWSBLUR_MIN_WORDS:
            shared: Counter[int] = Counter()
            for word in words:
                shared.update(postings[word])
            for other, count in sorted(shared.items()):
                other_words = words_of[other]
                if (
                    count >= NEWSBLUR_MIN_SHARED
                    and len(other_words) >= NEWSBLUR_MIN_WORDS
                    and count / min(len(words), len(other_words)) >= NEWSBLUR_OVERLAP
                    and _hours(item.published, items[other].published) <= NEWSBLUR_WINDOW_HOURS
                ):
                    match = story[items[other].id]
                    break
        story[item.id] = match or item.id
        if title:
            by_title.setdefault(title, story[item.id])
        for word in words:
            postings[word].append(position)
        words_of.append(words)
    return story


def trigrams(text: str) -> frozenset[str]:
    """``pg_trgm``'s trigrams: each lower-cased word padded "  word ", every 3-character window."""
    found: set[str] = set()
    for word in _WORD.findall(text.casefold()):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(found)


def ttrss(items: Sequence[StreamItem], threshold: float = TTRSS_SIMILARITY) -> dict[str, str]:
    """Tiny Tiny RSS's title trigram rule, online: join the most similar earlier item ≥ threshold."""
    story: dict[str, str] = {}
    postings: dict[str, list[int]] = defaultdict(list)
    grams_of: list[frozenset[str]] = []
    for position, item in enumerate(items):
        grams = trigrams(item.title)
        shared: Counter[int] = Counter()
        for gram in grams:
            shared.update(postings[gram])
        best, best_similarity = None, threshold
        for other, count in shared.items():
            similarity = count / (len(grams) + len(grams_of[other]) - count)
            if similarity >= best_similarity:
                best, best_similarity = other, similarity
        story[item.id] = story[items[best].id] if best is not None else item.id
        for gram in grams:
            postings[gram].append(position)
        grams_of.append(grams)
    return story


def tfidf_matrix(texts: Sequence[str]) -> np.ndarray:
    """Rows of L2-normalised sublinear TF-IDF vectors over newsfold's content terms."""
    counts = [Counter(terms(text)) for text in texts]
    df = Counter(term for c in counts for term in c)
    vocabulary = {term: i for i, term in enumerate(df)}
    n = len(texts)
    matrix = np.zeros((n, len(vocabulary)), dtype=np.float32)
    for row, c in enumerate(counts):
        for term, count in c.items():
            matrix[row, vocabulary[term]] = (1 + math.log(count)) * math.log((n + 1) / (df[term] + 1))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-9)


def agglomerative(
    items: Sequence[StreamItem],
    score: Callable[[dict[str, str]], float],
    thresholds: Sequence[float] = tuple(round(0.30 + 0.025 * i, 3) for i in range(28)),
    *,
    titles_only: bool = False,
) -> tuple[dict[str, str], float]:
    """TF-IDF + average-linkage clustering at the cosine-distance cut that ``score`` likes best."""
    texts = [item.title if titles_only else f"{item.title}\n{item.text}" for item in items]
    matrix = tfidf_matrix(texts)
    distance = np.clip(1.0 - matrix @ matrix.T, 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), "average")
    best: tuple[float, float, dict[str, str]] | None = None
    for threshold in thresholds:
        labels = fcluster(tree, threshold, "distance")
        predicted = {item.id: f"c{label}" for item, label in zip(items, labels, strict=True)}
        value = score(predicted)
        if best is None or value > best[0]:
            best = (value, threshold, predicted)
    assert best is not None
    return best[2], best[1]
