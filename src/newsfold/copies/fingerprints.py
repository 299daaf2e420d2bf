"""Fingerprints of an article's text: what copy detection indexes and compares.

Three views of one text, each for one question:

* **sentence hashes** (after normalisation of case, punctuation and Unicode quotes, so a wire
  story republished with straight quotes still shares every sentence) answer "which sentences
  were copied verbatim?".  Only sentences of eight words or more are hashed: short ones ("He
  declined to comment.") recur across unrelated texts.
* a **MinHash of word 5-shingles** estimates how much of the running text two articles share.
* a **MinHash of content words** (no stop words, plurals folded, numbers kept) survives
  paraphrase: a rewrite changes the wording but keeps the names, numbers and most nouns, so it
  is how rewrite candidates are found.

The MinHash is computed here rather than with datasketch: tokens are hashed once each (in one
NumPy pass over the text's bytes), shingles are combined from token hashes with integer
arithmetic, and one-permutation hashing replaces ``num_perm`` hash functions by one sort (see
:class:`MinHasher`).  ``bench/copies_speed.py`` measures it against datasketch in the same run.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from newsfold.model import Article, normalise_text
from newsfold.text import FUNCTION_WORDS, split_sentences

MIN_SENTENCE_WORDS = 8
SHINGLE_WORDS = 5
MIN_ALIGNABLE_TERMS = 3
"""Sentences with fewer content words ("Read more.") are not aligned: they match anything."""

_WORD = re.compile(r"\w+", re.UNICODE)
# Words that carry no content of their own: a paraphrase adds and drops them freely.
_STOP_WORD_TEXT = "may might must shall s t mr mrs ms per around"
STOP_WORDS = FUNCTION_WORDS | frozenset(_STOP_WORD_TEXT.split())

Signature = npt.NDArray[np.uint64]
_EMPTY = np.iinfo(np.uint64).max
_BASE = np.uint64(0x100000001B3)  # FNV's 64-bit prime: odd, so it has an inverse mod 2**64
_BASE_INVERSE = np.uint64(pow(int(_BASE), -1, 2**64))
_MASK32 = np.uint64(0xFFFFFFFF)


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """Fold plurals and the commonest inflections: 'diplomats' ~ 'diplomat', 'expelled' ~ 'expel'."""
    if word.isdigit() or len(word) <= 4:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("ing") and len(word) > 6:
        return word[:-3]
    if word.endswith("ed") and len(word) > 5:
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def content_terms(text: str) -> frozenset[str]:
    """The content words of ``text``: what a paraphrase keeps (names, numbers, most nouns)."""
    return frozenset(
        _stem(word)
        for word in _WORD.findall(text.casefold())
        if word not in STOP_WORDS and (len(word) > 2 or word.isdigit())
    )


# Names and numbers: a capitalised word that does not open the sentence, or a number.  Applied
# to one sentence at a time (a split sentence has no inner full stop but abbreviations: "Mr. Rama").
_ANCHOR = re.compile(r"(?<!^)\b([A-Z][\w'’-]+|\d[\d.,:]*\d|\d)")


def anchors(sentence: str) -> frozenset[str]:
    """The names and numbers of ``sentence``: what a paraphrase keeps and a template changes.

    "The council of Varn5 voted on measure 5" and "The council of Varn9 voted on measure 9" share
    most words but no anchor; a rewrite of a story keeps its people, places and figures.
    """
    return frozenset(m.group(1).casefold().rstrip(".,") for m in _ANCHOR.finditer(sentence.strip()))


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


class MinHasher:
    """MinHash signatures of token sequences by one-permutation hashing, in NumPy.

    Classic MinHash applies ``num_perm`` hash functions to every shingle: ``num_perm`` times the
    work of hashing the text once.  One-permutation hashing (Li, Owen & Zhang, 2012) hashes each
    shingle once, splits the hash range into ``num_perm`` bins and keeps the smallest hash in each
    bin; a sort and a search do it for a whole text.  Bins a short text leaves empty are filled by
    *optimal densification* (Shrivastava, 2017): an empty bin copies the filled bin that comes first in
    its own fixed, seeded order of all bins, so equal sets still give equal signatures and the share of equal
    positions stays an unbiased Jaccard estimate, with the variance of classic MinHash
    (``bench/copies_speed.py`` measures both the speed and the error against datasketch).

    Tokens are hashed all at once (:meth:`token_hashes`); a shingle's hash is a mix of its
    tokens' hashes.  Signatures from the same ``seed`` and
    ``num_perm`` are comparable across runs and processes.
    """

    def __init__(self, num_perm: int = 128, seed: int = 1) -> None:
        if num_perm < 1:
            raise ValueError("num_perm must be at least 1")
        rng = np.random.default_rng(seed)
        self.num_perm = num_perm
        self._salt = np.uint64(int(rng.integers(0, 2**63)))
        # odd multipliers that spread a shingle's token positions over the 64 bits
        self._position = rng.integers(1, 2**63, size=SHINGLE_WORDS, dtype=np.uint64) | np.uint64(1)
        # densification: row b ranks every bin in the order empty bin b looks for one to copy
        self._ranks = np.argsort(rng.random((num_perm, num_perm)), axis=1).argsort(axis=1)
        self._ranks = self._ranks.astype(np.uint16 if num_perm < 2**16 else np.uint32)
        self._power_table = np.zeros(0, dtype=np.uint64)
        self._inverse_table = np.zeros(0, dtype=np.uint64)

    def token_hashes(self, tokens: Sequence[str]) -> npt.NDArray[np.uint64]:
        """A 64-bit hash of each token, computed for all tokens at once.

        A polynomial hash of each token's UTF-8 bytes (prefix sums of ``byte * P**position``,
        shifted to the token's start by ``P``'s inverse mod 2**64), then mixed: no Python-level
        loop over tokens, so a text's tokens cost one pass of NumPy over its bytes.  Tokens must
        not contain spaces (they are whitespace-split words).
        """
        if not tokens:
            return np.zeros(0, dtype=np.uint64)
        data = np.frombuffer((" ".join(tokens) + " ").encode("utf-8"), dtype=np.uint8)
        powers, inverses = self._powers(data.size)
        prefix = np.cumsum(data * powers)  # wraps mod 2**64, as the hash wants
        ends = np.flatnonzero(data == 32)
        starts = np.empty_like(ends)
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
        before = np.zeros(ends.size, dtype=np.uint64)
        before[1:] = prefix[ends[:-1]]
        return _mix((prefix[ends] - before) * inverses[starts] ^ self._salt)

    def _powers(self, size: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
        if self._power_table.size < size:
            grown = max(size, 2 * self._power_table.size, 4096)
            self._power_table = _powers_of(_BASE, grown)
            self._inverse_table = _powers_of(_BASE_INVERSE, grown)
        return self._power_table[:size], self._inverse_table[:size]

    def shingle_hashes(self, tokens: Sequence[str], width: int = SHINGLE_WORDS) -> npt.NDArray[np.uint64]:
        """Hashes of the ``width``-word windows of ``tokens`` (one window when the text is shorter)."""
        return self._windows([tokens], width)[0]

    def _windows(
        self, token_lists: Sequence[Sequence[str]], width: int
    ) -> tuple[npt.NDArray[np.uint64], list[int]]:
        """Window hashes of several token lists, concatenated, and how many belong to each list."""
        sizes = [len(tokens) for tokens in token_lists]
        hashes = self.token_hashes([token for tokens in token_lists for token in tokens])
        if hashes.size == 0:
            return hashes, [0] * len(sizes)
        combined = hashes * self._position[0]
        for offset in range(1, width):
            combined[:-offset] += hashes[offset:] * self._position[offset]
        # a window is kept when it lies inside one list; a list shorter than ``width`` keeps one
        # window over all its tokens, which needs the windows' tails cut off
        ends = np.cumsum(sizes)
        starts = ends - np.asarray(sizes)
        keep = np.zeros(hashes.size, dtype=bool)
        counts = []
        for size, start in zip(sizes, starts.tolist(), strict=True):
            if size >= width:
                keep[start : start + size - width + 1] = True
                counts.append(size - width + 1)
            elif size:
                keep[start] = True
                combined[start] = (hashes[start : start + size] * self._position[:size]).sum()
                counts.append(1)
            else:
                counts.append(0)
        return combined[keep], counts

    def shingle_signatures(
        self, token_lists: Sequence[Sequence[str]], width: int = SHINGLE_WORDS
    ) -> npt.NDArray[np.uint64]:
        """The signature of each token list's ``width``-word shingles, as rows of one array."""
        hashes, counts = self._windows(token_lists, width)
        return self._signatures(hashes, counts)

    def set_signatures(self, token_lists: Sequence[Sequence[str]]) -> npt.NDArray[np.uint64]:
        """The signature of each token list taken as a set of words, as rows of one array."""
        return self._signatures(
            self.token_hashes([token for tokens in token_lists for token in tokens]),
            [len(tokens) for tokens in token_lists],
        )

    def signature(self, hashes: npt.NDArray[np.uint64]) -> Signature:
        """The MinHash signature of a set of 64-bit hashes (an empty set gives all-max values)."""
        signature: Signature = self._signatures(hashes, [hashes.size])[0]
        return signature

    def _signatures(self, hashes: npt.NDArray[np.uint64], counts: Sequence[int]) -> npt.NDArray[np.uint64]:
        """One signature per run of ``counts`` consecutive hashes: a batch costs a few NumPy passes.

        Batching saves nothing but per-call overhead, which is most of the cost for news-length
        texts; row ``i`` is the same as a signature of run ``i`` alone.
        """
        width = self.num_perm
        result = np.full((len(counts), width), _EMPTY, dtype=np.uint64)
        if hashes.size == 0:
            return result
        mixed = _mix(hashes + self._salt)
        # bin = the top 32 bits scaled to [0, num_perm); each row keeps its smallest hash per bin
        bins = ((mixed >> np.uint64(32)) * np.uint64(width)) >> np.uint64(32)
        rows = np.repeat(np.arange(len(counts), dtype=np.uint64), counts)
        np.minimum.at(result.reshape(-1), (rows * np.uint64(width) + bins).astype(np.intp), mixed)
        filled = result != _EMPTY
        row_of, empty = np.nonzero(~filled)
        if row_of.size == 0:
            return result
        # densification: an empty bin copies the filled bin that comes first in its own fixed,
        # random order of all bins (a rank table), so sparse texts spread their few values evenly
        ranks = np.where(filled[row_of], self._ranks[empty], self._ranks.dtype.type(width))
        chosen = ranks.argmin(axis=1)
        result[row_of, empty] = result[row_of, chosen]
        return result


