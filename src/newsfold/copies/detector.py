"""Online copy detection: each new article is compared with the ones already seen.

Candidates come only from indexes, never from a scan of all pairs:

* the normalised text hash (one dictionary probe) → *duplicate*;
* the index of sentence hashes → articles sharing a sentence verbatim;
* MinHash LSH over word 5-shingles → articles sharing much running text;
* MinHash LSH over content words → articles that may paraphrase each other.

Each candidate is then verified by aligning the two texts sentence by sentence
(:mod:`newsfold.copies.alignment`) and classified:

* **near-duplicate**: the same article, lightly edited: nearly every sentence of both sides
  aligned, in order, and either mostly verbatim or most running text shared (5-shingle Jaccard
  at the threshold);
* **rewrite**: most sentences of the shorter text aligned with a paraphrase, in the original's
  order, mostly not verbatim, keeping the names and numbers (a template filled with other names
  and figures is not a rewrite);
* **wire copy**: whole sentences shared verbatim, a fair part of the shorter text (or two or more
  with the rest lightly edited); a shared footer or one common quote is not enough;
* otherwise unrelated, even when both report the same event.

Links are oriented by the lineage of their copy group (:func:`~newsfold.copies.lineage.orient_group`).
The indexes live in memory and are rebuilt from the store at start-up (:meth:`CopyDetector.add`).
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from newsfold.copies.alignment import (
    MAX_ALIGNED_SENTENCES,
    Alignment,
    AlignmentIndex,
    ParagraphFollow,
    SentencePair,
    align,
    follow,
)
from newsfold.copies.fingerprints import (
    Fingerprint,
    MinHasher,
    estimated_jaccard,
    fingerprint,
    fingerprints,
)
from newsfold.copies.lineage import Side, credit, orient_group
from newsfold.copies.lsh import BandIndex
from newsfold.model import AlignedSpan, Article, CopyKind, CopyLink

MIN_SHARED_SENTENCES = 2
MIN_SHARED_SHARE = 0.3
EDITED_JACCARD = 0.3
SAME_ARTICLE_SHARE = 0.9
"""Near-duplicate: this share of both sides' words aligned, in order."""
SAME_ARTICLE_VERBATIM = 0.7
MIN_REWRITE_PAIRS = 3
MIN_REWRITE_SHARE = 0.5
MIN_REWRITE_ORDER = 0.8
MIN_REWRITE_ANCHORS = 0.6
MAX_REWRITE_VERBATIM = 0.25
"""A rewrite keeps at most this share of its aligned sentences verbatim; a lightly edited copy
keeps more (a third or more, the rest changed by a word or two) and is a wire copy."""
RETOLD_SHORTER_SHARE = 0.7
RETOLD_LONGER_SHARE = 0.55
RETOLD_SIMILARITY = 0.4
"""A free rewrite (:func:`~newsfold.copies.alignment.follow`): this share of the shorter and of
the longer text's paragraphs retold in order, at this mean content-word similarity."""
"""A rewrite keeps most names and numbers of its source (:attr:`Alignment.anchor_agreement`)."""
SHINGLE_CANDIDATE_THRESHOLD = 0.5
TERM_CANDIDATE_THRESHOLD = 0.3
MAX_CANDIDATES_PER_INDEX = 40
MAX_TERM_CANDIDATES = 12
"""Content-word neighbours are many in a busy topic; a rewrite is among the closest few."""
"""Each index proposes at most this many candidates, best first, so templated news (scores,
weather, council notices: thousands of articles sharing a frame) costs a bounded number of
alignments per article instead of one per earlier article."""
MAX_SENTENCE_POSTINGS = 1000
"""A sentence carried by more articles than this is boilerplate, not a copy signal."""
MAX_GROUP_REORIENTED = 5000
"""A copy group larger than this keeps its links' directions (re-deciding it costs its size)."""


@dataclass(slots=True)
class _Seen:
    fingerprint: Fingerprint
    side: Side
    arrival: int


