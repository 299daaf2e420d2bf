"""Dates written into the text: prefixes and date lines, with the time when one is given."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfold.extract.dates import split_date_prefix


@pytest.mark.parametrize(
    ("line", "when", "rest"),
    [
        (
            "date 2022-09-08 The United States acted.",
            datetime(2022, 9, 8, tzinfo=UTC),
            "The United States acted.",
        ),
        ("March 3, 2025 7:40 AM UTC", datetime(2025, 3, 3, 7, 40, tzinfo=UTC), ""),
        ("Published: 14 January 2026 09:00 GMT", datetime(2026, 1, 14, 9, 0, tzinfo=UTC), ""),
        ("Updated 9 November 2025 at 18:40", datetime(2025, 11, 9, 18, 40, tzinfo=UTC), ""),
        ("Tuesday, October 14, 2025", datetime(2025, 10, 14, tzinfo=UTC), ""),
        (
            "3 March 2025 12:30 pm The port opened.",
            datetime(2025, 3, 3, 12, 30, tzinfo=UTC),
            "The port opened.",
        ),
        ("May 03, 2013", datetime(2013, 5, 3, tzinfo=UTC), ""),
    ],
)
def test_date_prefixes(line: str, when: datetime, rest: str) -> None:
    assert split_date_prefix(line) == (when, rest)


@pytest.mark.parametrize(
    "line", ["March 3, 2025 was a quiet day.", "The strike began on March 3, 2025.", "2025 was a year."]
)
def test_sentences_that_mention_a_date_are_not_prefixes(line: str) -> None:
    assert split_date_prefix(line) == (None, line)


@given(st.text(max_size=80))
def test_never_raises(line: str) -> None:
    when, rest = split_date_prefix(line)
    assert when is None or when.tzinfo is not None
    assert rest in line
