"""Temporal expressions in news text, normalised against the article's publication date.

News dates events relative to the day it is written: "on Wednesday", "on July 15", "a month
later", "late July", "last year".  A timeline across outlets needs them as calendar dates, so
each expression found gets a TIMEX3-style value cut at its precision ("2022-09-07", "2022-07",
"2018", "2022-SU", "199" for the 1990s, "2022-W36" for a week, "1989-Q3" for a quarter, cut
at season precision: like a season it is a quarter of a year).

Rules, not a model: the expressions that date news events are few and regular, and a rule can
say why it chose a date.  How the ambiguous ones resolve:

* the tense of the sentence picks past or future: the cue nearest before the expression ("will",
  "plans to", "is due to", "as early as", "next" for the future; "was", "said", a verb in -ed
  for the past), or failing one, the first cue after it;
* a weekday means the nearest such day *before* the anchor (news reports what happened), or on
  the anchor day itself, unless the sentence is in the future, when it is the coming one (or the
  anchor day itself, unless "next" says otherwise); for a weekday the future is also a plan
  ("due in Antwerp on Tuesday", "summoned to talks on Thursday") and a condition ("if
  Thursday's talks failed"); after
  an explicit date more than a week before the anchor, in the same paragraph and at most two
  sentences back, it is that date's week the narrative is in, so the weekday is counted from it;
* a month and day without a year ("July 15"), or a month alone ("in July"), is the most recent
  one in a past sentence, the coming one in a future sentence and otherwise takes the year that
  puts it nearest the anchor (a December article's "January 3" is the next year);
* a quarter without a year ("the third quarter") is the latest such quarter begun by the anchor,
  "the quarter" the one the text last named or else the last one completed; business news
  compares it with "a year earlier", "a year ago" or "the year-ago quarter", which then mean the
  same quarter a year before (TIMEX3 keeps the granularity of what is compared);
* "a month later", "two days earlier" count from the last date the text resolved, which is how
  a reader follows a narrative; "three days ago" counts from the anchor;
* "now", "currently", "recently", "the future" have no calendar date: they get TIMEX3's
  ``PRESENT_REF``, ``PAST_REF`` or ``FUTURE_REF`` (``calendar`` is false, and a timeline skips
  them).

Expressions that need an anchor ("Wednesday", "yesterday") are dropped when there is none;
so are a comparison ("a day later than the date given"), a habit ("each winter", "every
Monday") and the verbs "spring" and "fall" without a word that makes them seasons.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

from newsfold.model import DatePrecision
from newsfold.text import MONTHS

_MONTH_NUMBER = {name[:3]: i + 1 for i, name in enumerate(MONTHS)}
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

_SPOKEN_TENS = r"ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_SPOKEN_UNITS = r"one|two|three|four|five|six|seven|eight|nine"
_ORDINAL_QUARTER = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}

_PATTERNS: list[tuple[str, str]] = [
    ("iso", r"(?P<iy>\d{4})-(?P<im>\d\d)-(?P<id>\d\d)"),
    (
        "quarter",
        rf"(?:(?:the\s+)?(?P<qrel>this|last|next)\s+year['’]s\s+|the\s+)?(?:{_YEAR.format('qy1')}\s+)?"
        r"(?:fiscal\s+)?(?P<qord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?quarter"
        rf"(?:\s+of\s+(?:fiscal\s+)?{_YEAR.format('qy2')})?",
    ),
    ("half", rf"(?:the\s+)?(?P<hord>first|second|last)\s+half\s+of\s+(?:fiscal\s+)?{_YEAR.format('hy')}"),
    (
        "quarter_ref",
        r"(?:the\s+(?:(?P<qwhich>latest|current|most\s+recent|same)\s+)?(?:fiscal\s+)?quarter|"
        r"this\s+quarter|the\s+latest\s+period)(?![-\w])",
    ),
    (
        "year_ago",
        r"(?:the\s+)?(?:comparable\s+|corresponding\s+)?year(?:-|\s+(?=(?:ago|earlier)\s+(?:quarter|period)))"
        r"(?:ago|earlier)(?:\s+(?P<yaq>quarter|period))?",
    ),
    ("fiscal", rf"fiscal\s+(?:year\s+)?{_YEAR.format('fy')}"),
    ("current_year", r"the\s+(?:current|present)\s+(?:fiscal\s+|calendar\s+)?year"),
    (
        "weekday_mdy",
        rf"(?:{_WEEKDAY.format('w1')},?\s+)?{_MONTH.format('m1')}\s+{_DAY.format('d1')},?\s+{_YEAR.format('y1')}",
    ),
    (
        "weekday_dmy",
        rf"(?:{_WEEKDAY.format('w2')},?\s+)?(?:the\s+)?{_DAY.format('d2')}(?:\s+of)?\s+{_MONTH.format('m2')},?\s+{_YEAR.format('y2')}",
    ),
    ("month_year", rf"{_PART.format('p3')}{_MONTH.format('m3')},?\s+(?:of\s+)?{_YEAR.format('y3')}"),
    ("month_rel_year", rf"{_MONTH.format('m10')}\s+(?:of\s+)?(?P<myrel>last|this|next)\s+year"),
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
    ("month_rel", rf"(?P<mrel>last|next|this|coming)\s+{_MONTH.format('m11')}"),
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
    (
        "spoken_year",
        rf"(?:the\s+year\s+(?P<twothousand>two\s+thousand)|nineteen[\s-]+(?P<sptens>{_SPOKEN_TENS})"
        rf"(?:[\s-]+(?P<spunits>{_SPOKEN_UNITS}))?)",
    ),
    (
        "ref",
        r"(?P<present>now|currently|nowadays|these\s+days)|(?P<past>recently|recent\s+(?:years|months|weeks|days)|"
        r"the\s+past(?=\s*[,.;:!?]|\s+(?:that|when|and|but|as|is|was|has|have|had)\b))|"
        r"(?P<future>the\s+future)",
    ),
]
_MASTER = re.compile(
    "|".join(rf"(?P<_{name}>\b{pattern}\b)" for name, pattern in _PATTERNS),
    re.IGNORECASE,
)
# The tense of a sentence, from its cue words: the future ones are tried first, so "planned to"
# and "expected to" are not read as past verbs in -ed.  Lower case only: "United" and "Reed"
# are names, not verbs.
_TENSE_CUE = re.compile(
    r"\b(?:(?P<future>will|won['’]t|would|shall|(?:is|are|am)\s+to|(?:due|set|going|about|poised)\s+to|scheduled|"
    r"expects?|expected|plan(?:s|ned)?\s+to|planned|planning|intends?\s+to|upcoming|"
    r"as\s+(?:soon|early)\s+as)|"
    r"(?P<past>was|were|had|did|said|told|ago|last|earlier|since|yesterday|met|went|came|left|took|gave|made|"
    r"began|fell|rose|held|found|sent|won|lost|got|saw|seen|shot|struck|broke|brought|bought|sold|led|ran|"
    r"spoke|wrote|became|chose|drove|flew|knew|thought|paid|kept|stood|fled|fought|felt|heard|"
    r"[a-z]{2,}[b-df-hj-np-tv-zu]ed|[a-z]{2,}ied))\b"
)
# A weekday is a plan, not a report, after these too: "vessels due in Antwerp on Tuesday",
# "summoned them to talks on Thursday", "a strike if Thursday's talks failed" (a condition is
# about what has not happened yet).
_WEEKDAY_TENSE_CUE = re.compile(
    _TENSE_CUE.pattern.replace(
        "(?P<future>",
        r"(?P<future>due|if|unless|to\s+(?:talks|a\s+meeting|meetings|negotiations|a\s+hearing|a\s+vote)|",
        1,
    )
)
_RECURRING = re.compile(r"\b(?:each|every)\s+$", re.IGNORECASE)
_RECURRING_KINDS = frozenset(("weekday", "season", "part_month"))
_COMPARISON = re.compile(r"\s+than\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?]['\"’”)]*\s+")
# A full stop after these is an abbreviation ("Oct. 23", "Mr. Bush"), not the end of a sentence.
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|mr|mrs|ms|dr|st|gen|sen|rep|gov|lt|col|"
    r"sgt|capt|corp|inc|co|ltd|no|vs|jr|sr|[a-z]\.[a-z])$",
    re.IGNORECASE,
)
_TENSE_REACH = timedelta(days=60)
"""How far on the wrong side of the anchor a date must be before the tense moves it a year."""
_NARRATIVE_REACH = timedelta(days=35)
"""How far before the anchor an explicit date may be for a weekday beside it to count from it."""
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# A bare four-digit number is a year unless it counts things ("2,000" is caught by the comma;
# "2000 troops" by the plural noun after it: a verb such as "is" or "was" is not one) or money.
_COUNTED = re.compile(
    r"^\s+(?!(?:is|was|has|as|its|this|thus|plus|versus|less|unless)\b)(?:[a-z]+s|people|men|women|feet|metres|meters|km|miles)\b",
    re.IGNORECASE,
)
# "May" is a month only beside a day, a year or a date word, or after a preposition ("in May"):
# otherwise it is the verb.
_MAY_VERB = re.compile(r"may$", re.IGNORECASE)
_MONTH_PREPOSITION = re.compile(
    r"\b(?:in|by|since|until|till|through|from|to|of|during|before|after|between|and|last|next|this|early|mid|late)\s+$",
    re.IGNORECASE,
)
_SEASON_DETERMINER = re.compile(
    r"\b(?:the|in|this|last|next|past|since|by|until|early|late|mid|of|during|before|after)[\s-]+$",
    re.IGNORECASE,
)
_BARE_ABBREVIATIONS = frozenset(("mar", "jan", "jun", "jul", "aug", "oct", "nov", "dec", "feb", "apr", "sep"))
# Expressions resolved against the anchor: after one of them, a weekday is read against the
# anchor again, not against an older date named before.
_ANCHORED_KINDS = frozenset(("deictic", "ago", "period", "earlier_this", "month_rel"))
_EXPLICIT_DAY_KINDS = frozenset(("iso", "weekday_mdy", "weekday_dmy", "weekday_md", "weekday_dm"))


@dataclass(frozen=True, slots=True)
class TemporalExpression:
    """A date mentioned in text: where it is, what it says and what calendar date it means."""

    start: int
    end: int
    text: str
    value: str
    precision: DatePrecision

    @property
    def calendar(self) -> bool:
        """False for ``PAST_REF``, ``PRESENT_REF`` and ``FUTURE_REF``: they place an event before,
        at or after the writing, not on a calendar, so a timeline cannot order them."""
        return not self.value.endswith("_REF")


@dataclass(slots=True)
class _Context:
    """What resolving one expression may look at: the text, the anchor and what came before."""

    text: str
    anchor: date | None
    sentence_starts: list[int]
    last: tuple[date, DatePrecision] | None
    quarter: tuple[int, int] | None = None
    """The quarter the text last named, while it is the subject ("a year earlier" compares with it)."""
    explicit: tuple[date, int] | None = None
    """The last explicit calendar day and where it ended, for a weekday that follows it."""


def find_temporal_expressions(text: str, anchor: date | None) -> list[TemporalExpression]:
    """Every date expression in ``text``, resolved against ``anchor`` (the publication date).

    Returned in text order and never overlapping; an expression that cannot be resolved (a
    weekday with no anchor) is left out rather than guessed.
    """
    found: list[TemporalExpression] = []
    context = _Context(
        text,
        anchor,
        _sentence_starts(text),
        (anchor, DatePrecision.DAY) if anchor else None,
    )
    for match in _MASTER.finditer(text):
        kind = match.lastgroup
        if kind is None:
            continue
        kind = kind[1:]
        if kind in _RECURRING_KINDS and _RECURRING.search(text, max(0, match.start() - 8), match.start()):
            continue  # "each winter", "every Monday": a habit, not a date
        resolved = _resolve(kind, match, context)
        if resolved is None:
            continue
        when, precision, value = resolved
        start, end = match.span()
        found.append(TemporalExpression(start, end, text[start:end], value, precision))
        if when is None:
            continue
        context.last = (when, precision)
        if kind in ("quarter", "quarter_ref"):
            context.quarter = (when.year, (when.month - 1) // 3 + 1)
        elif "-Q" not in value and precision != DatePrecision.DAY:
            context.quarter = None  # a year or a month now is the subject, not the quarter
        if kind in _EXPLICIT_DAY_KINDS or (kind == "weekday" and context.explicit is not None):
            context.explicit = (when, end)
        elif kind in _ANCHORED_KINDS or kind == "weekday":
            context.explicit = None
    return found


def _resolve(
    kind: str, match: re.Match[str], context: _Context
) -> tuple[date | None, DatePrecision, str] | None:
    groups = match.groupdict()
    anchor, text = context.anchor, context.text
    if kind == "iso":
        return _day(int(groups["iy"]), int(groups["im"]), int(groups["id"]))
    if kind == "quarter":
        return _ordinal_quarter(groups, context)
    if kind == "half":
        year = int(groups["hy"])
        half = 1 if groups["hord"].lower() == "first" else 2
        return date(year, 6 * half - 5, 1), DatePrecision.SEASON, f"{year:04d}-H{half}"
    if kind == "quarter_ref":
        which = (groups.get("qwhich") or "").lower()
        if context.quarter is not None and which not in ("latest", "current", "most recent"):
            return _quarter(*context.quarter)
        if anchor is None:
            return None
        current = (anchor.month - 1) // 3 + 1
        if which == "current" or match.group().lower().startswith("this"):
            return _quarter(anchor.year, current)
        return _quarter(anchor.year, current - 1) if current > 1 else _quarter(anchor.year - 1, 4)
    if kind == "year_ago":
        if context.quarter is not None:
            return _quarter(context.quarter[0] - 1, context.quarter[1])
        if anchor is None:
            return None
        if groups.get("yaq"):
            current = (anchor.month - 1) // 3 + 1
            return _quarter(anchor.year - 1, current - 1) if current > 1 else _quarter(anchor.year - 2, 4)
        return date(anchor.year - 1, 1, 1), DatePrecision.YEAR, f"{anchor.year - 1:04d}"
    if kind == "fiscal":
        year = int(groups["fy"])
        return date(year, 1, 1), DatePrecision.YEAR, f"{year:04d}"
    if kind == "current_year":
        if anchor is None:
            return None
        return date(anchor.year, 1, 1), DatePrecision.YEAR, f"{anchor.year:04d}"
    if kind in ("weekday_mdy", "weekday_dmy"):
        suffix = "1" if kind == "weekday_mdy" else "2"
        return _day(int(groups[f"y{suffix}"]), _month(groups[f"m{suffix}"]), int(groups[f"d{suffix}"]))
    if kind == "month_year":
        month = _month(groups["m3"])
        year = int(groups["y3"])
        return date(year, month, 1), DatePrecision.MONTH, f"{year:04d}-{month:02d}"
    if kind == "month_rel_year":
        if anchor is None or _is_may_verb(groups["m10"]):
            return None
        month = _month(groups["m10"])
        year = anchor.year + {"last": -1, "next": 1}.get(groups["myrel"].lower(), 0)
        return date(year, month, 1), DatePrecision.MONTH, f"{year:04d}-{month:02d}"
    if kind == "month_rel":
        if anchor is None or _is_may_verb(groups["m11"]):
            return None
        month = _month(groups["m11"])
        which = groups["mrel"].lower()
        if which == "last":
            year = anchor.year if month < anchor.month else anchor.year - 1
        elif which in ("next", "coming"):
            year = anchor.year if month > anchor.month else anchor.year + 1
        else:
            year = anchor.year
        return date(year, month, 1), DatePrecision.MONTH, f"{year:04d}-{month:02d}"
    if kind in ("weekday_md", "weekday_dm"):
        suffix = "4" if kind == "weekday_md" else "5"
        if _MAY_VERB.match(groups[f"m{suffix}"]) and kind == "weekday_dm":
            return None  # "3 may" is a count and a verb far more often than a date
        if anchor is None:
            return None
        month, day = _month(groups[f"m{suffix}"]), int(groups[f"d{suffix}"])
        day_year = _year_of_day(anchor, month, day, _tense(context, match))
        return _day(day_year, month, day) if day_year else None
    if kind == "ago":
        if anchor is None:
            return None
        count, unit = _count(groups["c1"]), groups["u1"].lower()
        if unit == "year" and context.quarter is not None and count == 1:
            return _quarter(context.quarter[0] - count, context.quarter[1])
        return _shift(anchor, DatePrecision.DAY, -count, unit)
    if kind == "relative":
        if context.last is None or _COMPARISON.match(text, match.end()):
            return None  # "a day later than the date given" compares, it dates nothing
        sign = 1 if groups["direction"].lower() in ("later", "after") else -1
        count, unit = _count(groups["c2"]), groups["u2"].lower()
        if unit == "year" and context.quarter is not None:
            return _quarter(context.quarter[0] + sign * count, context.quarter[1])
        return _shift(context.last[0], context.last[1], sign * count, unit)
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
        word = groups["season"]
        if (
            word.lower() in ("fall", "spring")
            and not groups.get("swhich")
            and not groups.get("y6")
            and not _SEASON_DETERMINER.search(text[max(0, match.start() - 12) : match.start()])
        ):
            # "prices could fall", "the lid can spring open": verbs, unless "the", "in" … say season
            return None
        season = _SEASONS[word.lower()]
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
        if _is_may_verb(month_word) or (
            _MAY_VERB.match(month_word)
            and not groups.get("p7")
            and not _MONTH_PREPOSITION.search(text[max(0, match.start() - 12) : match.start()])
        ):
            return None
        if month_word.lower().rstrip(".") in _BARE_ABBREVIATIONS:
            return None  # a bare abbreviation alone is too often a name or a word
        if anchor is None:
            return None
        month = _month(month_word)
        year = _year_of_month(anchor, month, _tense(context, match))
        return date(year, month, 1), DatePrecision.MONTH, f"{year:04d}-{month:02d}"
    if kind == "weekday":
        return _weekday(groups, match, context)
    if kind == "year":
        after = text[match.end() : match.end() + 20]
        before = text[max(0, match.start() - 2) : match.start()]
        if (
            _COUNTED.match(after)
            or before.endswith(("$", "£", "€", ",", "."))
            or after.startswith(",0")
            or re.match(r"\.\d", after)
        ):
            return None
        year = int(groups["y8"])
        return date(year, 1, 1), DatePrecision.YEAR, f"{year:04d}"
    if kind == "spoken_year":
        if groups.get("twothousand"):
            year = 2000
        else:
            tens = _SPOKEN_TENS.split("|").index(groups["sptens"].lower()) + 1
            units = groups.get("spunits")
            year = 1900 + tens * 10 + (_SPOKEN_UNITS.split("|").index(units.lower()) + 1 if units else 0)
            if tens == 1 and units:
                return None  # "nineteen ten one" is no year
        return date(year, 1, 1), DatePrecision.YEAR, f"{year:04d}"
    if kind == "ref":
        if groups.get("present"):
            return None, DatePrecision.DAY, "PRESENT_REF"
        return None, DatePrecision.DAY, "PAST_REF" if groups.get("past") else "FUTURE_REF"
    return None


def _ordinal_quarter(
    groups: dict[str, str | None], context: _Context
) -> tuple[date | None, DatePrecision, str] | None:
    """ "the third quarter": of the year given, else the latest one begun by the anchor (business
    news reports a quarter once it has started, and says "next year's" of one to come)."""
    number = _ORDINAL_QUARTER[(groups["qord"] or "").lower()]
    given = groups.get("qy1") or groups.get("qy2")
    if given:
        return _quarter(int(given), number)
    anchor = context.anchor
    if anchor is None:
        return None
    relative = (groups.get("qrel") or "").lower()
    if relative:
        return _quarter(anchor.year + {"last": -1, "next": 1}.get(relative, 0), number)
    begun = date(anchor.year, 3 * number - 2, 1) <= anchor
    return _quarter(anchor.year if begun else anchor.year - 1, number)


def _weekday(
    groups: dict[str, str | None], match: re.Match[str], context: _Context
) -> tuple[date | None, DatePrecision, str] | None:
    """A weekday, counted from the anchor, or from an older explicit date the narrative is in."""
    anchor = context.anchor
    if anchor is None:
        return None
    weekday = _WEEKDAYS.index((groups["w9"] or "").lower())
    which = (groups.get("wwhich") or "").lower()
    reference = _narrative_date(context, match.start())
    if reference is not None and not which:
        return _day_date(reference + timedelta(days=(weekday - reference.weekday()) % 7))
    future = which in ("next", "coming") or (
        which != "last" and _tense(context, match, after=False, cues=_WEEKDAY_TENSE_CUE) == "future"
    )
    if future:
        # "on Tuesday afternoon", written on a Tuesday morning, is the same day: "next Tuesday" says otherwise
        when = anchor + timedelta(days=(weekday - anchor.weekday()) % 7 or (7 if which else 0))
    else:
        when = anchor - timedelta(days=(anchor.weekday() - weekday) % 7)
        if which == "last" and when == anchor:
            when -= timedelta(days=7)
    return _day_date(when)


def _narrative_date(context: _Context, start: int) -> date | None:
    """The explicit date a weekday at ``start`` is read against, if not the anchor.

    One named in the same sentence, one to five weeks before the anchor, with nothing read
    against the anchor in between ("the council met on Aug. 6 and voted on Tuesday" is the
    Tuesday after 6 August, whatever the publication date).  Across sentences, and from dates
    further back, the weekday is more often the anchor's week again ("the Oct. 23 shooting ...
    Until Thursday, police had ...").
    """
    if context.explicit is None or context.anchor is None:
        return None
    when, end = context.explicit
    if not context.anchor - _NARRATIVE_REACH <= when < context.anchor - timedelta(days=7):
        return None
    if bisect_right(context.sentence_starts, start) != bisect_right(context.sentence_starts, end):
        return None
    return when


def _sentence_starts(text: str) -> list[int]:
    """Where each sentence after the first begins (a full stop after "Oct" or "Mr" ends none)."""
    starts = []
    for end in _SENTENCE_END.finditer(text):
        if text[end.start()] == "." and _ABBREVIATION.search(text, max(0, end.start() - 5), end.start()):
            continue
        starts.append(end.end())
    for brk in _PARAGRAPH_BREAK.finditer(text):
        starts.append(brk.end())
    return sorted(set(starts))


def _tense(
    context: _Context, match: re.Match[str], *, after: bool = True, cues: re.Pattern[str] | None = None
) -> str | None:
    """ "future" or "past" from the cue nearest before the expression in its sentence, else
    (unless ``after`` is false) from the first cue after it; None when there is no cue.
    ``cues`` is the cue pattern (:data:`_TENSE_CUE` unless given)."""
    cues = cues or _TENSE_CUE
    starts = context.sentence_starts
    index = bisect_right(starts, match.start())
    sentence_start = starts[index - 1] if index else 0
    sentence_end = starts[index] if index < len(starts) else len(context.text)
    before = [
        cue
        for cue in cues.finditer(context.text, sentence_start, match.start())
        if cue.end() <= match.start()
    ]
    if before:
        return "future" if before[-1].group("future") else "past"
    following = cues.search(context.text, match.end(), sentence_end) if after else None
    if following is None:
        return None
    return "future" if following.group("future") else "past"


def _is_may_verb(word: str) -> bool:
    """Lower-case "may" and "march" are the verb or the noun: the months are written with a capital."""
    return word.lower() in ("may", "march") and not word[0].isupper()


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


def _quarter(year: int, number: int) -> tuple[date, DatePrecision, str]:
    """A quarter as TIMEX3 writes it ("1989-Q3"), at season precision: a quarter of a year too."""
    return date(year, 3 * number - 2, 1), DatePrecision.SEASON, f"{year:04d}-Q{number}"


def _year_of_day(anchor: date, month: int, day: int, tense: str | None) -> int | None:
    """The year of "July 15": the nearest one, unless the tense says the other side of the anchor.

    A past sentence's date more than two months after the anchor is last year's ("the Oct. 23
    shooting", written in May); a future sentence's more than two months before it is next
    year's.  Nearer dates are left to the nearest rule: a tense cue may belong to another clause
    ("declared a dividend, payable Dec. 15"), and a wrong year costs more than a wrong guess.
    """
    nearest = _nearest_year(anchor, month, day)
    if nearest is None:
        return None
    when = date(nearest, month, min(day, 28) if month == 2 and day > 28 else day)
    if tense == "past" and when > anchor + _TENSE_REACH:
        return nearest - 1
    if tense == "future" and when < anchor - _TENSE_REACH:
        return nearest + 1
    return nearest


def _year_of_month(anchor: date, month: int, tense: str | None) -> int:
    """The year of "in March": the nearest (a past one preferred), unless the tense says the other
    side of the anchor and the nearest is more than two months away on the wrong side."""
    nearest = _nearest_year(anchor, month, 15, prefer_past=True) or anchor.year
    middle = date(nearest, month, 15)
    if tense == "past" and middle > anchor + _TENSE_REACH:
        return nearest - 1
    if tense == "future" and middle < anchor - _TENSE_REACH:
        return nearest + 1
    return nearest


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
