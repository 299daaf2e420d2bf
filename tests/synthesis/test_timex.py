"""The date rules of ``newsfold.synthesis.timex``, one invented sentence each.

The anchor is Thursday 8 September 2022 unless a test says otherwise.
"""

from __future__ import annotations

from datetime import date

import pytest

from newsfold.model import DatePrecision
from newsfold.synthesis.timex import TemporalExpression, find_temporal_expressions

ANCHOR = date(2022, 9, 8)  # a Thursday


def values(text: str, anchor: date | None = ANCHOR) -> list[tuple[str, str]]:
    return [(e.text, e.value) for e in find_temporal_expressions(text, anchor)]


def one(text: str, anchor: date | None = ANCHOR) -> TemporalExpression:
    [expression] = find_temporal_expressions(text, anchor)
    return expression


def test_a_weekday_in_a_past_sentence_is_the_last_one() -> None:
    assert values("The minister resigned on Monday.") == [("Monday", "2022-09-05")]
    assert values("The talks ended Thursday.") == [("Thursday", "2022-09-08")]


@pytest.mark.parametrize(
    "sentence",
    [
        "The mayor will open the bridge on Monday.",
        "The council planned to vote on Monday.",
        "The union is due to strike on Monday.",
        "Officials said the ferry would sail Monday.",
        "The court could rule as early as Monday.",
    ],
)
def test_a_weekday_in_a_future_sentence_is_the_coming_one(sentence: str) -> None:
    assert one(sentence).value == "2022-09-12"


@pytest.mark.parametrize(
    "sentence",
    [
        "The mediator has summoned both sides to talks in the capital on Monday.",
        "A second strike was on the table if Monday's talks failed.",
        "The carrier diverted two vessels due in Kell on Monday.",
    ],
)
def test_a_weekday_that_is_planned_or_a_condition_is_the_coming_one(sentence: str) -> None:
    assert one(sentence).value == "2022-09-12"


def test_a_coming_weekday_that_is_the_anchor_s_own_day_is_that_day() -> None:
    assert one("The minister is expected to visit the town on Thursday afternoon.").value == "2022-09-08"
    assert one("The minister will visit the town next Thursday.").value == "2022-09-15"


def test_a_comparison_a_habit_and_a_verb_are_no_date() -> None:
    assert values("The supplier alerted the bank on Sept. 1, a day later than the date given.") == [
        ("Sept. 1", "2022-09-01")
    ]
    assert values("The ski hill draws thousands of visitors each winter.") == []
    assert values("The lid can spring open while the water boils.") == []
    assert values("The bridge reopened in the spring.") == [("spring", "2022-SP")]
    assert values("The bridge reopened this past spring.") == [("spring", "2022-SP")]


def test_the_verb_nearest_the_weekday_decides() -> None:
    sentence = "Farmers said they would appeal the ban, announced Tuesday by the ministry."
    assert values(sentence) == [("Tuesday", "2022-09-06")]
    assert values("Next to the harbour, two boats sank on Friday.") == [("Friday", "2022-09-02")]


def test_a_weekday_beside_an_older_date_counts_from_that_date() -> None:
    sentence = "The dam cracked on Aug. 15 and the valley was evacuated on Wednesday."
    assert values(sentence) == [("Aug. 15", "2022-08-15"), ("Wednesday", "2022-08-17")]
    # in the next sentence the narrative is back in the week of the publication date
    later = "The dam cracked on Aug. 15. Engineers said on Wednesday that it held."
    assert values(later)[-1] == ("Wednesday", "2022-09-07")


def test_a_month_without_a_year_follows_the_tense() -> None:
    may_anchor = date(2022, 5, 6)
    assert one("The bridge was closed after the Oct. 23 storm.", may_anchor).value == "2021-10-23"
    assert one("The museum will reopen on Oct. 23.", may_anchor).value == "2022-10-23"
    october = date(2022, 10, 25)
    assert one("In January, the firm moved its offices.", october).value == "2022-01"
    assert one("The firm will move its offices in January.", october).value == "2023-01"
    # near dates keep the nearest year whatever verb is about
    assert one("The board declared a dividend, payable Nov. 15.", october).value == "2022-11-15"


