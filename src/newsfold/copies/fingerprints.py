"""Fingerprints of an article's text: what copy detection indexes and compares.

Sentences are hashed after normalisation (case, punctuation, Unicode quotes), so a wire story
republished with straight instead of curly quotes still shares every sentence.  Only sentences of
eight words or more are used: short ones ("He declined to comment.") recur across unrelated texts.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from datasketch import MinHash

from newsfold.model import Article, normalise_text

MIN_SENTENCE_WORDS = 8
SHINGLE_WORDS = 5
# A sentence ends at . ! ? (plus closing quotes) before a capital; "U.S." and "Mr." do not end one.
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\bMr|\bMs|\bDr|\bSt)([.!?…][\"'”’)]*)\s+(?=[\"'“‘(]?[A-Z0-9])")


@dataclass(slots=True, frozen=True)
class Fingerprint:
    """Everything copy detection needs to know about one article's text."""

    article_id: str
    text_hash: str
    sentence_hashes: tuple[str, ...]
    sentences: tuple[str, ...]
    minhash: MinHash
    word_count: int


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.sub("\\1\n", text).split("\n") if s.strip()]


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def fingerprint(article: Article, num_perm: int = 128) -> Fingerprint:
    """Sentence hashes and a MinHash of word shingles for ``article``."""
    sentences: list[str] = []
    hashes: list[str] = []
    for paragraph in article.paragraphs:
        for sentence in split_sentences(paragraph):
            norm = normalise_text(sentence)
            if len(norm.split()) >= MIN_SENTENCE_WORDS:
                sentences.append(sentence)
                hashes.append(_digest(norm))
    tokens = normalise_text(article.text).split()
    minhash = MinHash(num_perm=num_perm)
    shingles = {
        " ".join(tokens[i : i + SHINGLE_WORDS]) for i in range(max(1, len(tokens) - SHINGLE_WORDS + 1))
    }
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return Fingerprint(
        article_id=article.id,
        text_hash=article.text_hash,
        sentence_hashes=tuple(hashes),
        sentences=tuple(sentences),
        minhash=minhash,
        word_count=len(tokens),
    )
