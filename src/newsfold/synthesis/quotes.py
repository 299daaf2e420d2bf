"""Direct quotes and who said them.

A quote is the words between quotation marks in a sentence that attributes them with a cue verb
("said", "called", "describing ... as") or "according to".  Short quoted phrases inside reported
speech count ("Rama said there was “undeniable evidence”"); a quoted title or nickname in a
sentence without a cue does not, unless the quote is a whole sentence of five words or more,
which news prints only when someone said it.  A quote that runs on into the next paragraph (the
newspaper habit of leaving the first paragraph's quote open) ends with its paragraph.

The cue may sit in any sentence the quote spans (a quote of three sentences is followed by
"Clinton said" after the last), or in the sentence right after the closing mark when the parser
split there ("“...?” he asks."), but not after a quote closed by a full stop, and always in the
quote's paragraph (or the one before, when it ends "Smith said:" above a block quote).  Words
inside any quote are never a cue or a speaker: what a speaker says ("I'll tell you", "My
reaction, that was ...") is not who says it.  A cue with a particle ("called off") is no cue.

The speaker is the subject of the cue verb in spaCy's parse, followed up the clause when the
cue hangs off another verb ("Washington ... blamed Iran and promised to “...”", "Tehran
condemned ..., calling as “...”"), or the object of "according to", or the name right after or
before a cue the parser left without a subject ("Said Smith: “...”", "..., Chief Jane Doe said
Monday").  Reported speech nests, and the outermost speaker of the sentence is the one who
speaks ("Smith said Jones called it “a disgrace”" is Smith's).  Without a cue, a speaker still
comes from the forms news uses for it:

* a transcript label: "SMITH: ..." or "MR. SMITH: ..." opening the quote or its line, written in
  capitals and used as a label twice or naming a person of the text;
* a dash and a name after the closing mark ("“...” — Jane Doe"), as in collected reader comments;
* continuation: a quote that opens its sentence right after a sentence that attributed a quote
  or says who is speaking ("“...,” Smith said. “...”", "..., Smith said. “...”") is the same
  speaker's, as news keeps a speaker's next sentences in their own marks.  A document does not
  go on so ("A statement by Doe said ... “...”"): a spokesperson's statement often gives the
  words of those it speaks for, so the next quote is left to its own sentence.

The speaker is then resolved within the text (:mod:`.speakers`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsfold.synthesis.entities import clean_name
from newsfold.synthesis.language import MAX_CHARS, english
from newsfold.synthesis.speakers import (
    DOCUMENT_NOUNS,
    SUBJECT,
    Names,
    fullest,
    mention_span,
    names_of,
    resolve,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.tokens import Doc, Span, Token

_CUE_VERBS_TEXT = """
    say said says saying tell told tells telling add added adds adding state stated states stating
    announce announced announces announcing declare declared declares declaring warn warned warns
    warning insist insisted insists insisting claim claimed claims claiming argue argued argues
    arguing explain explained explains explaining note noted notes noting write wrote writes
    writing written tweet tweeted tweets tweeting post posted posts ask asked asks asking reply
    replied replies replying call called calls calling describe described describes describing
    deny denied denies denying condemn condemned condemns condemning urge urged urges urging accuse
    accused accuses accusing promise promised promises promising vow vowed vows vowing acknowledge
    acknowledged acknowledges admit admitted admits admitting confirm confirmed confirms confirming
    report reported reports reporting suggest suggested suggests suggesting recall recalled recalls
    continue continued continues conclude concluded concludes remark remarked remarks comment
    commented comments quip quipped quips caution cautioned cautions stress stressed stresses
    emphasise emphasised emphasises emphasize emphasized emphasizes pledge pledged pledges complain
    complained complains predict predicted predicts threaten threatened threatens blame blamed
    blames blaming label labelled labeled labels dub dubbed dubs brand branded brands term termed
    terms cite cited cites citing according demand demanded demands shout shouted shouts sing sang
    sings singing read reads reading rule ruled rules respond responded responds answer answered
    answers joke joked jokes yell yelled yells exclaim exclaimed exclaims mock mocked mocks mocking
    dismiss dismissed dismisses dismissing slam slammed slams blast blasted blasts criticize
    criticized criticizes criticizing criticise criticised criticises praise praised praises
    allege alleged alleges assert asserted asserts contend contended contends maintain maintained
    maintains concede conceded concedes proclaim proclaimed proclaims repeat repeated repeats boast
    boasted boasts brag bragged brags lament lamented laments retort retorted retorts observe
    observed observes mention mentioned mentions recount recounted recounts testify testified
    testifies characterize characterized characterizes characterise characterised wonder wondered
    wonders agree agreed agrees decry decried decries denounce denounced denounces denouncing
    lambaste lambasted lambastes muse mused muses opine opined opines type typed types chant
    chanted chants chanting
    """
CUE_VERBS = frozenset(_CUE_VERBS_TEXT.split())
_QUOTE = re.compile(r"“([^“”\n]{1,2000}?)(?:”|(?=\n|$))|\"([^\"\n]{1,2000}?)(?:\"|(?=\n|$))")
_CLOSE_AS_OPEN = re.compile(r"(?:(?<=\s)|^)”(?=\w)")
"""A closing glyph after a space and before a word opens a quote (a common typesetting slip)."""
_LABEL_WORD = r"[A-Z][A-Z'’.-]*[A-Z]"
_LABEL_TEXT = rf"(?:[A-Z][A-Za-z]{{0,3}}\.\s)?{_LABEL_WORD}(?:\s{_LABEL_WORD}){{0,2}}"
_LABEL = re.compile(rf"\s*({_LABEL_TEXT})\s*:\s+")
"""A transcript label opening a quote: "SMITH: ...", "MR. SMITH: ..." (capitals, then a colon)."""
_LINE_LABEL = re.compile(rf"(?m)^[\s\"“]*({_LABEL_TEXT})\s*:")
_DASH_SOURCE = re.compile(
    r"[\s.,;:!?”\"]*[―—–]\s*((?:[A-Z](?:\.|[\w'’-]*)\s){0,4}[A-Z][\w'’-]*)(?=[\s.,;:]*(?:$|\n|[“\"]|[A-Z]))"
)
"""A name after a dash right after a quote ("“...” — Jane Doe"): up to five capitalised words."""
_NOT_SPEECH_PARTICLES = frozenset(["off", "up", "back", "in", "apart", "down"])
_NAMING_VERBS = frozenset(
    ["called", "dubbed", "named", "labelled", "labeled", "branded", "termed", "titled", "nicknamed"]
)
"""Verbs that, modifying a noun, give its name: "a camp called “Ashraf 3”" quotes no one."""
_ALNUM = re.compile(r"\w")
_NEXT_SENTENCE_REACH = 6
"""How far into the next sentence a cue may stand ("“...?” asked Senator Jane Doe of Ohio")."""
_NOT_SPEAKERS = frozenset(["DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"])
"""Entity kinds the parser sometimes makes the subject of "said" ("Smith said Monday")."""
_RELATIVE = frozenset(["who", "which", "that"])


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
    bare: bool = False
    """Nothing in its text attributes it (no cue, no speaker, not a whole sentence): a quoted
    phrase that only another outlet's attribution makes a quote (``find_quotes(bare=True)``)."""


