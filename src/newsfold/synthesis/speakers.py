"""Who a quote's speaker mention stands for, as the text names them.

:mod:`.quotes` finds the mention (the cue verb's subject, a label, a name after a dash); this
resolves it within the text: a short name to the fullest name of its kind that it ends or
starts ("Rama" → "Edi Rama", "Harbourline" → "Harbourline Bank"; the most used one, so a
headline read as one name does not win; never "Iran" → "… Organisation of Iran"), "he"/"she"
to the last person who is a subject in the last two sentences, else the last person named,
"it"/"they" to the subject of the sentence or the last body named, and a noun phrase ("the
ministry", "the group") to the last name carrying its head noun ("the Iranian Foreign
Ministry").  A document speaks for its author ("Rama's official website said").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsfold.synthesis.entities import clean_name

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

SUBJECT = ("nsubj", "nsubjpass", "csubj")
DOCUMENT_NOUNS = frozenset(["statement", "website", "site", "report", "press", "release", "letter", "post"])
"""A document "says" things for its author: its speaker is who wrote it (by whom, or whose)."""
_PRONOUN_KIND = {"he": "PERSON", "she": "PERSON", "i": "PERSON", "it": "BODY", "they": "BODY", "we": "BODY"}
_BODY_LABELS = frozenset(["ORG", "GPE", "NORP", "FAC"])
_NAME_KIND = {"FAC": "GPE"}
"""Labels that are one kind of name for :func:`fullest` (the model calls a city a building at times)."""


@dataclass(frozen=True, slots=True)
class Names:
    """The text's names (people, bodies, places) and how often each is used, as a clean name."""

    spans: list[Span]
    counts: Counter[str]
    kinds: dict[str, str]
    """Each clean name's kind, as most of its mentions are labelled (places and buildings as one)."""


def mention_span(token: Token) -> Span:
    """The entity or noun phrase around ``token``, without its determiner or possessive ending."""
    doc = token.doc
    if token.ent_type_:
        for ent in doc.ents:
            if ent.start <= token.i < ent.end:
                return ent
    left = token.i
    while (
        left > 0 and doc[left - 1].dep_ in ("compound", "amod", "det", "poss") and doc[left - 1].head == token
    ):
        left -= 1
    return doc[left : token.i + 1]


def names_of(doc: Doc) -> Names:
    """The people, bodies and places ``doc`` names, counted, each with its kind."""
    spans = [ent for ent in doc.ents if ent.label_ in ("PERSON", "ORG", "GPE", "NORP", "FAC")]
    labels: dict[str, Counter[str]] = {}
    for span in spans:
        labels.setdefault(clean_name(span.text), Counter())[_NAME_KIND.get(span.label_, span.label_)] += 1
    return Names(
        spans,
        Counter(clean_name(n.text) for n in spans),
        {name: count.most_common(1)[0][0] for name, count in labels.items()},
    )


def fullest(name: str, names: Names) -> str:
    """The fullest name of the same kind in the text that ``name`` ends, or for a body or place
    starts ("Rama" → "Edi Rama", "Harbourline" → "Harbourline Bank").

    The most used such name wins, then the longest: a headline's "Critics Slam Edi Rama" read as
    one name must not beat the "Edi Rama" of the body.  Never a name ``name`` is only the tail of
    ("Iran" is not "the People's Mujahedeen Organisation of Iran"), nor one of another kind
    ("Iran" is not "Iran National Council of Resistance"), except that a lone surname the model
    took for a body still stands for the person named in full with it.
    """
    kind = names.kinds.get(name)
    ending = [
        full
        for full in names.counts
        if full.endswith(" " + name)
        and not full[: -len(name)].rstrip().casefold().endswith(" of")
        and (kind in (None, names.kinds[full]) or (names.kinds[full] == "PERSON" and " " not in name))
    ]
    # a person is shortened to the surname, a body to its first word ("Harbourline Bank"); a
    # headline or a slogan read as a person's name ("Clinton Hid Past Health", "Trump Train")
    # starts with a surname too, so a person's name is never read as the first word of another
    fuller = ending or [
        full
        for full in names.counts
        if full.startswith(name + " ") and kind in (None, names.kinds[full]) and names.kinds[full] != "PERSON"
    ]
    return max(fuller, key=lambda full: (names.counts[full], len(full))) if fuller else name


def resolve(mention: Span, names: Names, previous: str | None) -> str:
    """The speaker a mention stands for, as a clean name (the mention itself when nothing fuller is known)."""
    text = mention.text
    folded = text.casefold()
    if mention.root.lower_ in DOCUMENT_NOUNS:
        author = _author(mention.root)
        if author is not None:
            return resolve(author, names, previous)
        return previous or clean_name(text)
    if folded in _PRONOUN_KIND:
        return _resolve_pronoun(mention, _PRONOUN_KIND[folded], names) or text
    if mention.root.pos_ != "PROPN" and not mention.root.ent_type_:
        # "the ministry", "the group": the last name that carries the head noun
        head = mention.root.lower_
        carrying = [n for n in names.spans if n.start < mention.start and head in n.text.casefold().split()]
        if carrying:
            return clean_name(max(carrying[-3:], key=lambda n: len(n.text)).text)
        return clean_name(text)
    return fullest(clean_name(text), names)


def _author(document: Token) -> Span | None:
    """Who a statement or website speaks for: "Rama's official website", "a statement by Watson"."""
    for child in document.children:
        if child.dep_ == "poss" and child.pos_ == "PROPN":
            return mention_span(child)
        if child.dep_ == "prep" and child.lower_ == "by":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return mention_span(grandchild)
    return None


def _resolve_pronoun(mention: Span, kind: str, names: Names) -> str | None:
    """He/she: the last person named before; it/they: the subject of the sentence or the last body.

    A person who is the subject of a clause is the likelier antecedent than one named in passing
    ("Smith said after meeting Jones. He added ..." → Smith), so the last subject among the
    people of the last two sentences wins over a later name in an object or a prepositional phrase.
    """
    sentence_start = mention.sent.start
    before = [n for n in names.spans if n.end <= mention.start]
    if kind == "PERSON":
        people = [n for n in before if n.label_ == "PERSON"]
        if not people:
            return None
        window = mention.sent.start
        if window > 0:
            window = mention.doc[window - 1].sent.start
        subjects = [n for n in people if n.start >= window and n.root.dep_ in SUBJECT]
        chosen = subjects[-1] if subjects else people[-1]
        return fullest(clean_name(chosen.text), names)
    in_sentence = [n for n in before if n.start >= sentence_start and n.label_ in _BODY_LABELS]
    if in_sentence:
        return clean_name(in_sentence[0].text)
    bodies = [n for n in before if n.label_ in _BODY_LABELS]
    return clean_name(bodies[-1].text) if bodies else None
