"""The five seed reports: every piece of their boilerplate goes, every sentence of reporting stays."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsfold.extract import extract
from newsfold.ingest import read_path
from newsfold.model import Article

BOILERPLATE = {
    "000": ["Dog order", "Follow Llazar Semini on"],
    "001": ["(Reuters Photo)", "Members of the police special unit prepare to enter"],
    "002": [
        "REUTERS/Florion Goga",
        "aesop_image",
        "UK Blames Iran for",
        "(Reporting by Fatos Bytyci",
        "Similar Articles to This Post",
        "By Fatos Bytyci and Florion Goga",
    ],
    "003": [
        "date 2022-09-08",
        "——-",
        "Follow Llazar Semini",
        "Combined Shape Caption",
        "Credit: Franc Zhurda",
    ],
    "004": [
        "Get all your news in one place.",
        "premium titles",
        "One app.",
        "Start reading",
        "Sign up to read this article",
        "Read news from 100’s of titles",
        "Already a member? Sign in here",
        "Related Stories",
        "Top stories on inkl right now",
        "Our Picks",
        "Fourteen days free",
        "Download the app",
        "trusted global sources",
        "(AP Photo/Virginia Mayo)",
        "settled in Albania in 2013 after its camp in Iraq was bombed. AFP",
        "(with wires)",
    ],
}
TITLES = {
    "000": "Iranian diplomats set to leave Albania after deportation order",
    "001": "Diplomats leave Iranian Embassy in Albania after expulsion",
    "004": "Albania cuts ties with Iran over cyberattacks targeting Paris-based dissidents",
}
# Lines of the raw files that are not sentences of reporting (headings of the text itself).
NOT_REPORTING = {
    "People's Mujahedeen",
    "'Unprecedented' cyberattack",
    "Radio France Internationale",
    "World",
    "Jan van der Made",
}


def _extract_seed(seeds_dir: Path, number: str) -> tuple[str, Article]:
    path = next(seeds_dir.glob(f"{number}_*.txt"))
    (raw,) = list(read_path(path, 10_000_000))
    article = extract(raw)
    assert isinstance(article, Article), article
    return path.read_text(encoding="utf-8"), article


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.mark.parametrize("number", sorted(BOILERPLATE))
def test_no_seed_boilerplate_survives(seeds_dir: Path, number: str) -> None:
    _, article = _extract_seed(seeds_dir, number)
    stored = _norm(article.title + "\n" + article.text)
    for fragment in BOILERPLATE[number]:
        assert fragment not in stored, f"{number}: boilerplate {fragment!r} survived"
    assert article.removed, "what was removed is kept with a reason"
    assert all(r.reason for r in article.removed)


@pytest.mark.parametrize("number", sorted(BOILERPLATE))
def test_no_sentence_of_reporting_is_lost(seeds_dir: Path, number: str) -> None:
    raw, article = _extract_seed(seeds_dir, number)
    kept = _norm(article.text)
    removed = [_norm(r.text) for r in article.removed]
    for line in (_norm(line) for line in raw.splitlines()):
        if not line or line in NOT_REPORTING or any(f in line for f in BOILERPLATE[number]):
            continue
        if any(line == r for r in removed) or _norm(article.title) == line:
            # dropped lines must be boilerplate we listed above or headings, never prose
            assert not re.search(r"[.!?][\"”']?$", line) or len(line.split()) < 8, f"{number}: lost {line!r}"
            continue
        body = re.sub(r"^(?:date \S+ |TIRANA, Albania \(AP\) — |– )", "", line)
        assert body in kept, f"{number}: sentence lost or altered: {line[:80]!r}"


@pytest.mark.parametrize(("number", "title"), sorted(TITLES.items()))
def test_seed_titles(seeds_dir: Path, number: str, title: str) -> None:
    _, article = _extract_seed(seeds_dir, number)
    assert article.title == title


def test_seed_metadata(seeds_dir: Path) -> None:
    _, ap = _extract_seed(seeds_dir, "000")
    assert ap.dateline == "TIRANA, Albania (AP)"
    assert any(r.reason == "junk title" and r.text == "Dog order" for r in ap.removed)
    _, reuters = _extract_seed(seeds_dir, "002")
    assert reuters.authors == ["Fatos Bytyci", "Florion Goga"]
    _, copy = _extract_seed(seeds_dir, "003")
    assert copy.published is not None
    assert copy.published.date().isoformat() == "2022-09-08"