@dataclass(frozen=True, slots=True)
class _Attribution:
    """Who the last attributed quote or reporting sentence named, and the sentence it ended in."""

    speaker: str
    start: int | None
    end: int | None
    sentence: int


def find_quotes(text: str, doc: Doc | None = None, *, bare: bool = False) -> list[QuoteMention]:
    """Every attributed quote in ``text``, in order, with its speaker resolved where the text allows.

    ``doc`` is ``text`` already parsed by :func:`~newsfold.synthesis.language.english` (a caller
    that also needs the entities parses once).  Only the first
    :data:`~newsfold.synthesis.language.MAX_CHARS` characters are read.  With ``bare``, quoted
    words nothing attributes come too, marked :attr:`QuoteMention.bare`: a story's other
    outlets may say who said them ("The meeting was cancelled “for security reasons”" beside
    "… “for security reasons,” the group said").
    """
    text = text[:MAX_CHARS]
    marked = _CLOSE_AS_OPEN.sub("“", text)  # same length: offsets hold
    spans = [
        (m.start(g), m.end(g))
        for m in _QUOTE.finditer(marked)
        for g in (1, 2)
        if m.group(g) is not None and any(ch.isalpha() for ch in m.group(g))
    ]
    if not spans:
        return []
    if doc is None:
        doc = english()(text)
    names = names_of(doc)
    inside = _inside_quotes(spans)
    labels = _transcript_labels(text, names)
    sentence_of = {sent.start: number for number, sent in enumerate(doc.sents)}
    quotes: list[QuoteMention] = []
    previous: str | None = None
    last: _Attribution | None = None
    for start, end in spans:
        final = text[start:end].rstrip()[-1:]  # the quote's last mark: "." ends its sentence, "," does not
        while end > start and text[end - 1] in " ,.;:":
            end -= 1  # “...,” said Rama: the comma is punctuation, not the quote
        label = _label(text, start, end, labels)
        if label is not None:
            start = label[2]  # "SMITH: ..." — the label is who speaks, not what is said
        if start >= end:
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        sent = span[0].sent
        last_sent = span[-1].sent
        number = sentence_of[last_sent.start]
        if label is not None:
            label_start, label_end, _ = label
            previous = fullest(clean_name(text[label_start:label_end].title()), names)
            last = _Attribution(previous, label_start, label_end, number)
            quotes.append(
                QuoteMention(start, end, text[start:end], previous, label_start, label_end, None, sent.text)
            )
            continue
        cue = _cue(span, text, final, inside)
        mention = _speaker_mention(cue, inside) if cue is not None else None
        if mention is None:
            mention = _dash_source(doc, marked, end)
        speaker = resolve(mention, names, previous) if mention is not None else None
        speaker_start = mention.start_char if mention is not None else None
        speaker_end = mention.end_char if mention is not None else None
        opens = _opens_sentence(text, sent, start)
        if speaker is None and opens:
            earlier = last if last is not None and last.sentence >= sentence_of[sent.start] - 1 else None
            if earlier is None and sent.start > 0:
                earlier = _reporting_sentence(doc[sent.start - 1].sent, sentence_of, inside, names, previous)
            if earlier is not None:
                speaker, speaker_start, speaker_end = earlier.speaker, earlier.start, earlier.end
        whole = len(text[start:end].split()) >= 5 and _stands_alone(text, sent, start)
        unattributed = cue is None and speaker is None and not whole
        if unattributed and not bare:
            continue  # a quoted title or nickname, unless a whole sentence of five words or more
        if speaker is not None:
            previous = speaker
            if cue is not None and cue.sent.start != last_sent.start:
                number = max(number, sentence_of[cue.sent.start])
            voiced = mention is None or mention.root.lower_ not in DOCUMENT_NOUNS
            last = _Attribution(speaker, speaker_start, speaker_end, number) if voiced else None
        quotes.append(
            QuoteMention(
                start,
                end,
                text[start:end],
                speaker,
                speaker_start,
                speaker_end,
                cue.lower_ if cue is not None else None,
                sent.text,
                unattributed,
            )
        )
    return quotes


