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


# sets of at least 30 words, as texts are: with one-permutation hashing, two words of a tiny set
# share one of the 256 bins now and then (1 in 256 for two words), and the densified signature
# then holds one word only, so {a} and {a, b} can agree everywhere (found by hypothesis)
text_sized = st.lists(st.sampled_from([f"w{i}" for i in range(300)]), min_size=30, max_size=120).filter(
    lambda tokens: len(set(tokens)) >= 30
)


@settings(max_examples=60, deadline=None)
@given(text_sized, text_sized)
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


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from([f"w{i}" for i in range(40)]), max_size=30), max_size=8))
def test_a_batch_of_signatures_equals_the_signatures_one_at_a_time(token_lists: list[list[str]]) -> None:
    batch = HASHER.shingle_signatures(token_lists)
    for row, tokens in enumerate(token_lists):
        assert np.array_equal(batch[row], HASHER.signature(HASHER.shingle_hashes(tokens)))
    terms = HASHER.set_signatures(token_lists)
    for row, tokens in enumerate(token_lists):
        assert np.array_equal(terms[row], HASHER.signature(HASHER.token_hashes(tokens)))


def test_densified_signatures_of_tiny_sets_stay_unbiased() -> None:
    """Short texts fill few bins; the copied bins must not skew the estimate (one-permutation hashing)."""
    errors = []
    for pair in range(200):
        left = [f"a{pair}", f"b{pair}"]
        right = [f"a{pair}", f"c{pair}", f"d{pair}"]  # exact Jaccard 1/4
        estimate = estimated_jaccard(
            HASHER.signature(HASHER.token_hashes(left)), HASHER.signature(HASHER.token_hashes(right))
        )
        errors.append(estimate - 0.25)
    mean = sum(errors) / len(errors)
    assert abs(mean) < 0.02  # no bias
    assert (sum((e - mean) ** 2 for e in errors) / len(errors)) ** 0.5 < 0.06  # classic MinHash: 0.027


def test_token_hashes_tell_words_apart_and_survive_unicode() -> None:
    words = ["élan", "elan", "ab", "ba", "a", "aa", "東京", "x" * 1000]
    hashes = HASHER.token_hashes(words)
    assert len(set(hashes.tolist())) == len(words)
    assert np.array_equal(HASHER.token_hashes(["élan"]), hashes[:1])
