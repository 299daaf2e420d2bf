"""Copies: duplicates, near-duplicates, wire copies and rewrites, with aligned spans as evidence and a lineage per copy group."""

from newsfold.copies.alignment import Alignment, SentencePair, align
from newsfold.copies.detector import CopyDetector
from newsfold.copies.fingerprints import Fingerprint, MinHasher, content_terms, fingerprint
from newsfold.copies.lineage import orient_group
from newsfold.copies.lsh import BandIndex

__all__ = [
    "Alignment",
    "BandIndex",
    "CopyDetector",
    "Fingerprint",
    "MinHasher",
    "SentencePair",
    "align",
    "content_terms",
    "fingerprint",
    "orient_group",
]