def _inside_quotes(spans: list[tuple[int, int]]) -> Callable[[int], bool]:
    """Whether a character offset lies between the marks of one of the (sorted) quotes."""
    starts = [s for s, _ in spans]

    def inside(offset: int) -> bool:
        k = bisect_right(starts, offset) - 1
        return k >= 0 and offset < spans[k][1]

    return inside


def _stands_alone(text: str, sent: Span, start: int) -> bool:
    before = text[sent.start_char : start].strip(' “"')
    return not before or before.endswith(":")


def _opens_sentence(text: str, sent: Span, start: int) -> bool:
    """Nothing but marks and punctuation before the quote in its sentence."""
    return _ALNUM.search(text[sent.start_char : start]) is None


def _transcript_labels(text: str, names: Names) -> frozenset[str]:
    """Capitalised labels that open lines as a transcript's speakers do.

    A label counts when it is used twice or more, or when its last word is the last word of a
    person the text names ("PENCE:" in a text about Mike Pence): a lone "UPDATE:" is not a speaker.
    """
    used = Counter(m.group(1) for m in _LINE_LABEL.finditer(text))
    people = {n.text.split()[-1].casefold() for n in names.spans if n.label_ == "PERSON" and n.text.split()}
    return frozenset(
        label
        for label, count in used.items()
        if count >= 2 or label.split()[-1].strip(".").casefold() in people
    )