def _powers_of(base: np.uint64, count: int) -> npt.NDArray[np.uint64]:
    """``base**0 .. base**(count - 1)`` mod 2**64."""
    powers = np.empty(count, dtype=np.uint64)
    powers[0] = 1
    np.cumprod(np.full(count - 1, base, dtype=np.uint64), out=powers[1:])
    return powers


def _mix(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """SplitMix64's finaliser: every input bit reaches every output bit (bins use the top ones)."""
    values = values ^ (values >> np.uint64(30))
    values *= np.uint64(0xBF58476D1CE4E5B9)
    values ^= values >> np.uint64(27)
    values *= np.uint64(0x94D049BB133111EB)
    values ^= values >> np.uint64(31)
    return values


def estimated_jaccard(a: Signature, b: Signature) -> float:
    """Share of permutations on which two signatures agree: an unbiased Jaccard estimate."""
    return float(np.count_nonzero(a == b)) / a.size


@dataclass(slots=True, frozen=True)
class Fingerprint:
    """Everything copy detection needs to know about one article's text."""

    article_id: str
    text_hash: str
    sentences: tuple[str, ...]
    """Every sentence of the text, in order: what alignment works on and evidence quotes."""
    sentence_hashes: tuple[str | None, ...]
    """Normalised hash of each sentence; None for sentences too short to count as copied."""
    shingles: Signature
    """MinHash of word 5-shingles."""
    terms: Signature
    """MinHash of content words."""
    word_count: int
    paragraph_of: tuple[int, ...] = ()
    """The paragraph each sentence belongs to (a rewrite is followed paragraph by paragraph)."""
    sentence_terms: tuple[frozenset[str], ...] = ()
    """:func:`content_terms` of each sentence, computed once: alignment reads them per candidate."""
    sentence_anchors: tuple[frozenset[str], ...] = ()
    """:func:`anchors` of each sentence, computed once for the same reason."""
    sentence_words: tuple[int, ...] = ()
    """Word count of each sentence (alignment weighs coverage by it)."""

    @property
    def hashed(self) -> set[str]:
        return {h for h in self.sentence_hashes if h is not None}


def fingerprint(article: Article, hasher: MinHasher) -> Fingerprint:
    """Sentence hashes and both MinHash signatures of ``article``'s text."""
    return fingerprints([article], hasher)[0]


def fingerprints(articles: Sequence[Article], hasher: MinHasher) -> list[Fingerprint]:
    """:func:`fingerprint` of each article, the signatures computed for the whole batch at once."""
    tokens = [normalise_text(article.text).split() for article in articles]
    split = []
    for article in articles:
        sentences: list[str] = []
        paragraph_of: list[int] = []
        for number, paragraph in enumerate(article.paragraphs):
            for sentence in split_sentences(paragraph):
                sentences.append(sentence)
                paragraph_of.append(number)
        split.append((sentences, paragraph_of, [content_terms(sentence) for sentence in sentences]))
    # the text's content words are its sentences' (sentences cover the paragraphs, which are the text)
    shingles = hasher.shingle_signatures(tokens)
    term_signatures = hasher.set_signatures([sorted(frozenset().union(*terms)) for _, _, terms in split])
    found = []
    for row, (article, (sentences, paragraph_of, terms)) in enumerate(zip(articles, split, strict=True)):
        normalised = [normalise_text(sentence) for sentence in sentences]
        found.append(
            Fingerprint(
                article_id=article.id,
                text_hash=article.text_hash,
                sentences=tuple(sentences),
                sentence_hashes=tuple(
                    _digest(norm) if len(norm.split()) >= MIN_SENTENCE_WORDS else None for norm in normalised
                ),
                shingles=shingles[row],
                terms=term_signatures[row],
                word_count=len(tokens[row]),
                paragraph_of=tuple(paragraph_of),
                sentence_terms=tuple(terms),
                sentence_anchors=tuple(anchors(sentence) for sentence in sentences),
                sentence_words=tuple(len(sentence.split()) for sentence in sentences),
            )
        )
    return found
