"""Publication dates written in the text itself ("date 2022-09-08", "May 03, 2013")."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ISO = r"(?P<iso>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?)"
_MDY = _MONTH + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})"
_DMY = r"(?P<day2>\d{1,2})\s+" + _MONTH.replace("month", "month2") + r"\s+(?P<year2>\d{4})"

DATE_PATTERN = re.compile(rf"(?:{_ISO}|{_MDY}|{_DMY})", re.IGNORECASE)
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
DATE_LINE = re.compile(
    rf"^\s*(?:(?:date|published|posted|updated)\s*:?\s*)?{_WEEKDAY}{DATE_PATTERN.pattern}"
    r"(?:,?\s*(?:at\s+)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:\s*(?P<ampm>[ap])\.?m\.?)?"
    r"(?:\s*(?-i:UTC|GMT|[A-Z]{2,4}\b))?)?\s*",
    re.IGNORECASE,
)


def parse_date_match(match: re.Match[str]) -> datetime | None:
    """Turn a :data:`DATE_PATTERN`/:data:`DATE_LINE` match into an aware datetime (UTC if unzoned)."""
    groups = match.groupdict()
    try:
        if groups.get("iso"):
            value = datetime.fromisoformat(groups["iso"].replace("Z", "+00:00"))
        elif groups.get("month"):
            value = datetime(int(groups["year"]), _MONTHS[groups["month"].lower()], int(groups["day"]))
        else:
            value = datetime(int(groups["year2"]), _MONTHS[groups["month2"].lower()], int(groups["day2"]))
    except (ValueError, KeyError, TypeError):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def split_date_prefix(line: str) -> tuple[datetime | None, str]:
    """Strip a leading date (a date line, or "date 2022-09-08 " before the first sentence).

    Returns the date and the rest of the line; ``(None, line)`` when the line does not start
    with a date.
    """
    match = DATE_LINE.match(line)
    if not match:
        return None, line
    rest = line[match.end() :]
    # "March 3, 2025 was a quiet day" is a sentence, not a dateline: a prefix is only taken
    # when it stands alone or is followed by a sentence that starts afresh.
    if rest and not (rest[:1].isupper() or rest[:1] in "\"'“‘("):
        return None, line
    published = parse_date_match(match)
    if published is not None and match.group("hour"):
        hour = int(match.group("hour")) % 12 if match.group("ampm") else int(match.group("hour"))
        if (match.group("ampm") or "").lower() == "p":
            hour += 12
        if hour < 24 and int(match.group("minute")) < 60:
            published = published.replace(hour=hour, minute=int(match.group("minute")))
    return published, rest.strip()
