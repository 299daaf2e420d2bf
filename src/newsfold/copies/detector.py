"""Online copy detection: each new article is compared with the ones already seen.

Three kinds of evidence, from cheapest to richest:

* the same normalised text hash → *duplicate* (one dictionary probe);
* MinHash LSH over word 5-shingles → *near-duplicate* when the estimated Jaccard similarity
  passes the threshold (a lightly edited or re-trimmed copy of the whole text);
* an index of sentence hashes → *wire copy* when whole sentences are shared verbatim, with the
  shared sentences kept as evidence.

No step compares all pairs: candidates come only from the hash and LSH indexes.  The indexes
live in memory and are rebuilt from the store at start-up (:meth:`CopyDetector.add`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from datasketch import MinHashLSH

from newsfold.copies.fingerprints import Fingerprint, fingerprint
from newsfold.copies.lineage import Side, credit, newcomer_is_original
from newsfold.model import Article, CopyKind, CopyLink

MIN_SHARED_SENTENCES = 2
MIN_SHARED_SHARE = 0.3
EDITED_JACCARD = 0.3
_LSH_CANDIDATE_THRESHOLD = 0.5


@dataclass(slots=True)
class _Seen:
    fingerprint: Fingerprint
    side: Side


class CopyDetector:
    """Finds the copy links of each new article among the articles added before it."""

    def __init__(self, *, near_duplicate_threshold: float = 0.8, num_perm: int = 128) -> None:
        self.near_duplicate_threshold = near_duplicate_threshold
        self.num_perm = num_perm
        self._by_text: dict[str, str] = {}
        self._by_sentence: dict[str, set[str]] = defaultdict(set)
        self._lsh = MinHashLSH(threshold=_LSH_CANDIDATE_THRESHOLD, num_perm=num_perm)
        self._seen: dict[str, _Seen] = {}

    def __len__(self) -> int:
        return len(self._seen)

    def add(self, article: Article, fp: Fingerprint | None = None) -> None:
        """Index ``article`` so later articles can be compared with it."""
        if article.id in self._seen:
            return
        fp = fp or fingerprint(article, self.num_perm)
        self._seen[article.id] = _Seen(fp, _side(article, fp))
        self._by_text.setdefault(fp.text_hash, article.id)
        for digest in set(fp.sentence_hashes):
            self._by_sentence[digest].add(article.id)
        self._lsh.insert(article.id, fp.minhash)

    def links(self, article: Article) -> list[CopyLink]:
        """Copy links between ``article`` and articles already added, strongest first.

        The article itself is added to the indexes afterwards, so calling this for each article
        of a stream in turn finds every link once.
        """
        fp = fingerprint(article, self.num_perm)
        found: list[CopyLink] = []
        exact = self._by_text.get(fp.text_hash)
        if exact is not None and exact != article.id:
            found.append(self._link(article, fp, exact, CopyKind.DUPLICATE, 1.0, ()))
        candidates = self._sentence_candidates(fp)
        for other_id in self._lsh.query(fp.minhash):
            candidates.setdefault(other_id, set())
        for other_id, shared in candidates.items():
            if other_id in (article.id, exact):
                continue
            link = self._classify(article, fp, other_id, shared)
            if link is not None:
                found.append(link)
        self.add(article, fp)
        return sorted(found, key=lambda link: -link.score)

    def _sentence_candidates(self, fp: Fingerprint) -> dict[str, set[str]]:
        shared: dict[str, set[str]] = defaultdict(set)
        for digest in set(fp.sentence_hashes):
            for other_id in self._by_sentence.get(digest, ()):
                shared[other_id].add(digest)
        return dict(shared)

    def _classify(
        self, article: Article, fp: Fingerprint, other_id: str, shared: set[str]
    ) -> CopyLink | None:
        other = self._seen[other_id].fingerprint
        jaccard = fp.minhash.jaccard(other.minhash)
        if jaccard >= self.near_duplicate_threshold:
            return self._link(article, fp, other_id, CopyKind.NEAR_DUPLICATE, jaccard, ())
        if not shared:
            return None
        smaller = max(1, min(len(set(fp.sentence_hashes)), len(set(other.sentence_hashes))))
        share = len(shared) / smaller
        # shared sentences make a copy when they are a fair part of the shorter text, or when two
        # or more are shared and the rest is a light edit of the other (word shingles still
        # overlap); a press release's "About us" paragraph or a shared footer is neither
        several = len(shared) >= MIN_SHARED_SENTENCES
        if share >= MIN_SHARED_SHARE or (several and jaccard >= EDITED_JACCARD):
            evidence = tuple(s for s, h in zip(fp.sentences, fp.sentence_hashes, strict=True) if h in shared)
            return self._link(
                article,
                fp,
                other_id,
                CopyKind.WIRE_COPY,
                round(share, 3),
                tuple(dict.fromkeys(evidence)),
            )
        return None

    def _link(
        self,
        article: Article,
        fp: Fingerprint,
        other_id: str,
        kind: CopyKind,
        score: float,
        evidence: tuple[str, ...],
    ) -> CopyLink:
        """Point the link from the copy to the original (see :mod:`newsfold.copies.lineage`)."""
        if newcomer_is_original(_side(article, fp), self._seen[other_id].side):
            return CopyLink(other_id, article.id, kind, score, evidence)
        return CopyLink(article.id, other_id, kind, score, evidence)


def _side(article: Article, fp: Fingerprint) -> Side:
    return Side(article.published, fp.word_count, credit(article))
