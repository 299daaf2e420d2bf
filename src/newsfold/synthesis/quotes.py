"""Direct quotes and who said them.

A quote is the words between quotation marks in a sentence that attributes them with a cue verb
("said", "called", "describing ... as") or "according to".  Short quoted phrases inside reported
speech count ("Rama said there was “undeniable evidence”"); a quoted title or nickname in a
sentence without a cue does not, unless the quote is a whole sentence of five words or more,
which news prints only when someone said it.  A quote that runs on into the next paragraph (the
newspaper habit of leaving the first paragraph's quote open) ends with its paragraph.

The speaker is the subject of the cue verb in spaCy's parse, followed up the clause when the
cue hangs off another verb ("Washington ... blamed Iran and promised to “...”", "Tehran
condemned ..., calling as “...”"), or the object of "according to".  It is then resolved within
the text: a surname to the fullest name ending with it ("Rama" → "Edi Rama"), "he"/"she" to
the last person named, "it"/"they" to the subject of the sentence or the last body named, and a
noun phrase ("the ministry", "the group") to the last name carrying its head noun ("the Iranian
Foreign Ministry").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsfold.synthesis.entities import clean_name
from newsfold.synthesis.language import MAX_CHARS, english

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_CUE_VERBS_TEXT = """
    say said says saying tell told tells add added adds adding state stated states announce announced
    announces declare declared warn warned warns insist insisted insists insisting claim claimed
    claims argue argued argues explain explained explains note noted notes write wrote writes
    tweet tweeted post posted ask asked asks reply replied replies call called calls calling
    describe described describes describing deny denied denies condemn condemned condemns urge
    urged urges accuse accused accuses promise promised promises vow vowed vows acknowledge
    acknowledged admit admitted confirm confirmed confirms report reported suggest suggested
    recall recalled continue continued conclude concluded remark remarked comment commented
    quip quipped caution cautioned stress stressed emphasise emphasised emphasize emphasized
    pledge pledged complain complained predict predicted threaten threatened blame blamed
    label labelled labeled dub dubbed brand branded term termed cite cited citing according
    """
CUE_VERBS = frozenset(_CUE_VERBS_TEXT.split())
_QUOTE = re.compile(r"“([^“”\n]{1,2000}?)(?:”|(?=\n|$))|\"([^\"\n]{1,2000}?)(?:\"|(?=\n|$))")
_SUBJECT = ("nsubj", "nsubjpass", "csubj")
_DOCUMENT_NOUNS = frozenset(["statement", "website", "site", "report", "press", "release", "letter", "post"])
"""A document "says" things for its author: its speaker is who wrote it (by whom, or whose)."""
_PRONOUN_KIND = {"he": "PERSON", "she": "PERSON", "i": "PERSON", "it": "BODY", "they": "BODY", "we": "BODY"}
_BODY_LABELS = frozenset(["ORG", "GPE", "NORP", "FAC"])


@dataclass(frozen=True, slots=True)
class QuoteMention:
    """A quote in one text: the quoted words' offsets (without the marks) and its speaker."""

    start: int
    end: int
    text: str
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    cue: str | None
    sentence: str = ""
    """The sentence the quote stands in, as the parse split it."""


def find_quotes(text: str, doc: Doc | None = None) -> list[QuoteMention]:
    """Every attributed quote in ``text``, in order, with its speaker resolved where the text allows.

    ``doc`` is ``text`` already parsed by :func:`~newsfold.synthesis.language.english` (a caller
    that also needs the entities parses once).  Only the first
    :data:`~newsfold.synthesis.language.MAX_CHARS` characters are read.
    """
    text = text[:MAX_CHARS]
    spans = [
        (m.start(g), m.end(g))
        for m in _QUOTE.finditer(text)
        for g in (1, 2)
        if m.group(g) is not None and any(ch.isalpha() for ch in m.group(g))
    ]
    if not spans:
        return []
    if doc is None:
        doc = english()(text)
    names = _names(doc)
    quotes: list[QuoteMention] = []
    previous: str | None = None
    for start, end in spans:
        while end > start and text[end - 1] in " ,.;:":
            end -= 1  # “...,” said Rama: the comma is punctuation, not the quote
        sentence = doc.char_span(start, end, alignment_mode="expand")
        if sentence is None:
            continue
        sent = sentence[0].sent
        cue = _cue(sent, start, end)
        if cue is None:
            if len(text[start:end].split()) < 5 or not _stands_alone(text, sent, start):
                continue
            quotes.append(QuoteMention(start, end, text[start:end], None, None, None, None, sent.text))
            continue
        mention = _speaker_mention(cue)
        speaker = _resolve(mention, names, previous) if mention is not None else None
        previous = speaker or previous
        quotes.append(
            QuoteMention(
                start,
                end,
                text[start:end],
                speaker,
                mention.start_char if mention is not None else None,
                mention.end_char if mention is not None else None,
                cue.text,
                sent.text,
            )
        )
    return quotes


