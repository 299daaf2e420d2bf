"""Sentence alignment between two texts: which sentence of one is which sentence of the other.

Two sentences align when their content words overlap enough (Dice coefficient of
:func:`~newsfold.copies.fingerprints.content_terms`), one-to-one, best pairs first.  Verbatim
sentences (same normalised hash) align with similarity 1.  What the alignment looks like tells
the kinds of reuse apart:

* a **wire copy** aligns whole sentences verbatim, in any number and order (republishers drop,
  reorder and pad paragraphs);
* a **rewrite** aligns most sentences of the shorter text, mostly *not* verbatim, and keeps the
  order of the original (a paraphrase follows its source sentence by sentence);
* an **independent report** of the same event aligns a few sentences loosely (the same quote, the
  same key fact) in no particular order.

Very long texts are aligned on their first :data:`MAX_ALIGNED_SENTENCES` sentences, which keeps the
cost bounded for a 1 MB article; the verbatim share still uses every sentence hash.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import chain

from newsfold.copies.fingerprints import MIN_ALIGNABLE_TERMS, Fingerprint, anchors, content_terms
from newsfold.model import normalise_text

__all__ = ["Alignment", "AlignmentIndex", "ParagraphFollow", "SentencePair", "align", "anchors", "follow"]

MAX_ALIGNED_SENTENCES = 400
MIN_PAIR_SIMILARITY = 0.5
"""Below this, two sentences share words but not a statement."""


@dataclass(slots=True, frozen=True)
class SentencePair:
    """Sentence ``left`` of one text aligned with sentence ``right`` of the other."""

    left: int
    right: int
    similarity: float
    verbatim: bool


@dataclass(slots=True, frozen=True)
class Alignment:
    """The aligned sentence pairs of two texts, in the left text's order, and what they add up to."""

    pairs: tuple[SentencePair, ...]
    left_sentences: int
    right_sentences: int

    @property
    def verbatim(self) -> tuple[SentencePair, ...]:
        return tuple(p for p in self.pairs if p.verbatim)

    @property
    def paraphrased(self) -> tuple[SentencePair, ...]:
        return tuple(p for p in self.pairs if not p.verbatim)

    @property
    def left_share(self) -> float:
        """Share of the left text's alignable sentences that have a partner."""
        return len(self.pairs) / self.left_sentences if self.left_sentences else 0.0

    @property
    def right_share(self) -> float:
        return len(self.pairs) / self.right_sentences if self.right_sentences else 0.0

    @property
    def in_order(self) -> float:
        """Share of the pairs in the longest run that keeps both texts' order (1.0: no reordering)."""
        if not self.pairs:
            return 0.0
        return _longest_increasing([p.right for p in self.pairs]) / len(self.pairs)

    @property
    def mean_similarity(self) -> float:
        return sum(p.similarity for p in self.pairs) / len(self.pairs) if self.pairs else 0.0

    left_coverage: float = 0.0
    """Share of the left text's words (first :data:`MAX_ALIGNED_SENTENCES` sentences) in aligned sentences.

    Unlike :attr:`left_share` it weighs sentences by length, so two long paragraphs added to a
    copy count for what they are.
    """
    right_coverage: float = 0.0
    anchor_agreement: float = 1.0
    """Overlap coefficient of the names and numbers (:func:`anchors`) in the paraphrased pairs.

    1.0 when they carry none.  Low agreement means the same sentence frame around other names
    and figures: a template (results, weather, council votes), not a rewrite of one story.
    """


def _longest_increasing(values: list[int]) -> int:
    tails: list[int] = []
    for value in values:
        at = bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
        else:
            tails[at] = value
    return len(tails)


def _alignable(fp: Fingerprint) -> list[tuple[int, frozenset[str]]]:
    found = []
    terms_of = fp.sentence_terms or tuple(content_terms(s) for s in fp.sentences)
    for index, terms in enumerate(terms_of[:MAX_ALIGNED_SENTENCES]):
        if len(terms) >= MIN_ALIGNABLE_TERMS:
            found.append((index, terms))
    return found


class AlignmentIndex:
    """One text's alignable sentences and an inverted index of their content words.

    Built once for an article that is compared with many candidates, so each comparison only
    walks the candidate's sentences.
    """

    __slots__ = ("fingerprint", "postings", "sentences")

    def __init__(self, fp: Fingerprint) -> None:
        self.fingerprint = fp
        self.sentences = _alignable(fp)
        postings: dict[str, list[int]] = defaultdict(list)
        for position, (_, terms) in enumerate(self.sentences):
            for term in terms:
                postings[term].append(position)
        self.postings = dict(postings)


def align(
    left: Fingerprint | AlignmentIndex,
    right: Fingerprint,
    min_similarity: float = MIN_PAIR_SIMILARITY,
) -> Alignment:
    """Align ``left``'s sentences with ``right``'s, one-to-one, strongest pairs first.

    Only sentence pairs sharing a content word are scored (an inverted index over the left
    text; pass an :class:`AlignmentIndex` to reuse it across candidates), so the cost grows with
    the overlap, not with the product of the lengths.
    """
    index = left if isinstance(left, AlignmentIndex) else AlignmentIndex(left)
    left_fp, lefts, postings = index.fingerprint, index.sentences, index.postings
    rights = _alignable(right)
    scored: list[tuple[float, int, int]] = []
    empty: list[int] = []
    for j, (_, terms) in enumerate(rights):
        shared = Counter(chain.from_iterable(postings.get(term, empty) for term in terms))
        size = len(terms)
        for i, count in shared.items():
            similarity = 2 * count / (len(lefts[i][1]) + size)
            if similarity >= min_similarity:
                scored.append((similarity, i, j))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    used_left: set[int] = set()
    used_right: set[int] = set()
    pairs: list[SentencePair] = []
    for similarity, i, j in scored:
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        li, rj = lefts[i][0], rights[j][0]
        lh, rh = left_fp.sentence_hashes[li], right.sentence_hashes[rj]
        if lh is None or rh is None:  # short sentences are not hashed; compare them directly
            verbatim = normalise_text(left_fp.sentences[li]) == normalise_text(right.sentences[rj])
        else:
            verbatim = lh == rh
        pairs.append(SentencePair(li, rj, 1.0 if verbatim else round(similarity, 3), verbatim))
    pairs.sort(key=lambda p: p.left)
    return Alignment(
        tuple(pairs),
        len(lefts),
        len(rights),
        _coverage([p.left for p in pairs], left_fp),
        _coverage([p.right for p in pairs], right),
        _anchor_agreement(pairs, left_fp, right),
    )


