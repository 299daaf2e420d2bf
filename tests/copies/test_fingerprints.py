"""MinHash signatures and the LSH index: estimates close to the truth, candidates by band."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.copies import BandIndex, MinHasher, content_terms
from newsfold.copies.fingerprints import estimated_jaccard
from newsfold.copies.lsh import bands_for, candidate_probability

HASHER = MinHasher(256)
words = st.lists(st.sampled_from([f"w{i}" for i in range(300)]), min_size=1, max_size=120)


@settings(max_examples=60, deadline=None)
@given(words, words)
def test_estimated_jaccard_tracks_the_exact_jaccard(left: list[str], right: list[str]) -> None:
    a, b = HASHER.token_hashes(left), HASHER.token_hashes(right)
    exact = len(set(left) & set(right)) / len(set(left) | set(right))
    estimate = estimated_jaccard(HASHER.signature(a), HASHER.signature(b))
    assert abs(estimate - exact) < 0.2  # 256 permutations: standard error ≤ 0.032


@given(words)
def test_signatures_ignore_order_and_repetition_and_are_reproducible(tokens: list[str]) -> None:
    again = MinHasher(256)
    shuffled = list(reversed(tokens)) + tokens
    assert np.array_equal(
        HASHER.signature(HASHER.token_hashes(tokens)), again.signature(again.token_hashes(shuffled))
    )


def test_shingles_of_a_short_text_are_one_window_and_empty_text_has_none() -> None:
    assert HASHER.shingle_hashes(["only", "three", "words"]).size == 1
    assert HASHER.shingle_hashes([]).size == 0
    empty = HASHER.signature(HASHER.shingle_hashes([]))
    assert (empty == np.iinfo(np.uint64).max).all()


def test_content_terms_fold_plurals_and_drop_stop_words() -> None:
    assert content_terms("The diplomats were expelled, officials said in 2018.") == {
        "diplomat",
        "expell",
        "official",
        "2018",
    }


def test_band_shape_puts_the_s_curve_midpoint_near_the_threshold() -> None:
    bands, rows = bands_for(0.5, 128)
    assert bands * rows <= 128
    assert candidate_probability(0.8, bands, rows) > 0.95
    assert candidate_probability(0.2, bands, rows) < 0.2


def test_band_index_finds_similar_signatures_and_not_dissimilar_ones() -> None:
    hasher = MinHasher(128)
    base = [f"t{i}" for i in range(100)]
    near = base[:95] + [f"n{i}" for i in range(5)]
    far = [f"f{i}" for i in range(100)]
    index = BandIndex(0.5, 128)
    index.insert("base", hasher.signature(hasher.token_hashes(base)))
    assert index.query(hasher.signature(hasher.token_hashes(near))) == {"base"}
    assert index.query(hasher.signature(hasher.token_hashes(far))) == set()