def _label(text: str, start: int, end: int, labels: frozenset[str]) -> tuple[int, int, int] | None:
    """A transcript label opening the quote or its line: (label start, label end, quote's new start)."""
    match = _LABEL.match(text, start, end)
    if match is not None and match.group(1) in labels:
        return match.start(1), match.end(1), match.end()
    line_start = text.rfind("\n", 0, start) + 1
    before = _LINE_LABEL.match(text, line_start, start)
    if before is not None and before.group(1) in labels and not _ALNUM.search(text[before.end() : start]):
        return before.start(1), before.end(1), start
    return None


def _cue(quote: Span, text: str, final: str, inside: Callable[[int], bool]) -> Token | None:
    """The cue verb of a quote: outside every quote, in a sentence it spans or the one right after, nearest.

    ``final`` is the quote's last mark.  A cue after the quote must belong to it: never after a
    quote closed by a full stop (the words after start a new sentence, however the parser split),
    and right after one closed by "?" or "!" ("“...?” Smith asked. Then ...").  The cue is in the
    quote's paragraph, however the parser ran sentences together across the break, or in the
    paragraph before when that one ends with a colon ("Smith said:" above a block quote).
    """
    doc, start, end = quote.doc, quote.start_char, quote.end_char
    paragraph_start = text.rfind("\n", 0, start) + 1
    if not _ALNUM.search(text[paragraph_start:start]) and text[:paragraph_start].rstrip().endswith(":"):
        paragraph_start = text.rfind("\n", 0, text[:paragraph_start].rstrip().rfind(":")) + 1
    paragraph_end = text.find("\n", end) % (len(text) + 1)  # -1 (the last paragraph) → len(text)
    first, stop, closing = quote[0].sent.start, quote[-1].sent.end, quote.end
    if final != "." and _split_after(doc, stop, end, text):
        stop = doc[stop].sent.end
    if final == ".":
        stop = min(stop, closing)
    elif final in ("?", "!"):
        stop = min(stop, closing + _NEXT_SENTENCE_REACH)
    outside = [
        token
        for token in doc[first:stop]
        if _is_cue(token)
        and paragraph_start <= token.idx < paragraph_end
        and not (start <= token.idx < end)
        and not inside(token.idx)
        and (token.pos_ in ("VERB", "AUX") or token.lower_ == "according")
    ]
    if not outside:
        return None
    return min(outside, key=lambda t: min(abs(t.idx - start), abs(t.idx - end)))


def _is_cue(token: Token) -> bool:
    """A cue word, unless a particle makes it another verb ("called off", "wrote up", "told apart")
    or it names a thing rather than reports speech ("a camp called “Ashraf 3”", "a rally dubbed")."""
    if (
        token.lower_ in _NAMING_VERBS
        and token.dep_ == "acl"
        and token.head.i == token.i - 1  # right after its noun: "a film called", not "..., called"
        and token.head.pos_ == "NOUN"  # "Trump called LeVell" is speech the parser may read so too
        and not any(child.dep_ in SUBJECT for child in token.children)  # "reports that Trump called her"
    ):
        return False
    return token.lower_ in CUE_VERBS and not any(
        child.dep_ == "prt" and child.lower_ in _NOT_SPEECH_PARTICLES for child in token.children
    )


def _split_after(doc: Doc, stop: int, end: int, text: str) -> bool:
    """Whether the parser cut a sentence after a quote that the words after the mark still belong to.

    A quote ending in "?" or "!" ("“...?” Smith asked."), or a next sentence opening in lower case
    ("“...” he said."), goes on; a quote closed by a full stop ends its sentence.
    """
    if stop >= len(doc):
        return False
    between = text[end : doc[stop].idx]
    if _ALNUM.search(between) is not None:
        return False
    ends_open = end > 0 and doc.text[end - 1] in "?!"
    return ends_open or doc[stop].is_lower


def _speaker_mention(cue: Token, inside: Callable[[int], bool]) -> Span | None:
    """The subject of the cue verb, climbing to the verb it hangs from when it has none of its own."""
    if cue.lower_ == "according":
        for child in cue.subtree:
            if child.dep_ == "pobj" and not inside(child.idx):
                return mention_span(child)
        return None
    outer = _outer_cue(cue, inside)
    if outer is not None:
        return outer
    verb = cue
    for _ in range(4):
        subject = _subject(verb, inside)
        if subject is not None:
            return mention_span(_antecedent(subject))
        if verb.head.i == verb.i or verb.dep_ in SUBJECT:
            break
        verb = verb.head
    return _name_after(cue, inside) or _name_before(cue, inside)


