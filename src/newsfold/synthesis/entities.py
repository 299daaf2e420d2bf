"""People, organisations and places a story names, counted across its articles.

spaCy's small model labels each mention; a name's kind is the label most of its mentions get
(the model calls "MEK" a person once and an organisation twice: the story decides), and a
surname alone counts for the full name the story uses ("Rama" → "Edi Rama").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from newsfold.model import Citation, EntityMentions
from newsfold.synthesis.disjoint import DisjointSet

if TYPE_CHECKING:
    from spacy.tokens import Doc

KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place"}
_TITLES_TEXT = "the mr mrs ms dr prime minister president secretary senator rep gov governor spokesman spokeswoman judge pope"
_TITLES = frozenset(_TITLES_TEXT.split())


def clean_name(text: str) -> str:
    """A mention as a name: no leading article or title, no possessive, single spaces."""
    words = text.replace("’s", "").replace("'s", "").replace("\n", " ").split()
    while len(words) > 1 and words[0].casefold().strip(".") in _TITLES:
        words = words[1:]
    return " ".join(words).strip(".,;:“”\"'")


def story_entities(docs: list[tuple[Citation, Doc]]) -> list[EntityMentions]:
    """Entities of a story, most mentioned first, each name's other spellings folded into it."""
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    mentions: Counter[str] = Counter()
    carriers: dict[str, dict[str, Citation]] = defaultdict(dict)
    for citation, doc in docs:
        for ent in doc.ents:
            kind = KINDS.get(ent.label_)
            name = clean_name(ent.text)
            if kind is None or len(name) < 2 or not name[0].isupper():
                continue
            labels[name][kind] += 1
            mentions[name] += 1
            carriers[name][citation.article_id] = citation
    groups = alias_groups({name: labels[name].most_common(1)[0][0] for name in mentions}, mentions)
    entities = []
    for canonical, names in groups.items():
        merged_labels: Counter[str] = Counter()
        merged_carriers: dict[str, Citation] = {}
        for name in names:
            merged_labels.update(labels[name])
            merged_carriers.update(carriers[name])
        entities.append(
            EntityMentions(
                canonical,
                merged_labels.most_common(1)[0][0],
                sum(mentions[n] for n in names),
                tuple(merged_carriers.values()),
                tuple(sorted((n for n in names if n != canonical), key=lambda n: (-mentions[n], n))),
            )
        )
    entities.sort(key=lambda e: (-e.mentions, e.name))
    return entities


_SAME_COUNTRY = {
    "america": "united states",
    "usa": "united states",
    "united states of america": "united states",
    "britain": "united kingdom",
    "great britain": "united kingdom",
}
"""Country names no spelling rule links to their other names (the acronyms are found by rule)."""
_INITIALS_SKIP = frozenset({"of", "the", "and", "for", "on", "in"})


def _key(name: str) -> str:
    """How a name compares with its spellings: "U.S." and "US" are one key, as are "The Hague"s."""
    words = name.replace(".", " ").casefold().split()
    key = "".join(words) if all(len(w) == 1 for w in words) else " ".join(words)  # "U. K" is "UK"
    return _SAME_COUNTRY.get(key, key)


def _initials(name: str) -> set[str]:
    """The acronyms a multi-word name could be written as ("Mujahideen-e-Khalq" → MEK)."""
    words = [w for w in re.split(r"[\s\-–.]+", name) if w]
    if len(words) < 2 or all(len(w) == 1 for w in words):  # "U. S" is an acronym, not a full name
        return set()
    return {
        "".join(w[0] for w in words).casefold(),
        "".join(w[0] for w in words if w.casefold() not in _INITIALS_SKIP).casefold(),
    }


def alias_groups(kinds: dict[str, str], mentions: Counter[str]) -> dict[str, list[str]]:
    """Names that are one entity, under the name to show: ``{"Edi Rama": ["Edi Rama", "Rama"]}``.

    Joined: spellings that differ only in dots and case ("U.S", "US"), an acronym and the name it
    abbreviates ("US", "United States"), a lone first or last name and the one person the story
    names in full with it ("Rama" → "Edi Rama"), and the tail of one longer organisation name
    ("Foreign Ministry" → "Iranian Foreign Ministry").  A short form that fits several full names
    stays apart: it is ambiguous.  The name shown is the fullest form, then the most mentioned.
    """
    names = DisjointSet(kinds)
    partial: set[str] = set()
    by_key: dict[str, str] = {}
    by_initials: dict[str, list[str]] = defaultdict(list)
    for name in kinds:
        key = _key(name)
        if key in by_key:
            names.union(name, by_key[key])
        else:
            by_key[key] = name
        for initials in _initials(name):
            by_initials[initials].append(name)
    people = [n for n, k in kinds.items() if k == "person" and " " in n]
    organisations = [n for n, k in kinds.items() if k == "organisation" and " " in n]
    for name, kind in kinds.items():
        key = _key(name)
        fuller: list[str] = []
        if " " not in key and name.replace(".", "").isupper() and 2 <= len(key) <= 6:
            fuller = by_initials.get(key, [])
        elif " " not in name and kind != "place":  # the model takes a lone surname for an organisation at times
            fuller = [p for p in people if p.endswith(" " + name) or (kind == "person" and p.startswith(name + " "))]
        elif kind == "organisation":
            fuller = [o for o in organisations if o.endswith(" " + name)]
        if len({names.find(f) for f in fuller}) == 1:
            names.union(name, fuller[0])
            partial.add(name)
    return {
        max(group, key=lambda n: (n not in partial, " " in n, mentions[n], len(n), n)): sorted(group)
        for group in names.groups()
    }
