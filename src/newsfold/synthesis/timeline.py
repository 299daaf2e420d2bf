"""A story's timeline: every dated statement, its date resolved, merged across sources.

Each sentence's temporal expressions are resolved against its article's publication date (or,
for an article without one, the story's: see :func:`story_anchor`).  Statements of one date
that say the same thing make one event with every source's citations: two wordings of one fact,
or sentences close in words ("on Wednesday" in one outlet and "on 7 September" in another land
on the same event when their sentences say the same thing).

Not events: a line that is only a date ("Wed 14 Jan 2026 16.30 GMT", a dateline or a byline's
time), and a photo caption's day, week, month or season ("Police stand guard outside the
embassy, Wednesday, Sept. 7, 2022"), which dates the picture; such a caption still joins an
event the articles tell, and a caption's year ("settled in Albania in 2013") is history like
any other sentence's.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from datetime import date, datetime

from newsfold.model import Article, Citation, DatePrecision, TimelineEvent
from newsfold.synthesis.disjoint import DisjointSet
from newsfold.synthesis.facts import FactGroup, Sentence, cosine
from newsfold.synthesis.timex import find_temporal_expressions

SAME_EVENT_SIMILARITY = 0.2
"""Cosine above which two sentences with the same date tell the same event (a shared date is
evidence already: two statements of one day that share this many words are about one thing)."""
MIN_EVENT_WORDS = 3
"""Words a sentence needs besides its date (and times, zones, weekdays) to tell an event."""
_ORDER = {p: i for i, p in enumerate(DatePrecision)}
_SEASON_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 1}
"""The month a season starts in its year (winter's part of a year starts the year)."""
_WORD = re.compile(r"[^\W\d_]+")
_DATELINE_TEXT = """
    mon tue tues wed thu thurs fri sat sun monday tuesday wednesday thursday friday saturday sunday
    jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july
    august september october november december am pm a m p gmt utc bst cet cest est edt pst pdt et
    pt updated published posted last modified on at by
"""
_DATELINE_WORDS = frozenset(_DATELINE_TEXT.split())
_FROM_ANOTHER_EVENT = re.compile(r"(?:(?<=after)|(?<=before))\s+(?!that\b)[a-z]", re.IGNORECASE)
"""After "a day after", "four days before", a word names the event counted from ("a day after the
company disclosed"), which is not the last date the text gave: such a date is not known."""


def story_anchor(articles: list[Article]) -> date | None:
    """The date to read "Wednesday" against when an article has no publication date of its own.

    The latest publication date among the story's articles: they were written within days of
    each other, and the latest is the best guess for an undated copy picked up later.
    """
    dates = [a.published for a in articles if isinstance(a.published, datetime)]
    return max(dates).date() if dates else None


def period_start(value: str) -> date:
    """The first day of a TIMEX3 value: "2022-SU" is 1 June 2022, "2025-W10" that week's Monday."""
    year = int(value[:4])
    rest = value[5:]
    if re.fullmatch(r"\d\d-\d\d", rest):
        return date(year, int(rest[:2]), int(rest[3:]))
    if re.fullmatch(r"\d\d", rest):
        return date(year, int(rest), 1)
    if re.fullmatch(r"W\d\d", rest):
        return date.fromisocalendar(year, int(rest[1:]), 1)
    if re.fullmatch(r"[QH]\d", rest):
        return date(year, (int(rest[1]) - 1) * (3 if rest[0] == "Q" else 6) + 1, 1)
    return date(year, _SEASON_MONTH.get(rest, 1), 1)


def build_timeline(
    sentences: list[Sentence],
    anchors: dict[str, date | None],
    citation_of: dict[str, Citation],
    groups: list[FactGroup] | tuple[FactGroup, ...] = (),
) -> list[TimelineEvent]:
    """Dated events, oldest first by when each period starts (at equal starts, the less precise
    first: "2022" before "2022-01"); ``groups`` are the story's facts, whose wordings are one event."""
    fact_of = {id(s): index for index, group in enumerate(groups) for s in group.sentences}
    order = {id(s): position for position, s in enumerate(sentences)}
    found: dict[tuple[str, DatePrecision], list[tuple[Sentence, str]]] = defaultdict(list)
    by_article: dict[str, list[Sentence]] = defaultdict(list)
    for sentence in sentences:
        by_article[sentence.article_id].append(sentence)
    for article_id, own in by_article.items():
        # one pass over the article's text, so "a month later" counts from the date before it
        offsets, text = [], ""
        for sentence in own:
            offsets.append(len(text))
            text += sentence.text + " "
        for expression in find_temporal_expressions(text, anchors.get(article_id)):
            if expression.precision == DatePrecision.DECADE or not expression.calendar:
                continue  # "the 1990s" dates nothing; "now", "recently" are no calendar date
            sentence = own[bisect_right(offsets, expression.start) - 1]
            if _only_a_date(sentence.text, expression.text) or _FROM_ANOTHER_EVENT.match(
                text, expression.end
            ):
                continue
            found[(expression.value, expression.precision)].append((sentence, expression.text))
    timeline: list[TimelineEvent] = []
    for (value, precision), sightings in found.items():
        for event in _events(sightings, fact_of):
            if all(s.caption for s, _ in event) and _ORDER[precision] < _ORDER[DatePrecision.YEAR]:
                continue  # a photo's day (or season: "a summer of smoke"), which no article tells
            support = Counter(fact_of.get(id(s), -1 - order[id(s)]) for s, _ in event)
            shown = min(
                event,
                key=lambda item: (
                    item[0].caption,
                    -support[fact_of.get(id(item[0]), -1 - order[id(item[0])])],
                    order[id(item[0])],
                ),
            )[0]  # the wording most of its sources share
            timeline.append(
                TimelineEvent(
                    value,
                    precision,
                    shown.text,
                    tuple(dict.fromkeys(expression for _, expression in event)),
                    tuple(dict.fromkeys(citation_of[s.article_id] for s, _ in event)),
                )
            )
    timeline.sort(key=lambda e: (period_start(e.date), -_ORDER[e.precision], -len(e.citations), e.text))
    return timeline


def _events(
    sightings: list[tuple[Sentence, str]], fact_of: dict[int, int]
) -> list[list[tuple[Sentence, str]]]:
    """The sightings of one date grouped into events: one sentence, one fact, or sentences
    close in words, and whatever those join (in the order first seen)."""
    joined = DisjointSet(range(len(sightings)))
    first_of: dict[object, int] = {}
    for index, (sentence, _) in enumerate(sightings):
        key = ("fact", fact_of[id(sentence)]) if id(sentence) in fact_of else ("sentence", id(sentence))
        if key in first_of:
            joined.union(index, first_of[key])
        else:
            first_of[key] = index
    heads = list(first_of.values())  # one sentence per fact: a wire fact's 500 copies cost one
    for i, a in enumerate(heads):
        for b in heads[i + 1 :]:
            if cosine(sightings[a][0].vector, sightings[b][0].vector) >= SAME_EVENT_SIMILARITY:
                joined.union(a, b)
    return [[sightings[i] for i in members] for members in joined.groups()]


def _only_a_date(text: str, expression: str) -> bool:
    """Whether a sentence is nothing but its date, times and zones: a dateline, not an event."""
    rest = text.replace(expression, " ", 1)
    return sum(1 for w in _WORD.findall(rest) if w.casefold() not in _DATELINE_WORDS) < MIN_EVENT_WORDS
