"""The plain-text cleaner: each boilerplate shape, the header and footer logic, and that nothing is lost."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.extract import boilerplate as bp
from newsfold.extract.text import clean_text, logical_lines

PROSE = [
    "The harbour authority said on Tuesday that the first ship had docked safely at the northern pier.",
    "Workers had waited for more than three weeks for the cranes to be repaired, officials said.",
    '"We are relieved that the port is open again," said Maria Holm, who runs a shipping agency.',
    "The strike began on March 3 when the union rejected a pay offer of four percent.",
]


@pytest.mark.parametrize(
    "line",
    [
        "Dockworkers gather at the gates in Port Elsa on March 3, 2025. (MW Photo/Lena Brandt)",
        "Police stand guard outside the embassy. (Reuters Photo)",
        "People leave the embassy in Tirana, September 8, 2022. REUTERS/Florion Goga",
        "The group settled in Albania in 2013 after its camp was bombed. AFP",
        "A man walks past the court. (AP Photo/Jane Doe) AP - Jane Doe",
        "Combined Shape Caption A policeman stands guard. Credit: Franc Zhurda",
    ],
)
def test_captions(line: str) -> None:
    assert bp.line_reason(line) == "caption"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Follow Llazar Semini on", "follow line"),
        ("Follow Ana Kovač on X at https://x.com/akovac", "follow line"),
        ("Follow us on Facebook", "follow line"),
        ("(Reporting by Fatos Bytyci; Editing by Kim Coghill)", "credit line"),
        ("Additional reporting by Tom Reyes in Lisbon", "credit line"),
        ("(with wires)", "credit line"),
        ("——-", "separator"),
        ("* * *", "separator"),
        ('[gallery ids="12,13"]', "shortcode"),
        ("Get all your news in one place.", "promo"),
        ("Sign up to read this article", "promo"),
        ("Download the app", "promo"),
        (
            "You have read 2 of your 3 free articles this month. Subscribe to Premium for unlimited access.",
            "promo",
        ),
    ],
)
def test_other_shapes(line: str, reason: str) -> None:
    assert bp.line_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        *PROSE,
        "Follow the money, investigators told the court on Monday in a packed hearing room.",
        "The photo agency said it would appeal the ruling against its founder.",
        '"You have to see it to believe it," said the mayor, pointing at the flooded square.',
    ],
)
def test_reporting_is_not_boilerplate(line: str) -> None:
    assert bp.line_reason(line) is None


def test_header_body_footer() -> None:
    text = "\n\n".join(
        [
            "Advertisement",
            "Ships return to Port Elsa as strike ends",
            "By Ana Kovač and Tom Reyes",
            "PORT ELSA, Norland (MW) — " + PROSE[0],
            PROSE[1],
            "Crane Repairs Could Take Until Summer, Engineers Warn",
            PROSE[2],
            "Port reopens",
            PROSE[3],
            "(Reporting by Ana Kovač; Editing by Tom Reyes)",
            "Related Articles",
            "Strike talks collapse in Valmora",
        ]
    )
    cleaned = clean_text(text)
    assert cleaned.title == "Ships return to Port Elsa as strike ends"
    assert cleaned.authors == ["Ana Kovač", "Tom Reyes"]
    assert cleaned.dateline == "PORT ELSA, Norland (MW)"
    assert cleaned.paragraphs == PROSE
    reasons = {r.text: r.reason for r in cleaned.removed}
    assert reasons["Advertisement"] == "junk title"
    assert reasons["Crane Repairs Could Take Until Summer, Engineers Warn"] == "related link"
    assert reasons["Port reopens"] == "subheading"
    assert reasons["Related Articles"] == "trailer"
    assert reasons["Strike talks collapse in Valmora"] == "trailer"


def test_repeated_captions_and_date_prefix() -> None:
    caption = "Workers gather outside the gates. (MW Photo/Lena Brandt)"
    cleaned = clean_text(f"date 2025-03-04 {PROSE[0]}\n\n{PROSE[1]}\n\n{caption}\n{caption}\n{caption}")
    assert cleaned.published is not None
    assert cleaned.published.date().isoformat() == "2025-03-04"
    assert cleaned.paragraphs == PROSE[:2]
    assert [r.reason for r in cleaned.removed].count("caption") == 3


def test_known_title_is_not_guessed() -> None:
    cleaned = clean_text(f"Ships return\n\n{PROSE[0]}", title="Ships return")
    assert cleaned.title == "Ships return"
    assert cleaned.paragraphs == [PROSE[0]]


def test_hard_wrapped_prose_is_rejoined() -> None:
    assert logical_lines("The harbour authority said\non Tuesday that it was open.") == [
        "The harbour authority said on Tuesday that it was open."
    ]


def test_no_title_falls_back_to_the_lead() -> None:
    cleaned = clean_text(PROSE[0] + " " + PROSE[1])
    assert cleaned.title == PROSE[0]


LINES = st.lists(
    st.one_of(
        st.sampled_from(
            [*PROSE, "Follow us on X", "(with wires)", "* * *", "Short heading", "Get the app now"]
        ),
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80),
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(LINES)
def test_nothing_is_lost_silently(lines: list[str]) -> None:
    """Every word of the input ends up in the title, the text, the dateline, the byline or the removed list."""
    text = "\n\n".join(lines)
    cleaned = clean_text(text)
    kept = " ".join(
        [
            cleaned.title or "",
            *cleaned.paragraphs,
            cleaned.dateline or "",
            *cleaned.authors,
            *(r.text for r in cleaned.removed),
        ]
    )
    kept_words = set(re.findall(r"\w+", kept))
    for word in re.findall(r"\w+", text):
        assert word in kept_words or not word.strip(), word


def test_teaser_questions_in_a_link_list_are_trailer() -> None:
    text = "\n\n".join(
        [
            "Ships return to Port Elsa",
            *PROSE,
            "Related Articles",
            "Strike talks collapse in Valmora",
            "Opinion: Who checks the cranes we rely on every single day?",
        ]
    )
    cleaned = clean_text(text)
    assert cleaned.paragraphs == PROSE
    assert {r.reason for r in cleaned.removed} == {"trailer"}


def test_date_prefix_after_byline_and_promo() -> None:
    cleaned = clean_text(
        f"Ships return\n\nBy Ana Kovač\n\nAlready a member? Sign in here\n\ndate 2025-08-11 {PROSE[0]}"
    )
    assert cleaned.published is not None
    assert cleaned.published.date().isoformat() == "2025-08-11"
    assert cleaned.paragraphs == [PROSE[0]]