def _stands_alone(text: str, sent: Span, start: int) -> bool:
    before = text[sent.start_char : start].strip(' “"')
    return not before or before.endswith(":")


def _cue(sent: Span, start: int, end: int) -> Token | None:
    """The cue verb of a quote: outside the quote, in its sentence, nearest to it."""
    outside = [
        token
        for token in sent
        if token.lower_ in CUE_VERBS
        and not (start <= token.idx < end)
        and (token.pos_ in ("VERB", "AUX") or token.lower_ == "according")
    ]
    if not outside:
        return None
    return min(outside, key=lambda t: min(abs(t.idx - start), abs(t.idx - end)))


def _speaker_mention(cue: Token) -> Span | None:
    """The subject of the cue verb, climbing to the verb it hangs from when it has none of its own."""
    if cue.lower_ == "according":
        for child in cue.subtree:
            if child.dep_ == "pobj":
                return _mention_span(child)
        return None
    verb = cue
    for _ in range(4):
        for child in verb.children:
            if child.dep_ in _SUBJECT:
                return _mention_span(child)
        if verb.head is verb or verb.dep_ in _SUBJECT:
            break
        verb = verb.head
    return None


def _mention_span(token: Token) -> Span:
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


def _names(doc: Doc) -> list[Span]:
    return [ent for ent in doc.ents if ent.label_ in ("PERSON", "ORG", "GPE", "NORP", "FAC")]


def _fullest(name: str, names: list[Span]) -> str:
    """The longest name in the text that ends with ``name`` ("Rama" → "Edi Rama")."""
    fuller = [full for full in (clean_name(n.text) for n in names) if full.endswith(" " + name)]
    return max(fuller, key=len) if fuller else name


def _resolve(mention: Span, names: list[Span], previous: str | None) -> str:
    """The speaker a mention stands for, as a clean name (the mention itself when nothing fuller is known)."""
    text = mention.text
    folded = text.casefold()
    if mention.root.lower_ in _DOCUMENT_NOUNS:
        author = _author(mention.root)
        if author is not None:
            return _resolve(author, names, previous)
        return previous or clean_name(text)
    if folded in _PRONOUN_KIND:
        return _resolve_pronoun(mention, _PRONOUN_KIND[folded], names) or text
    if mention.root.pos_ != "PROPN" and not mention.root.ent_type_:
        # "the ministry", "the group": the last name that carries the head noun
        head = mention.root.lower_
        carrying = [n for n in names if n.start < mention.start and head in n.text.casefold().split()]
        if carrying:
            return clean_name(max(carrying[-3:], key=lambda n: len(n.text)).text)
        return clean_name(text)
    return _fullest(clean_name(text), names)


def _author(document: Token) -> Span | None:
    """Who a statement or website speaks for: "Rama's official website", "a statement by Watson"."""
    for child in document.children:
        if child.dep_ == "poss" and child.pos_ == "PROPN":
            return _mention_span(child)
        if child.dep_ == "prep" and child.lower_ == "by":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return _mention_span(grandchild)
    return None


def _resolve_pronoun(mention: Span, kind: str, names: list[Span]) -> str | None:
    """He/she: the last person named before; it/they: the subject of the sentence or the last body."""
    sentence_start = mention.sent.start
    before = [n for n in names if n.end <= mention.start]
    if kind == "PERSON":
        people = [n for n in before if n.label_ == "PERSON"]
        if not people:
            return None
        return _fullest(clean_name(people[-1].text), names)
    in_sentence = [n for n in before if n.start >= sentence_start and n.label_ in _BODY_LABELS]
    if in_sentence:
        return clean_name(in_sentence[0].text)
    bodies = [n for n in before if n.label_ in _BODY_LABELS]
    return clean_name(bodies[-1].text) if bodies else None