def test_last_this_next_with_a_month() -> None:
    assert values("The mine closed last December.") == [("last December", "2021-12")]
    assert values("The mine closed last August.") == [("last August", "2022-08")]
    assert values("Elections are due next March.") == [("next March", "2023-03")]
    assert values("The vote is this November.") == [("this November", "2022-11")]
    assert values("In June last year the plant shut.") == [("June last year", "2021-06")]


def test_may_and_march_are_months_only_when_they_read_as_months() -> None:
    assert values("The plant may close.") == []
    assert values("Protesters joined the march.") == []
    assert values("The plant closed in May.") == [("May", "2022-05")]
    assert values("Prices could fall again.") == []
    assert values("Prices rose in the fall.") == [("fall", "2022-FA")]


def test_quarters() -> None:
    november = date(1990, 11, 2)
    assert values("Net income in the third quarter rose 5%.", november) == [("the third quarter", "1990-Q3")]
    assert values("Third-quarter sales fell.", november) == [("Third-quarter", "1990-Q3")]
    assert values("The fourth quarter is expected to be weak.", november) == [
        ("The fourth quarter", "1990-Q4")
    ]
    assert values("Profit rose in the first quarter of 1988.", november) == [
        ("the first quarter of 1988", "1988-Q1")
    ]
    assert values("Next year's first quarter looks weak.", november) == [
        ("Next year's first quarter", "1991-Q1")
    ]
    # a fourth quarter named in February is last year's, the one just ended
    assert one("Fourth-quarter profit doubled.", date(1991, 2, 10)).value == "1990-Q4"
    assert one("Loans slowed in the latest quarter.", november).value == "1990-Q3"
    expression = one("Net income for the third quarter rose.", november)
    assert expression.precision == DatePrecision.SEASON


def test_a_year_earlier_after_a_quarter_is_that_quarter_a_year_before() -> None:
    november = date(1990, 11, 2)
    text = (
        "Net income in the third quarter rose to $5 million from $4 million a year earlier. "
        "In the quarter, sales rose 3% from the year-ago quarter."
    )
    assert values(text, november) == [
        ("the third quarter", "1990-Q3"),
        ("a year earlier", "1989-Q3"),
        ("the quarter", "1990-Q3"),
        ("the year-ago quarter", "1989-Q3"),
    ]
    # without a quarter in view, "a year ago" is the year before the anchor
    assert values("The plant opened a year ago.", november) == [("a year ago", "1989")]


def test_fiscal_years_and_halves() -> None:
    assert values("Sales in fiscal 1989 were flat.") == [("fiscal 1989", "1989")]
    assert values("Costs rose in the second half of 1989.") == [("the second half of 1989", "1989-H2")]
    assert values("Sales in the current fiscal year will rise.") == [("the current fiscal year", "2022")]


def test_present_past_and_future_references_are_not_calendar_dates() -> None:
    text = "The port is now open. It recently reopened, and will stay open in the future."
    assert values(text) == [("now", "PRESENT_REF"), ("recently", "PAST_REF"), ("the future", "FUTURE_REF")]
    assert not any(e.calendar for e in find_temporal_expressions(text, ANCHOR))
    assert one("The fire started in 2019.").calendar


def test_a_year_before_a_full_stop_is_a_year_but_not_a_count_or_a_decimal() -> None:
    assert values("The bridge opened in 1995.") == [("1995", "1995")]
    assert values("Sales in 1989 is a record.") == [("1989", "1989")]
    assert values("There were 2000 troops.") == []
    assert values("The index rose to 1995.5 points.") == []


def test_spoken_years() -> None:
    assert values("In nineteen ninety-six a bomb went off.") == [("nineteen ninety-six", "1996")]
    assert values("By the year two thousand it will end.") == [("the year two thousand", "2000")]


def test_no_anchor_leaves_relative_expressions_out() -> None:
    assert values("The minister resigned on Monday in the third quarter.", None) == []
