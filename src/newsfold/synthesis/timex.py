"""Temporal expressions in news text, normalised against the article's publication date.

News dates events relative to the day it is written: "on Wednesday", "on July 15", "a month
later", "late July", "last year".  A timeline across outlets needs them as calendar dates, so
each expression found gets a TIMEX3-style value cut at its precision ("2022-09-07", "2022-07",
"2018", "2022-SU", "199" for the 1990s, "2022-W36" for a week).

Rules, not a model: the expressions that date news events are few and regular, and a rule can
say why it chose a date.  How the ambiguous ones resolve:

* a weekday means the nearest such day *before* the anchor (news reports what happened), or on
  the anchor day itself, unless "next", "coming" or a future verb ("will", "is to") comes just
  before it;
* a month and day without a year ("July 15"), or a month alone ("in July"), takes the year that
  puts it nearest the anchor (a December article's "January 3" is the next year);
* "a month later", "two days earlier" count from the last date the text resolved, which is how
  a reader follows a narrative; "three days ago" counts from the anchor.

Expressions that need an anchor ("Wednesday", "yesterday") are dropped when there is none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from newsfold.model import DatePrecision

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_NUMBER = {name[:3]: i + 1 for i, name in enumerate(_MONTHS)}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "several": 3,
    "a few": 3,
    "few": 3,
}

_MONTH = (
    r"(?P<{0}>jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|"
    r"aug(?:ust|\.)?|sep(?:tember|t\.?|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)"
)
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{0}>1[89]\d\d|20\d\d)"
_WEEKDAY = r"(?P<{0}>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_COUNT = r"(?P<{0}>\d+|a few|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few)"
_UNIT = r"(?P<{0}>day|week|month|year)s?"
_PART = r"(?:(?P<{0}>early|mid|late|the end of|the beginning of|the start of|the middle of)[\s-]+)?"

_PATTERNS: list[tuple[str, str]] = [
    ("iso", r"(?P<iy>\d{4})-(?P<im>\d\d)-(?P<id>\d\d)"),
    (
        "weekday_mdy",
        rf"(?:{_WEEKDAY.format('w1')},?\s+)?{_MONTH.format('m1')}\s+{_DAY.format('d1')},?\s+{_YEAR.format('y1')}",
    ),
    (
        "weekday_dmy",
        rf"(?:{_WEEKDAY.format('w2')},?\s+)?(?:the\s+)?{_DAY.format('d2')}(?:\s+of)?\s+{_MONTH.format('m2')},?\s+{_YEAR.format('y2')}",
    ),
    ("month_year", rf"{_PART.format('p3')}{_MONTH.format('m3')},?\s+(?:of\s+)?{_YEAR.format('y3')}"),
    ("weekday_md", rf"(?:{_WEEKDAY.format('w4')},?\s+)?{_MONTH.format('m4')}\s+{_DAY.format('d4')}(?![\d:])"),
    (
        "weekday_dm",
        rf"(?:{_WEEKDAY.format('w5')},?\s+)?(?:the\s+)?{_DAY.format('d5')}(?:\s+of)?\s+{_MONTH.format('m5')}",
    ),
    ("ago", rf"{_COUNT.format('c1')}\s+{_UNIT.format('u1')}\s+ago"),
    (
        "relative",
        rf"{_COUNT.format('c2')}\s+{_UNIT.format('u2')}\s+(?P<direction>later|earlier|after|before)",
    ),
    ("deictic", r"(?P<deictic>yesterday|today|tonight|tomorrow|this (?:morning|afternoon|evening))"),
    ("period", r"(?P<which>last|this|next|past|coming|previous)\s+(?P<period>week|month|year)"),
    ("earlier_this", r"(?P<which2>earlier|later)\s+this\s+(?P<period2>week|month|year)"),
    (
        "season",
        rf"(?:(?P<swhich>last|this|next)\s+)?(?P<season>spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?{_YEAR.format('y6')})?",
    ),
    ("decade", r"(?:the\s+)?(?P<decade>1[89]\d0|20[0-9]0)['’]?s"),
    ("part_month", rf"{_PART.format('p7')}{_MONTH.format('m7')}"),
    ("weekday", rf"(?:(?P<wwhich>last|next|this|coming)\s+)?{_WEEKDAY.format('w9')}"),
    ("year", rf"{_YEAR.format('y8')}"),
]
_MASTER = re.compile(
    "|".join(rf"(?P<_{name}>\b{pattern}\b)" for name, pattern in _PATTERNS),
    re.IGNORECASE,
)
_FUTURE_CUE = re.compile(
    r"\b(?:will|would|shall|is to|are to|is due|are due|plans? to|expected to|set to|scheduled)\b[^.!?]{0,40}$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?]\s")
# A bare four-digit number is a year unless it counts things ("2,000" is caught by the comma;
# "2000 troops" by the plural noun after it) or money.
_COUNTED = re.compile(r"^\s+(?:[a-z]+s|people|men|women|feet|metres|meters|km|miles)\b", re.IGNORECASE)
# "May" is a month only beside a day, a year or a date word: otherwise it is the verb.
_MAY_VERB = re.compile(r"may$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TemporalExpression:
    """A date mentioned in text: where it is, what it says and what calendar date it means."""

    start: int
    end: int
    text: str
    value: str
    precision: DatePrecision


def find_temporal_expressions(text: str, anchor: date | None) -> list[TemporalExpression]:
    """Every date expression in ``text``, resolved against ``anchor`` (the publication date).

    Returned in text order and never overlapping; an expression that cannot be resolved (a
    weekday with no anchor) is left out rather than guessed.
    """
    found: list[TemporalExpression] = []
    last: tuple[date, DatePrecision] | None = (anchor, DatePrecision.DAY) if anchor else None
    for match in _MASTER.finditer(text):
        kind = match.lastgroup
        if kind is None:
            continue
        resolved = _resolve(kind[1:], match, text, anchor, last)
        if resolved is None:
            continue
        when, precision, value = resolved
        start, end = match.span()
        found.append(TemporalExpression(start, end, text[start:end], value, precision))
        if when is not None:
            last = (when, precision)
    return found


def _resolve(
    kind: str,
    match: re.Match[str],
    text: str,
    anchor: date | None,
    last: tuple[date, DatePrecision] | None,
) -> tuple[date | None, DatePrecision, str] | None:
    groups = match.groupdict()
    if kind == "iso":
        return _day(int(groups["iy"]), int(groups["im"]), int(groups["id"]))
    if kind in ("weekday_mdy", "weekday_dmy"):
        suffix = "1" if kind == "weekday_mdy" else "2"
        return _day(int(groups[f"y{suffix}"]), _month(groups[f"m{suffix}"]), int(groups[f"d{suffix}"]))
    if kind == "month_year":
        month = _month(groups["m3"])
        year = int(groups["y3"])
        return date(year, month, 1), DatePrecision.MONTH, f"{year:04d}-{month:02d}"
    if kind in ("weekday_md", "weekday_dm"):
        suffix = "4" if kind == "weekday_md" else "5"
        if _MAY_VERB.match(groups[f"m{suffix}"]) and kind == "weekday_dm":
            return None  # "3 may" is a count and a verb far more often than a date
        if anchor is None:
            return None
        month, day = _month(groups[f"m{suffix}"]), int(groups[f"d{suffix}"])
        nearest = _nearest_year(anchor, month, day)
        return _day(nearest, month, day) if nearest else None
    if kind == "ago":
        if anchor is None:
            return None
        return _shift(anchor, DatePrecision.DAY, -_count(groups["c1"]), groups["u1"].lower())
    if kind == "relative":
        if last is None:
            return None
        sign = 1 if groups["direction"].lower() in ("later", "after") else -1
        return _shift(last[0], last[1], sign * _count(groups["c2"]), groups["u2"].lower())
    if kind == "deictic":
        if anchor is None:
            return None
        word = groups["deictic"].lower()
        offset = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
        return _day_date(anchor + timedelta(days=offset))
    if kind in ("period", "earlier_this"):
        if anchor is None:
            return None
        which = (groups.get("which") or groups.get("which2") or "this").lower()
        period = (groups.get("period") or groups.get("period2") or "year").lower()
        step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(which, 0)
        return _shift(anchor, DatePrecision.DAY, step, period, keep_unit_precision=True)
    if kind == "season":
        season = _SEASONS[groups["season"].lower()]
        if groups.get("y6"):
            year = int(groups["y6"])
        elif anchor is not None:
            which = (groups.get("swhich") or "this").lower()
            year = anchor.year + {"last": -1, "next": 1}.get(which, 0)
        else:
            return None
        return date(year, 1, 1), DatePrecision.SEASON, f"{year:04d}-{season}"
    if kind == "decade":
        decade = int(groups["decade"])
        return date(decade, 1, 1), DatePrecision.DECADE, str(decade // 10)
    if kind == "part_month":
        month_word = groups["m7"]
        if _MAY_VERB.match(month_word) and not groups.get("p7"):
            return None
        if month_word.lower().rstrip(".") in (
            "mar",
            "jan",
            "jun",
            "jul",
            "aug",
            "oct",
            "nov",
            "dec",
            "feb",
            "apr",
            "sep",
        ):
            return None  # a bare abbreviation alone is too often a name or a word
        if anchor is None:
            return None
        month = _month(month_word)
        nearest = _nearest_year(anchor, month, 15, prefer_past=True)
        if nearest is None:
            return None
        return date(nearest, month, 1), DatePrecision.MONTH, f"{nearest:04d}-{month:02d}"
    if kind == "weekday":
        if anchor is None:
            return None
        weekday = _WEEKDAYS.index(groups["w9"].lower())
        which = (groups.get("wwhich") or "").lower()
        before = text[: match.start()]
        sentence = before[_last_sentence_start(before) :]
        future = which in ("next", "coming") or bool(_FUTURE_CUE.search(sentence))
        delta = (weekday - anchor.weekday()) % 7
        if future:
            when = anchor + timedelta(days=delta or 7)
        else:
            when = anchor - timedelta(days=(anchor.weekday() - weekday) % 7)
            if which == "last" and when == anchor:
                when -= timedelta(days=7)
        return _day_date(when)
    if kind == "year":
        after = text[match.end() : match.end() + 20]
        before = text[max(0, match.start() - 2) : match.start()]
        if (
            _COUNTED.match(after)
            or before.endswith(("$", "£", "€", ",", "."))
            or after.startswith((",0", "."))
        ):
            return None
        year = int(groups["y8"])
        return date(year, 1, 1), DatePrecision.YEAR, f"{year:04d}"
    return None


def _last_sentence_start(before: str) -> int:
    ends = list(_SENTENCE_END.finditer(before))
    return ends[-1].end() if ends else 0


def _month(word: str) -> int:
    """January, Jan. and Jan all name month 1 (the pattern only lets month words through)."""
    return _MONTH_NUMBER[word.lower()[:3]]


def _count(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word, 1)


def _day(year: int, month: int, day: int) -> tuple[date, DatePrecision, str] | None:
    try:
        return _day_date(date(year, month, day))
    except ValueError:
        return None  # "February 30": not a date, so not an expression


def _day_date(when: date) -> tuple[date, DatePrecision, str]:
    return when, DatePrecision.DAY, when.isoformat()


def _nearest_year(anchor: date, month: int, day: int, *, prefer_past: bool = False) -> int | None:
    """The year that puts month/day nearest the anchor (news rarely looks more than half a year away)."""
    best: tuple[int, int] | None = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidate = date(year, month, min(day, 28) if month == 2 and day > 28 else day)
        except ValueError:
            return None
        distance = abs((candidate - anchor).days)
        if prefer_past and candidate > anchor:
            distance += 60  # "in December", said in September, is more often last December
        if best is None or distance < best[0]:
            best = (distance, year)
    return best[1] if best else None


def _shift(
    start: date, precision: DatePrecision, amount: int, unit: str, *, keep_unit_precision: bool = False
) -> tuple[date, DatePrecision, str]:
    """``start`` moved by ``amount`` units; the result is as precise as the unit or the start."""
    if unit == "day":
        when = start + timedelta(days=amount)
        if precision in (DatePrecision.DAY,):
            return _day_date(when)
        unit = "month" if precision == DatePrecision.MONTH else "year"
        amount = 0
        start = when
    if unit == "week":
        when = start + timedelta(weeks=amount)
        if precision == DatePrecision.DAY and not keep_unit_precision:
            return _day_date(when)
        iso = when.isocalendar()
        return when, DatePrecision.WEEK, f"{iso.year:04d}-W{iso.week:02d}"
    if unit == "month":
        index = start.year * 12 + start.month - 1 + amount
        year, month = divmod(index, 12)
        when = date(year, month + 1, 1)
        if precision == DatePrecision.YEAR and not keep_unit_precision:
            return when, DatePrecision.YEAR, f"{year:04d}"
        return when, DatePrecision.MONTH, f"{year:04d}-{month + 1:02d}"
    year = start.year + amount
    return date(year, 1, 1), DatePrecision.YEAR, f"{year:04d}"
