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

The MinHash is computed here rather than with datasketch: tokens are hashed once each (a
vocabulary cache: news repeats its words), shingles are combined from token hashes with integer
arithmetic, and all permutations run as one NumPy operation over the whole text.
``bench/fingerprint_speed.py`` measures it against datasketch in the same run.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newsfold.model import Article, normalise_text

MIN_SENTENCE_WORDS = 8
SHINGLE_WORDS = 5
MIN_ALIGNABLE_TERMS = 3
"""Sentences with fewer content words ("Read more.") are not aligned: they match anything."""

# A sentence ends at . ! ? (plus closing quotes) before a capital; "U.S." and "Mr." do not end one.
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\bMr|\bMs|\bDr|\bSt)([.!?…][\"'”’)]*)\s+(?=[\"'“‘(]?[A-Z0-9])")
_WORD = re.compile(r"\w+", re.UNICODE)
# Words that carry no content of their own: a paraphrase adds and drops them freely.
_STOP_WORD_TEXT = """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself said says say told according may might must
    shall s t mr mrs ms per around
"""
STOP_WORDS = frozenset(_STOP_WORD_TEXT.split())

Signature = npt.NDArray[np.uint64]
_MASK32 = np.uint64(0xFFFFFFFF)


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.sub("\\1\n", text).split("\n") if s.strip()]


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


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


class MinHasher:
    """MinHash signatures of token sequences, all permutations at once in NumPy.

    Each token is hashed once per process (64-bit BLAKE2b, cached); a shingle's hash is a mix of
    its tokens' hashes; permutation ``i`` maps a hash ``x`` to ``(a_i * x + b_i) mod 2**64`` and
    keeps the high 32 bits (multiply-shift hashing).  Signatures from the same ``seed`` and
    ``num_perm`` are comparable across runs and processes.
    """

    _BLOCK = 8192

    def __init__(self, num_perm: int = 128, seed: int = 1) -> None:
        if num_perm < 1:
            raise ValueError("num_perm must be at least 1")
        rng = np.random.default_rng(seed)
        self.num_perm = num_perm
        self._a = rng.integers(1, 2**63, size=(num_perm, 1), dtype=np.uint64) | np.uint64(1)
        self._b = rng.integers(0, 2**63, size=(num_perm, 1), dtype=np.uint64)
        # odd multipliers that spread a shingle's token positions over the 64 bits
        self._position = rng.integers(1, 2**63, size=SHINGLE_WORDS, dtype=np.uint64) | np.uint64(1)
        self._tokens: dict[str, int] = {}

    def token_hashes(self, tokens: list[str]) -> npt.NDArray[np.uint64]:
        cache = self._tokens
        if len(cache) > 2_000_000:  # a bound on memory for very long runs over odd vocabularies
            cache.clear()
        values = []
        for token in tokens:
            value = cache.get(token)
            if value is None:
                value = int.from_bytes(
                    hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little"
                )
                cache[token] = value
            values.append(value)
        return np.array(values, dtype=np.uint64)

    def shingle_hashes(self, tokens: list[str], width: int = SHINGLE_WORDS) -> npt.NDArray[np.uint64]:
        """Hashes of the ``width``-word windows of ``tokens`` (one window when the text is shorter)."""
        hashes = self.token_hashes(tokens)
        if hashes.size == 0:
            return hashes
        width = min(width, hashes.size)
        count = hashes.size - width + 1
        combined = np.zeros(count, dtype=np.uint64)
        for offset in range(width):
            combined += hashes[offset : offset + count] * self._position[offset]
        combined ^= combined >> np.uint64(29)
        combined *= np.uint64(0xBF58476D1CE4E5B9)
        combined ^= combined >> np.uint64(32)
        return combined

    def signature(self, hashes: npt.NDArray[np.uint64]) -> Signature:
        """The MinHash signature of a set of 64-bit hashes (an empty set gives all-max values)."""
        result = np.full(self.num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
        for start in range(0, hashes.size, self._BLOCK):
            block = hashes[start : start + self._BLOCK]
            # the shift is monotone, so it can follow the minimum: one pass less over the block
            smallest = (self._a * block + self._b).min(axis=1) >> np.uint64(32)
            np.minimum(result, smallest, out=result)
        return result


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
    sentence_terms: tuple[frozenset[str], ...] = ()
    """:func:`content_terms` of each sentence, computed once: alignment reads them per candidate."""
    """The paragraph each sentence belongs to (a rewrite is followed paragraph by paragraph)."""

    @property
    def hashed(self) -> set[str]:
        return {h for h in self.sentence_hashes if h is not None}


def fingerprint(article: Article, hasher: MinHasher) -> Fingerprint:
    """Sentence hashes and both MinHash signatures of ``article``'s text."""
    sentences: list[str] = []
    hashes: list[str | None] = []
    paragraph_of: list[int] = []
    for number, paragraph in enumerate(article.paragraphs):
        for sentence in split_sentences(paragraph):
            norm = normalise_text(sentence)
            sentences.append(sentence)
            paragraph_of.append(number)
            hashes.append(_digest(norm) if len(norm.split()) >= MIN_SENTENCE_WORDS else None)
    tokens = normalise_text(article.text).split()
    terms = sorted(content_terms(article.text))
    return Fingerprint(
        article_id=article.id,
        text_hash=article.text_hash,
        sentences=tuple(sentences),
        sentence_hashes=tuple(hashes),
        shingles=hasher.signature(hasher.shingle_hashes(tokens)),
        terms=hasher.signature(hasher.token_hashes(terms)),
        word_count=len(tokens),
        paragraph_of=tuple(paragraph_of),
        sentence_terms=tuple(content_terms(sentence) for sentence in sentences),
    )
