"""Boilerplate recognised by its *shape*, not by lists of known phrases.

Each rule looks at one logical line and says why it is not reporting: a photo caption ends in a
photo credit, a social line is an imperative "Follow <name> on/at", a credit line is a short
parenthesised or "Reporting by" note, a separator has no words at all, a shortcode is a bracketed
tag with attributes.  Rules that depend on where a line sits (header, footer) live in
:mod:`newsfold.extract.text`.
"""

from __future__ import annotations

import re

_NAME = r"[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|van|von|de|der|da|di|la|le|al|el|bin|ibn))*"

# Bracketed tags with attributes: [aesop_image img="" caption="..."], [gallery ids="1,2"], [/embed].
SHORTCODE = re.compile(
    r"\[/?[a-z][\w-]*(?:\s+[\w-]+\s*=\s*(?:\"[^\"]*\"|“[^”]*”|”[^”]*”|'[^']*'|[^\s\]]+))+\s*/?\]|\[/[a-z][\w-]*\]"
)

_CAPTION_RULES: tuple[re.Pattern[str], ...] = (
    # "(AP Photo/Franc Zhurda)", "(Reuters Photo)", "(MW Photo/Lena Brandt)", "(File Photo)"
    re.compile(
        r"\((?:[A-Z][\w.&'’-]*\s+){0,4}(?:File\s+)?(?:Photo|Photograph|Image|Picture|Video)s?(?:\s*/\s*[^)]{2,80})?\)"
    ),
    # "... September 8, 2022. REUTERS/Florion Goga", "NORTHGATE DAILY/Jo Bank"
    re.compile(r"(?:^|[.!?]['\"”’]?\s+|\s)[A-Z][A-Z&.'’ ]{1,30}/\s?" + _NAME + r"\s*$"),
    # a sentence followed only by an agency credit: "... was bombed. AFP", "... AP - Virginia Mayo"
    re.compile(r"[.!?]['\"”’)]?\s+[A-Z]{2,10}(?:\s*[-–—/]\s*" + _NAME + r")?\s*$"),
    # "Credit: Franc Zhurda", "Photo: Jane Doe", "Image credit: ..."
    re.compile(r"\b(?:Credit|Photo|Photograph|Image|Picture)s?(?:\s+credit)?\s*:\s*[A-Z]", re.IGNORECASE),
    # a caption announced as such ("Combined Shape Caption ...", "Caption: ...")
    re.compile(r"^(?:[\w ]{0,30}\s)?Caption\b"),
    re.compile(r"\b(?:Getty Images|Shutterstock|via Reuters|AFP via Getty)\W*$"),
)

_FOLLOW = re.compile(r"^Follow\s+(?:us|me|" + _NAME + r")(?:\s+(?:on|at|@)\b.*|\s*@\w+.*|\s*)$")
_CREDIT_LEAD = re.compile(
    r"^[(\[]?\s*(?:additional\s+)?(?:reporting|writing|written|editing|edited|compiled|produced|"
    r"research|translation|translated)\s+by\b",
    re.IGNORECASE,
)
_CREDIT_TAIL = re.compile(
    r"contributed(?:\s+reporting)?\s+to\s+this\s+(?:report|story|article)\W*$", re.IGNORECASE
)
_PARENTHESISED = re.compile(r"^\((?:[^()]|\([^()]*\))*\)$")
_READER_ADDRESS = re.compile(r"\b(?:you|your|yours)\b", re.IGNORECASE)
_CALL_TO_ACTION = re.compile(
    r"^(?:sign|subscribe|download|get|start|join|click|tap|register|log|already|try|listen|watch|"
    r"share|install|unlock|continue|read\s+(?:more|also|next|the\s+full)|see\s+(?:more|also)|more\s+from)\b",
    re.IGNORECASE,
)
_SELLING = re.compile(
    r"\b(?:app|apps|subscri\w*|sign(?:ed)?\s+(?:up|in)|newsletter|inbox|member\w*|free|premium|trial|"
    r"offer|deal|download|click|tap|titles|curated|unlimited|access|account|register(?:ed)?)\b",
    re.IGNORECASE,
)
_ATTRIBUTION = re.compile(r"\b(?:said|says|told|according to|announced|added)\b", re.IGNORECASE)
_COUNTER = re.compile(
    r"^\d[\d,.]*\s*[kKmM]?\s+(?:comments?|shares?|replies|reactions?|views?|likes?)$", re.IGNORECASE
)
_PROMO_SENTENCE_SPLIT = re.compile(r"(?<=[.!])\s+(?=[A-Z])")
_QUOTE_MARKS = re.compile(r"[\"“”«»]")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def words(line: str) -> list[str]:
    return line.split()


