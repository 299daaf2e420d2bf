"""Locality-sensitive hashing over MinHash signatures: candidates without comparing all pairs.

A signature is cut into ``bands`` bands of ``rows`` values; two texts become candidates when any
band is identical.  The chance of that for Jaccard similarity ``s`` is ``1 - (1 - s**rows)**bands``,
an S-curve whose midpoint is about ``(1 / bands) ** (1 / rows)``.  :func:`bands_for` picks the
shape for a wanted threshold.  Candidates are only candidates: the detector verifies each one.
"""

from __future__ import annotations

from newsfold.copies.fingerprints import Signature


def candidate_probability(similarity: float, bands: int, rows: int) -> float:
    return 1.0 - (1.0 - similarity**rows) ** bands


def bands_for(threshold: float, num_perm: int) -> tuple[int, int]:
    """The (bands, rows) whose S-curve midpoint is closest to ``threshold``, using at most ``num_perm``."""
    best: tuple[float, int, int] | None = None
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        midpoint = (1.0 / bands) ** (1.0 / rows)
        error = abs(midpoint - threshold)
        if best is None or error < best[0]:
            best = (error, bands, rows)
    assert best is not None
    return best[1], best[2]


class BandIndex:
    """An in-memory LSH index from signature bands to the ids inserted with them.

    A band's key is its slice of the signature's bytes (one ``tobytes`` per signature, then
    cheap bytes slices), looked up in that band's dictionary: inserting and querying cost a
    handful of dictionary probes and no NumPy call per band.
    """

    def __init__(self, threshold: float, num_perm: int) -> None:
        self.bands, self.rows = bands_for(threshold, num_perm)
        width = self.rows * 8  # bytes per band of uint64 values
        self._slices = [slice(band * width, (band + 1) * width) for band in range(self.bands)]
        self._buckets: list[dict[bytes, list[str]]] = [{} for _ in range(self.bands)]

    def _keys(self, signature: Signature) -> list[bytes]:
        raw = signature.tobytes()
        return [raw[part] for part in self._slices]

    def insert(self, key: str, signature: Signature) -> None:
        for buckets, value in zip(self._buckets, self._keys(signature), strict=True):
            bucket = buckets.get(value)
            if bucket is None:
                buckets[value] = [key]
            else:
                bucket.append(key)

    def query(self, signature: Signature) -> set[str]:
        found: set[str] = set()
        for buckets, value in zip(self._buckets, self._keys(signature), strict=True):
            bucket = buckets.get(value)
            if bucket:
                found.update(bucket)
        return found
