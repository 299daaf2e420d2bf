"""People, organisations and places a story names, counted across its articles.

spaCy's small model labels each mention; a name's kind is the label most of its mentions get
(the model calls "MEK" a person once and an organisation twice: the story decides), and a
surname alone counts for the full name the story uses ("Rama" → "Edi Rama").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from newsfold.model import Citation, EntityMentions

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
    """Entities of a story, most mentioned first."""
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
    people = [n for n in mentions if labels[n].most_common(1)[0][0] == "person" and " " in n]
    canonical: dict[str, str] = {}
    for name in mentions:
        fuller = [p for p in people if p.endswith(" " + name) and p != name]
        if fuller and " " not in name:
            canonical[name] = max(fuller, key=lambda p: mentions[p])
    merged_mentions: Counter[str] = Counter()
    merged_labels: dict[str, Counter[str]] = defaultdict(Counter)
    merged_carriers: dict[str, dict[str, Citation]] = defaultdict(dict)
    for name, count in mentions.items():
        target = canonical.get(name, name)
        merged_mentions[target] += count
        merged_labels[target].update(labels[name])
        merged_carriers[target].update(carriers[name])
    return [
        EntityMentions(
            name,
            merged_labels[name].most_common(1)[0][0],
            count,
            tuple(merged_carriers[name].values()),
        )
        for name, count in sorted(merged_mentions.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
