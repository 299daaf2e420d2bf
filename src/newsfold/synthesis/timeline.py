"""A story's timeline: every dated statement, its date resolved, merged across sources.

Each sentence's temporal expressions are resolved against its article's publication date (or,
for an article without one, the story's: see :func:`story_anchor`).  Two sources dating the same
statement to the same day make one event with both citations; "on Wednesday" in one outlet and
"on 7 September" in another land on the same event when their sentences say the same thing.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import date, datetime

from newsfold.model import Article, Citation, DatePrecision, TimelineEvent
from newsfold.synthesis.facts import Sentence, cosine
from newsfold.synthesis.timex import find_temporal_expressions

SAME_EVENT_SIMILARITY = 0.25
"""Cosine above which two sentences with the same date tell the same event."""
_ORDER = {p: i for i, p in enumerate(DatePrecision)}


def story_anchor(articles: list[Article]) -> date | None:
    """The date to read "Wednesday" against when an article has no publication date of its own.

    The latest publication date among the story's articles: they were written within days of
    each other, and the latest is the best guess for an undated copy picked up later.
    """
    dates = [a.published for a in articles if isinstance(a.published, datetime)]
    return max(dates).date() if dates else None


def build_timeline(
    sentences: list[Sentence],
    anchors: dict[str, date | None],
    citation_of: dict[str, Citation],
) -> list[TimelineEvent]:
    """Dated events, oldest first (at equal dates, the less precise first: "2022" before "2022-07")."""
    found: list[tuple[str, DatePrecision, Sentence, str]] = []
    by_article: dict[str, list[Sentence]] = defaultdict(list)
    for sentence in sentences:
        by_article[sentence.article_id].append(sentence)
    for article_id, own in by_article.items():
        # one pass over the article's text, so "a month later" counts from the date before it
        offsets, text = [], ""
        for sentence in own:
            offsets.append(len(text))
            text += sentence.text + " "
        for found_expression in find_temporal_expressions(text, anchors.get(article_id)):
            if found_expression.precision == DatePrecision.DECADE or not found_expression.calendar:
                continue  # "the 1990s" dates nothing; "now", "recently" are no calendar date
            index = bisect_right(offsets, found_expression.start) - 1
            found.append(
                (found_expression.value, found_expression.precision, own[index], found_expression.text)
            )
    by_value: dict[tuple[str, DatePrecision], list[list[tuple[Sentence, str]]]] = defaultdict(list)
    for value, precision, sentence, expression in found:
        events = by_value[(value, precision)]
        for event in events:
            if any(
                s is sentence or cosine(s.vector, sentence.vector) >= SAME_EVENT_SIMILARITY for s, _ in event
            ):
                event.append((sentence, expression))
                break
        else:
            events.append([(sentence, expression)])
    timeline: list[TimelineEvent] = []
    for (value, precision), events in by_value.items():
        for event in events:
            first = min(event, key=lambda item: (item[0].caption, item[0].article_id, item[0].index))[0]
            timeline.append(
                TimelineEvent(
                    value,
                    precision,
                    first.text,
                    tuple(dict.fromkeys(expression for _, expression in event)),
                    tuple(dict.fromkeys(citation_of[s.article_id] for s, _ in event)),
                )
            )
    timeline.sort(key=lambda e: (e.date[:4], e.date, _ORDER[e.precision], -len(e.citations)))
    return timeline
