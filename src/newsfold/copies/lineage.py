"""Which side of a copy link is the original.

The evidence, strongest first:

1. **Credits.** An article whose dateline credits its own outlet ("(MW)" on Meridian Wire) is
   the agency's own story; one that credits another ("LYON, France (CPS) —" on The Lakeside
   Tribune) republishes that agency's story, so it is not the original.
2. **Publication times**, when both are known to the minute.  A date without a time
   (midnight exactly) only orders articles published on different days.
3. **Containment.** A text half again as long as the other is the original: republishers trim
   wire stories, they seldom double them.
4. Otherwise, the article seen first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from newsfold.model import Article

CONTAINING_RATIO = 1.5
_CREDIT = re.compile(r"\(([^)]{1,30})\)\s*$")


@dataclass(slots=True, frozen=True)
class Side:
    """What lineage needs to know of one article."""

    published: datetime | None
    word_count: int
    credit: int
    """+1 the dateline credits the article's own outlet, -1 another agency, 0 unknown."""


def _initials(name: str) -> str:
    return "".join(word[0] for word in re.findall(r"[A-Za-z]+", name) if word[0].isupper()).upper()


def credit(article: Article) -> int:
    """+1 when the dateline credits the article's own outlet, -1 another agency, 0 when unknown."""
    if not article.dateline or not article.outlet:
        return 0
    match = _CREDIT.search(article.dateline)
    if match is None:
        return 0
    named = match.group(1).strip()
    outlet = article.outlet
    own = named.casefold() in outlet.casefold() or named.replace(".", "").upper() == _initials(outlet)
    return 1 if own else -1


def _day_only(when: datetime) -> bool:
    return (when.hour, when.minute, when.second, when.microsecond) == (0, 0, 0, 0)


def newcomer_is_original(newcomer: Side, seen: Side) -> bool:
    """Whether the article arriving now is the original of the one already seen."""
    if newcomer.credit != seen.credit:
        return newcomer.credit > seen.credit
    if newcomer.published is not None and seen.published is not None:
        a, b = newcomer.published, seen.published
        if (a.date() != b.date() or not (_day_only(a) or _day_only(b))) and a != b:
            return a < b
    return newcomer.word_count >= CONTAINING_RATIO * seen.word_count