def _coverage(aligned: list[int], fp: Fingerprint) -> float:
    lengths = fp.sentence_words[:MAX_ALIGNED_SENTENCES] or [
        len(sentence.split()) for sentence in fp.sentences[:MAX_ALIGNED_SENTENCES]
    ]
    total = sum(lengths)
    return round(sum(lengths[i] for i in aligned) / total, 3) if total else 0.0


def _anchor_agreement(pairs: list[SentencePair], left: Fingerprint, right: Fingerprint) -> float:
    left_anchors: set[str] = set()
    right_anchors: set[str] = set()
    left_of = left.sentence_anchors or tuple(anchors(s) for s in left.sentences)
    right_of = right.sentence_anchors or tuple(anchors(s) for s in right.sentences)
    for pair in pairs:
        if not pair.verbatim:
            left_anchors |= left_of[pair.left]
            right_anchors |= right_of[pair.right]
    smaller = min(len(left_anchors), len(right_anchors))
    if smaller == 0:
        return 1.0
    return round(len(left_anchors & right_anchors) / smaller, 3)


MAX_FOLLOWED_PARAGRAPHS = 150
MIN_PARAGRAPH_SIMILARITY = 0.25


@dataclass(slots=True, frozen=True)
class ParagraphFollow:
    """An order-keeping alignment of two texts' paragraphs: does one retell the other, in turn?

    A human rewrite merges, splits and recasts sentences, so its sentences rarely match one to
    one, but each of its paragraphs still retells one of the source's, in the source's order.
    Independent reports of one event share facts too, but not paragraph after paragraph.
    """

    pairs: tuple[tuple[str, str, float], ...]
    """(left paragraph, right paragraph, similarity) for each aligned pair, in order."""
    left_paragraphs: int
    right_paragraphs: int

    @property
    def mean_similarity(self) -> float:
        return sum(p[2] for p in self.pairs) / len(self.pairs) if self.pairs else 0.0

    @property
    def shorter_share(self) -> float:
        return len(self.pairs) / max(1, min(self.left_paragraphs, self.right_paragraphs))

    @property
    def longer_share(self) -> float:
        return len(self.pairs) / max(1, max(self.left_paragraphs, self.right_paragraphs))

    @property
    def anchor_agreement(self) -> float:
        left = set().union(*(anchors(p[0]) for p in self.pairs)) if self.pairs else set()
        right = set().union(*(anchors(p[1]) for p in self.pairs)) if self.pairs else set()
        smaller = min(len(left), len(right))
        return round(len(left & right) / smaller, 3) if smaller else 1.0


def _paragraphs(fp: Fingerprint) -> list[tuple[str, frozenset[str]]]:
    texts: dict[int, list[str]] = defaultdict(list)
    term_sets: dict[int, set[str]] = defaultdict(set)
    terms_of = fp.sentence_terms or tuple(content_terms(s) for s in fp.sentences)
    for sentence, number, sentence_terms in zip(
        fp.sentences[:MAX_ALIGNED_SENTENCES], fp.paragraph_of, terms_of, strict=False
    ):
        texts[number].append(sentence)
        term_sets[number] |= sentence_terms
    units = []
    for number in sorted(texts)[:MAX_FOLLOWED_PARAGRAPHS]:
        text = " ".join(texts[number])
        terms = frozenset(term_sets[number])
        if len(terms) >= MIN_ALIGNABLE_TERMS:
            units.append((text, terms))
    return units


def follow(left: Fingerprint, right: Fingerprint) -> ParagraphFollow:
    """The order-keeping paragraph alignment of greatest total similarity (dynamic programming)."""
    lefts, rights = _paragraphs(left), _paragraphs(right)
    n, m = len(lefts), len(rights)
    similarity = [[2 * len(a & b) / (len(a) + len(b)) for _, b in rights] for _, a in lefts]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, above = score[i], score[i - 1]
        for j in range(1, m + 1):
            best = max(above[j], row[j - 1])
            s = similarity[i - 1][j - 1]
            if s >= MIN_PARAGRAPH_SIMILARITY and above[j - 1] + s > best:
                best = above[j - 1] + s
            row[j] = best
    pairs: list[tuple[str, str, float]] = []
    i, j = n, m
    while i and j:
        s = similarity[i - 1][j - 1]
        if s >= MIN_PARAGRAPH_SIMILARITY and abs(score[i][j] - (score[i - 1][j - 1] + s)) < 1e-12:
            pairs.append((lefts[i - 1][0], rights[j - 1][0], round(s, 3)))
            i, j = i - 1, j - 1
        elif score[i][j] == score[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return ParagraphFollow(tuple(reversed(pairs)), n, m)