class CopyDetector:
    """Finds the copy links of each new article among the articles added before it."""

    def __init__(self, *, near_duplicate_threshold: float = 0.8, num_perm: int = 128) -> None:
        self.near_duplicate_threshold = near_duplicate_threshold
        self.hasher = MinHasher(num_perm)
        self._by_text: dict[str, str] = {}
        self._by_sentence: dict[str, set[str]] = defaultdict(set)
        self._shingle_index = BandIndex(SHINGLE_CANDIDATE_THRESHOLD, num_perm)
        self._term_index = BandIndex(TERM_CANDIDATE_THRESHOLD, num_perm)
        self._seen: dict[str, _Seen] = {}
        self._links: dict[str, dict[str, CopyLink]] = defaultdict(dict)
        self._reoriented: dict[frozenset[str], CopyLink] = {}
        self._empty = self.hasher.signature(np.zeros(0, dtype=np.uint64))

    def __len__(self) -> int:
        return len(self._seen)

    def fingerprint(self, article: Article) -> Fingerprint:
        return fingerprint(article, self.hasher)

    def fingerprints(self, articles: Sequence[Article]) -> list[Fingerprint]:
        """Fingerprints of a batch of articles: far cheaper per article than one at a time."""
        return fingerprints(articles, self.hasher)

    def add(self, article: Article, fp: Fingerprint | None = None) -> None:
        """Index ``article`` so later articles can be compared with it.

        Adding an id again indexes its new text too (a revision): copies of the old text still
        lead to the article.
        """
        fp = fp or self.fingerprint(article)
        previous = self._seen.get(article.id)
        arrival = previous.arrival if previous else len(self._seen)
        self._seen[article.id] = _Seen(fp, _side(article, fp), arrival)
        self._by_text.setdefault(fp.text_hash, article.id)
        for digest in fp.hashed:
            self._by_sentence[digest].add(article.id)
        if not np.array_equal(fp.shingles, self._empty):
            self._shingle_index.insert(article.id, fp.shingles)
            self._term_index.insert(article.id, fp.terms)

    def restore_link(self, link: CopyLink) -> None:
        """Put back a stored link (at start-up) so lineage sees whole groups."""
        self._links[link.article_id][link.original_id] = link
        self._links[link.original_id][link.article_id] = link

    def links(self, article: Article) -> list[CopyLink]:
        """Copy links between ``article`` and articles already added, strongest first.

        The article itself is added to the indexes afterwards, so calling this for each article
        of a stream in turn finds every link once.  Links between earlier articles whose
        direction the newcomer changed are collected for :meth:`take_reoriented`.
        """
        fp, found = self.match(article)
        return self.accept(article, fp, found)

    def match(self, article: Article, fp: Fingerprint | None = None) -> tuple[Fingerprint, list[CopyLink]]:
        """Compare ``article`` with the indexed articles without indexing it (links not yet oriented).

        A caller that may turn the article into a revision of an earlier one (same outlet, same
        text) decides between :meth:`accept` and :meth:`add` under the earlier id.
        """
        fp = fp or self.fingerprint(article)
        found: list[CopyLink] = []
        index = AlignmentIndex(fp)
        for other_id in self._candidates(fp):
            if other_id == article.id:
                continue
            link = self.compare(article.id, fp, other_id, index)
            if link is not None:
                found.append(link)
        return fp, found

    def accept(self, article: Article, fp: Fingerprint, found: list[CopyLink]) -> list[CopyLink]:
        """Index ``article`` with the links :meth:`match` found; returns them oriented, strongest first."""
        self.add(article, fp)
        for link in found:
            self.restore_link(link)
        if found:
            found = self._orient(article.id, found)
        return sorted(found, key=lambda link: (-link.score, self._arrival(link.original_id)))

    def _arrival(self, article_id: str) -> int:
        return self._seen[article_id].arrival

    def take_reoriented(self) -> list[CopyLink]:
        """Earlier links whose direction changed since the last call (a store must replace them)."""
        taken = list(self._reoriented.values())
        self._reoriented.clear()
        return taken

    def _candidates(self, fp: Fingerprint) -> list[str]:
        """Ids worth aligning with ``fp``, most promising first, at most a few per index."""
        if fp.word_count == 0:
            return []  # an empty text copies nothing, and two empty texts are not one article
        limit = MAX_CANDIDATES_PER_INDEX
        found: dict[str, None] = {}
        exact = self._by_text.get(fp.text_hash)
        if exact is not None:
            found[exact] = None
        shared: Counter[str] = Counter()
        for digest in fp.hashed:
            holders = self._by_sentence.get(digest, ())
            if len(holders) <= MAX_SENTENCE_POSTINGS:
                shared.update(holders)
        found.update((other_id, None) for other_id, _ in _top(shared.items(), limit, self._arrival))
        if not np.array_equal(fp.shingles, self._empty):
            for index, signature, field, most in (
                (self._shingle_index, fp.shingles, "shingles", limit),
                (self._term_index, fp.terms, "terms", MAX_TERM_CANDIDATES),
            ):
                scored = [
                    (other_id, estimated_jaccard(signature, getattr(self._seen[other_id].fingerprint, field)))
                    for other_id in index.query(signature)
                ]
                found.update((other_id, None) for other_id, _ in _top(scored, most, self._arrival))
        return list(found)

    def compare(
        self, article_id: str, fp: Fingerprint, other_id: str, index: AlignmentIndex | None = None
    ) -> CopyLink | None:
        """Classify the pair (``article_id`` with text ``fp``, an indexed article); None if unrelated.

        ``index`` is ``fp``'s :class:`AlignmentIndex`, when the caller compares it with several
        candidates (built once instead of once per candidate).
        """
        other = self._seen[other_id].fingerprint
        alignment = align(index or AlignmentIndex(fp), other)
        if fp.text_hash == other.text_hash:
            return _link(article_id, other_id, CopyKind.DUPLICATE, 1.0, alignment, fp, other)
        jaccard = estimated_jaccard(fp.shingles, other.shingles)
        lengths = sorted((fp.word_count, other.word_count))
        similar_length = lengths[0] >= SAME_ARTICLE_SHARE * lengths[1]
        if similar_length and _same_article(alignment, jaccard, self.near_duplicate_threshold):
            return _link(
                article_id, other_id, CopyKind.NEAR_DUPLICATE, round(jaccard, 3), alignment, fp, other
            )
        if _is_rewrite(alignment):
            score = round(max(alignment.left_share, alignment.right_share) * alignment.mean_similarity, 3)
            return _link(article_id, other_id, CopyKind.REWRITE, score, alignment, fp, other)
        shared = fp.hashed & other.hashed
        if shared:
            smaller = max(1, min(len(fp.hashed), len(other.hashed)))
            share = len(shared) / smaller
            # shared sentences make a copy when they are a fair part of the shorter text, or when
            # two or more are shared and the rest is a light edit of the other (word shingles
            # still overlap); a press release's "About us" paragraph or a shared footer is neither
            several = len(shared) >= MIN_SHARED_SENTENCES
            if share >= MIN_SHARED_SHARE or (several and jaccard >= EDITED_JACCARD):
                return _link(article_id, other_id, CopyKind.WIRE_COPY, round(share, 3), alignment, fp, other)
        # a retelling keeps names and numbers: skip the paragraph pass when the sentences disagree
        if (
            min(alignment.left_share, alignment.right_share) > 0
            and alignment.anchor_agreement >= MIN_REWRITE_ANCHORS
        ):
            retold = follow(fp, other)
            if _is_retelling(retold):
                return _retelling_link(article_id, other_id, retold)
        return None

    def _orient(self, newcomer: str, found: list[CopyLink]) -> list[CopyLink]:
        members = self._group(newcomer)
        if len(members) > MAX_GROUP_REORIENTED:
            return found
        members.sort(key=lambda m: self._seen[m].arrival)
        pairs: dict[frozenset[str], CopyLink] = {}
        for member in members:
            for link in self._links[member].values():
                pairs[link.pair] = link
        oriented = orient_group(members, {m: self._seen[m].side for m in members}, pairs)
        mine = {link.pair for link in found}
        result = []
        for pair, link in oriented.items():
            before = pairs[pair]
            if link is not before:
                self.restore_link(link)
            if pair in mine:
                result.append(link)
            elif link.article_id != before.article_id:
                self._reoriented[pair] = link
        return result

    def _group(self, start: str) -> list[str]:
        seen = {start}
        queue = deque([start])
        while queue and len(seen) <= MAX_GROUP_REORIENTED:
            for other in self._links[queue.popleft()]:
                if other not in seen:
                    seen.add(other)
                    queue.append(other)
        return list(seen)