def is_separator(line: str) -> bool:
    return bool(line) and not _LETTER_OR_DIGIT.search(line)


def is_shortcode_line(line: str) -> bool:
    return bool(line) and not SHORTCODE.sub("", line).strip()


def strip_shortcodes(line: str) -> str:
    return SHORTCODE.sub("", line).strip()


def is_caption(line: str) -> bool:
    return any(rule.search(line) for rule in _CAPTION_RULES)


def is_follow_line(line: str) -> bool:
    return len(words(line)) <= 20 and bool(_FOLLOW.match(line))


def is_credit_line(line: str) -> bool:
    n = len(words(line))
    if n <= 40 and (_CREDIT_LEAD.match(line) or _CREDIT_TAIL.search(line)):
        return True
    # "(with wires)", "(with AFP)", "(Reporting by ...; Editing by ...)": a short note in brackets
    return (
        n <= 25
        and bool(_PARENTHESISED.match(line))
        and bool(re.search(r"\b(?:by|with)\b", line, re.IGNORECASE))
    )


def ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line))


def ends_statement(line: str) -> bool:
    """Ends like a statement; a bare question is how teaser headlines in link lists end."""
    return bool(_SENTENCE_END.search(line)) and not line.rstrip().endswith("?")


def is_promo(line: str) -> bool:
    """Short sentences that speak to the reader or call them to act: app, paywall, newsletter."""
    if _QUOTE_MARKS.search(line):
        return False
    sentences = [s for s in _PROMO_SENTENCE_SPLIT.split(line) if s.strip()]
    if not sentences or len(sentences) > 3 or _ATTRIBUTION.search(line):
        return False  # reported speech is reporting, whoever it addresses
    if any(len(words(s)) > 14 or s.rstrip().endswith("?") for s in sentences):
        return False  # a question or a long sentence is content, not a button
    if all(_CALL_TO_ACTION.match(s) for s in sentences):
        return True
    # Speaking to the reader is a promo only when the block also sells something:
    # "Drink during your workout." is advice, "Free for registered readers." is a sign-up box.
    return bool(_READER_ADDRESS.search(line) or _CALL_TO_ACTION.match(sentences[0])) and bool(
        _SELLING.search(line)
    )


def is_widget(line: str) -> bool:
    """A counter left behind by a page widget: "42 comments", "1.2k shares"."""
    return bool(_COUNTER.match(line))


def is_headline_shaped(line: str) -> bool:
    """Title Case with no closing punctuation: a link to another article dropped into the text."""
    tokens = [w for w in words(line) if len(w.strip("'\"‘’“”")) >= 4]
    if len(words(line)) < 5 or ends_sentence(line) or not tokens:
        return False
    capitalised = sum(1 for w in tokens if w.strip("'\"‘’“”")[:1].isupper())
    return capitalised / len(tokens) >= 0.7


def line_reason(line: str) -> str | None:
    """Why ``line`` is boilerplate wherever it stands, or ``None`` if it may be reporting."""
    if is_separator(line):
        return "separator"
    if is_shortcode_line(line):
        return "shortcode"
    if is_follow_line(line):
        return "follow line"
    if is_credit_line(line):
        return "credit line"
    if is_caption(line):
        return "caption"
    if is_promo(line):
        return "promo"
    if is_widget(line):
        return "widget"
    return None