def _subject(verb: Token, inside: Callable[[int], bool]) -> Token | None:
    """The verb's subject outside the quotes, nearest the verb; a date is never one ("said Monday")."""
    subjects = [
        child
        for child in verb.children
        if child.dep_ in SUBJECT and not inside(child.idx) and child.ent_type_ not in _NOT_SPEAKERS
    ]
    return min(subjects, key=lambda t: abs(t.i - verb.i)) if subjects else None


def _outer_cue(cue: Token, inside: Callable[[int], bool]) -> Span | None:
    """The speaker of the outermost cue above this one in its sentence, if there is one.

    Reported speech nests: in "Smith said Jones called it “a disgrace”" or "She says his tweets
    accusing her are “lies”", the sentence is Smith's and her account, and the words quoted are
    what the outermost speaker reports; the inner cue's subject is who the report is about.
    """
    found: Token | None = None
    token = cue
    while token.head.i != token.i and token.dep_ != "conj":  # "called off ... and said": side by side
        if _paragraph_break(token, token.head):
            break
        token = token.head
        if _is_cue(token) and token.pos_ == "VERB" and not inside(token.idx):
            subject = _subject(token, inside)
            if subject is not None:
                found = subject
    return mention_span(_antecedent(found)) if found is not None else None


def _paragraph_break(a: Token, b: Token) -> bool:
    """Whether a line break lies between two tokens (the parser may join paragraphs into one sentence)."""
    low, high = sorted((a.i, b.i))
    return any(t.is_space and "\n" in t.text for t in a.doc[low:high])


def _name_after(cue: Token, inside: Callable[[int], bool]) -> Span | None:
    """The name right after a cue the parser left without a subject ("Said Smith: ...")."""
    doc = cue.doc
    if cue.i + 1 >= len(doc):
        return None
    token = doc[cue.i + 1]
    if token.pos_ != "PROPN" or inside(token.idx) or token.ent_type_ in _NOT_SPEAKERS:
        return None
    while token.dep_ == "compound" and token.head.pos_ == "PROPN" and token.head.i > token.i:
        token = token.head
    return mention_span(token)


def _name_before(cue: Token, inside: Callable[[int], bool]) -> Span | None:
    """The name right before a cue the parser left without a subject ("..., Chief Jane Doe said Monday").

    An apposition stands for the name it describes ("Doe, a police chief, said" → Doe).
    """
    doc = cue.doc
    i = cue.i - 1
    while i >= 0 and ((doc[i].is_punct and doc[i].text not in '”"') or doc[i].pos_ == "ADV"):
        i -= 1
    if i < 0:
        return None
    token = doc[i]
    if token.pos_ not in ("PROPN", "NOUN", "PRON") or inside(token.idx) or token.ent_type_ in _NOT_SPEAKERS:
        return None
    while (
        token.dep_ == "appos"
        and token.head.pos_ in ("PROPN", "NOUN")
        and token.head.i < token.i
        and not inside(token.head.idx)
    ):
        token = token.head
    return mention_span(token)


def _antecedent(subject: Token) -> Token:
    """A relative pronoun's noun ("a woman who said" → woman); any other subject is itself."""
    if (
        subject.lower_ in _RELATIVE
        and subject.head.dep_ == "relcl"
        and subject.head.head.pos_ in ("NOUN", "PROPN")
    ):
        return subject.head.head
    return subject


def _dash_source(doc: Doc, text: str, end: int) -> Span | None:
    """The name after a dash that follows the closing mark ("“...” — Jane Doe")."""
    match = _DASH_SOURCE.match(text, end)
    if match is None:
        return None
    return doc.char_span(match.start(1), match.end(1), alignment_mode="expand")


def _reporting_sentence(
    sent: Span,
    sentence_of: dict[int, int],
    inside: Callable[[int], bool],
    names: Names,
    previous: str | None,
) -> _Attribution | None:
    """Who a sentence without a quote says is speaking ("..., Smith said."), if it has a cue and subject."""
    for token in sent:
        if _is_cue(token) and token.pos_ in ("VERB", "AUX") and not inside(token.idx):
            mention = _speaker_mention(token, inside)
            if mention is not None and mention.root.lower_ not in DOCUMENT_NOUNS:
                speaker = resolve(mention, names, previous)
                return _Attribution(speaker, mention.start_char, mention.end_char, sentence_of[sent.start])
    return None