def _top(
    scored: Iterable[tuple[str, float]], limit: int, arrival: Callable[[str], int]
) -> list[tuple[str, float]]:
    """The ``limit`` best-scored ids, ties going to the article seen first.

    Not to the smaller id: ids follow where files lay, and the same files ingested from another
    folder must meet the same candidates."""
    return heapq.nsmallest(limit, scored, key=lambda item: (-item[1], arrival(item[0])))


def _same_article(alignment: Alignment, jaccard: float, threshold: float) -> bool:
    """The same article twice: (nearly) every sentence of both sides, in order, mostly verbatim.

    A republication that reorders paragraphs or adds its own is a wire copy even when the
    shingle overlap is high, so order and coverage are required besides the Jaccard estimate.
    """
    if not (alignment.left_sentences and alignment.right_sentences):
        return jaccard >= threshold  # too short to align: running text is all there is
    whole = (
        min(alignment.left_coverage, alignment.right_coverage) >= SAME_ARTICLE_SHARE
        and alignment.in_order >= SAME_ARTICLE_SHARE
    )
    mostly_verbatim = len(alignment.verbatim) >= SAME_ARTICLE_VERBATIM * len(alignment.pairs)
    return whole and (mostly_verbatim or jaccard >= threshold)


def _is_rewrite(alignment: Alignment) -> bool:
    """Most of one text follows the other sentence by sentence, in order, mostly reworded."""
    shorter = min(alignment.left_sentences, alignment.right_sentences)
    needed = min(MIN_REWRITE_PAIRS, max(2, shorter))
    return (
        len(alignment.pairs) >= needed
        and max(alignment.left_share, alignment.right_share) >= MIN_REWRITE_SHARE
        and alignment.in_order >= MIN_REWRITE_ORDER
        and alignment.anchor_agreement >= MIN_REWRITE_ANCHORS
        and len(alignment.verbatim) < MAX_REWRITE_VERBATIM * len(alignment.pairs)
    )


