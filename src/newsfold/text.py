"""Words and sentences, read the same way by every stage.

Copies, stories and synthesis each compare content words and split sentences; each adds the
words that say nothing *for its own question* (stories drop "year" and "week", copies drop
"may" and "must"), but the English function words and where a sentence ends are one thing.
"""

from __future__ import annotations

import re

_FUNCTION_WORD_TEXT = """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself said says say told according
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORD_TEXT.split())
"""English function words and reporting verbs: no statement is told apart by them."""
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
"""The month names, in order, lower case: the stories stage, synthesis and the reader read dates."""

# A sentence ends at . ! ? (plus closing quotes) before a capital or a digit; "U.S.", "Mr.",
# "Gen." and "Sept. 8" do not end one, nor does "a.m." or "p.m." before the day or the time zone it goes
# with ("at 6 a.m. Monday, launching ...", "5 p.m. GMT").
_TIME_GOES_ON = (
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Tues|Wed|Thu|Thurs|Fri|Sat|Sun|"
    r"GMT|UTC|BST|CET|CEST|EET|EEST|ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|AEST|AEDT|JST|IST"
)
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\bMr|\bMs|\bDr|\bSt|\bNo|\bLt)(?<!\bJan|\bFeb|\bAug|\bSep|\bOct|\bNov|\bDec)(?<!\bSept)"
    r"(?<!\bGen|\bCol|\bSen|\bRep|\bGov|\bSgt|\bRev|\bMrs)(?<!\bProf|\bCapt)"
    rf"([.!?…][\"'”’)]*)(?!(?<=\b[ap]\.m\.)\s+(?:{_TIME_GOES_ON})\b)\s+(?=[\"'“‘(]?[A-Z0-9])"
)


QUOTED_SENTENCES = 4
"""The most sentences a quotation may hold and still be kept in the sentence that quotes it."""


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, stripped, in order.

    A quotation of a few sentences stays in the sentence that quotes it (Rama said: “This is
    undeniable evidence. Iran did it.”): cut at its first full stop, the rest reads as the
    paper's own words.  A quotation left open (news runs a long quote over paragraphs, closing
    it only at the end) is split as if unquoted."""
    pieces = [s.strip() for s in _SENTENCE_END.sub("\\1\n", text).split("\n") if s.strip()]
    sentences: list[str] = []
    start = 0
    while start < len(pieces):
        end = start
        if _opens_quote(pieces[start]):
            closing = next(
                (
                    stop
                    for stop in range(start + 1, min(start + QUOTED_SENTENCES, len(pieces)))
                    if not _opens_quote(" ".join(pieces[start : stop + 1]))
                ),
                None,
            )
            end = closing if closing is not None else start
        sentences.append(" ".join(pieces[start : end + 1]))
        start = end + 1
    return sentences


def _opens_quote(text: str) -> bool:
    """Whether ``text`` leaves a quotation open (curly quotes counted in pairs, straight ones by parity)."""
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1


def fold_plural(word: str) -> str:
    """Crude plural folding: 'diplomats' and 'diplomat', 'parties' and 'party' count as one word."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
