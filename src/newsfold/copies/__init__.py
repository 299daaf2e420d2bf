"""Copies: exact duplicates, near-duplicates and wire copies, with the shared text as evidence."""

from newsfold.copies.detector import CopyDetector
from newsfold.copies.fingerprints import Fingerprint, fingerprint, split_sentences

__all__ = ["CopyDetector", "Fingerprint", "fingerprint", "split_sentences"]