def _is_retelling(retold: ParagraphFollow) -> bool:
    """A freer rewrite: paragraph after paragraph of one retells the other's, in order."""
    return (
        len(retold.pairs) >= MIN_REWRITE_PAIRS
        and retold.shorter_share >= RETOLD_SHORTER_SHARE
        and retold.longer_share >= RETOLD_LONGER_SHARE
        and retold.mean_similarity >= RETOLD_SIMILARITY
        and retold.anchor_agreement >= MIN_REWRITE_ANCHORS
    )


def _retelling_link(article_id: str, other_id: str, retold: ParagraphFollow) -> CopyLink:
    spans = tuple(
        AlignedSpan(left, right, similarity, verbatim=False) for left, right, similarity in retold.pairs
    )
    return CopyLink(
        article_id,
        other_id,
        CopyKind.REWRITE,
        round(retold.shorter_share * retold.mean_similarity, 3),
        spans,
        round(len(retold.pairs) / max(1, retold.left_paragraphs), 3),
        round(len(retold.pairs) / max(1, retold.right_paragraphs), 3),
    )


def _spans(
    pairs: tuple[SentencePair, ...], copy: Fingerprint, original: Fingerprint
) -> tuple[AlignedSpan, ...]:
    """Runs of consecutive aligned sentences become one passage each: what a reader checks."""
    runs: list[list[SentencePair]] = []
    for pair in pairs:
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and pair.left == last.left + 1
            and pair.right == last.right + 1
            and pair.verbatim == last.verbatim
        ):
            runs[-1].append(pair)
        else:
            runs.append([pair])
    return tuple(
        AlignedSpan(
            " ".join(copy.sentences[p.left] for p in run),
            " ".join(original.sentences[p.right] for p in run),
            round(sum(p.similarity for p in run) / len(run), 3),
            run[0].verbatim,
        )
        for run in runs
    )


def _link(
    article_id: str,
    other_id: str,
    kind: CopyKind,
    score: float,
    alignment: Alignment,
    fp: Fingerprint,
    other: Fingerprint,
) -> CopyLink:
    """A link from the newcomer to the seen article; :func:`orient_group` may turn it round."""
    left_share, right_share = alignment.left_share, alignment.right_share
    if max(len(fp.sentences), len(other.sentences)) > MAX_ALIGNED_SENTENCES:
        # alignment saw only the beginnings; the sentence hashes cover the whole texts
        shared = fp.hashed & other.hashed
        left_share = len(shared) / max(1, len(fp.hashed))
        right_share = len(shared) / max(1, len(other.hashed))
    return CopyLink(
        article_id,
        other_id,
        kind,
        score,
        _spans(alignment.pairs, fp, other),
        round(left_share, 3),
        round(right_share, 3),
    )


def _side(article: Article, fp: Fingerprint) -> Side:
    return Side(article.published, fp.word_count, credit(article))
