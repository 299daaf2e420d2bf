"""People, organisations and places a story names, counted across its articles.

spaCy's small model labels each mention; a name's kind is the label most of its mentions get
(the model calls "MEK" a person once and an organisation twice: the story decides), unless the
text says better.  What the words around a mention say outweighs the model's label
(:data:`EVIDENCE_WEIGHT`): a name after "in", "near" or "the port of", before "-based", or
heading "X, Ohio" is a place; a name after a title ("Mr", "Constable") or before ", 71," or ", who"
is a person; a name whose words end like a body's ("... Bank", "... Systems", "... Line"), with
", which" or ", the company" after it, or whose chief executive or shares are spoken of, is an
organisation; and names in one list ("Rotterdam and Hamburg") are of one kind.  A short name
takes the kind of the fuller name it is folded into: a surname alone counts for the full name
the story uses ("Rama" → "Edi Rama"), a company's first word for the company ("Harbourline" →
"Harbourline Bank").

Not names at all, however the model labels them: time zones ("GMT"), languages ("its Farsi
name"), and a common word that is capitalised only because it opens a sentence or a headline
("Port officials said ...", "Kettles are bought ...") in a story that also writes it in lower case.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from newsfold.model import Citation, EntityMentions
from newsfold.synthesis.disjoint import DisjointSet
from newsfold.text import fold_plural

if TYPE_CHECKING:
    from collections.abc import Iterable

    from spacy.tokens import Doc, Span, Token

KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place"}
_TITLES_TEXT = """
    the mr mrs ms dr prof professor sir dame lord lady prime minister president secretary senator
    sen rep gov governor spokesman spokeswoman judge pope constable sergeant sgt inspector detective
    captain capt chief mayor councillor
"""
_TITLES = frozenset(_TITLES_TEXT.split())
EVIDENCE_WEIGHT = 2
"""What one mention's telling context counts for, against one label of the model."""
_TIME_ZONES = frozenset(
    [
        "gmt",
        "utc",
        "bst",
        "cet",
        "cest",
        "eet",
        "eest",
        "est",
        "edt",
        "cst",
        "cdt",
        "mst",
        "mdt",
        "pst",
        "pdt",
        "aest",
        "aedt",
        "jst",
        "ist",
    ]
)
_LANGUAGES_TEXT = """
    farsi persian dari pashto arabic hebrew turkish kurdish urdu hindi bengali punjabi tamil english
    french german spanish portuguese italian dutch flemish danish swedish norwegian finnish polish
    czech slovak hungarian romanian bulgarian serbian croatian albanian greek russian ukrainian
    mandarin cantonese chinese japanese korean vietnamese thai malay indonesian swahili latin
"""
_LANGUAGES = frozenset(_LANGUAGES_TEXT.split())
_PLACE_BEFORE = frozenset(
    ["in", "at", "from", "near", "outside", "across", "throughout", "towards", "via", "inside"]
)
_PLACE_NOUNS_TEXT = """
    port ports city cities town towns village villages capital region province county state
    suburb district island islands harbour coast area community communities
"""
_PLACE_NOUNS = frozenset(_PLACE_NOUNS_TEXT.split())
_ORG_ENDINGS_TEXT = """
    ltd inc plc llc corp corporation co company bank systems group holdings line lines airways
    airlines electric electronics hardware stores logistics terminals association federation union
    council ministry agency institute directorate trust times gazette herald journal radio observer
    tribune post news securities capital partners labs laboratories motors energy foods media
"""
_ORG_ENDINGS = frozenset(_ORG_ENDINGS_TEXT.split())
_ORG_NOUNS_TEXT = """
    company firm lender bank retailer chain carrier maker manufacturer group union operator supplier
    agency regulator ministry broadcaster newspaper airline insurer brand business
"""
_ORG_NOUNS = frozenset(_ORG_NOUNS_TEXT.split())
_ORG_POSSESSIONS = frozenset(
    ["shares", "share", "stock", "chief", "executive", "ceo", "board", "headquarters", "subsidiary", "stores"]
)
_NUMBERISH = re.compile(r"\d+")
_POSSESSIVE = frozenset(("'s", "’s", "'", "’"))
_PERSON_TITLES = _TITLES - {"the"}


def clean_name(text: str) -> str:
    """A mention as a name: no leading article or title, no possessive ending, single spaces."""
    words = text.replace("\n", " ").split()
    if words:
        words[-1] = re.sub(r"['’]s?$", "", words[-1]) or words[-1]
    while len(words) > 1 and words[0].casefold().strip(".") in _TITLES:
        words = words[1:]
    return " ".join(words).strip(".,;:“”\"'")


def story_entities(docs: list[tuple[Citation, Doc]]) -> list[EntityMentions]:
    """Entities of a story, most mentioned first, each name's other spellings folded into it."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    mentions: Counter[str] = Counter()
    carriers: dict[str, dict[str, Citation]] = defaultdict(dict)
    opening_only: dict[str, bool] = {}
    common_noun: dict[str, bool] = {}
    placed: set[str] = set()
    partners: list[tuple[str, Span]] = []
    """A name and a mention listed with it, or after it as in "Columbus, Ohio"."""
    in_lower_case = _lower_case_words(doc for _, doc in docs)
    for citation, doc in docs:
        named = [(ent, clean_name(ent.text)) for ent in doc.ents if ent.label_ in KINDS]
        by_token = {token.i: (ent, name) for ent, name in named for token in ent}
        for ent, name in named:
            if len(name) < 2 or not name[0].isupper() or _not_a_name(name, ent):
                continue
            evidence = _evidence(ent, name)
            if evidence == "place":
                placed.add(name)
            votes[name][evidence or KINDS[ent.label_]] += EVIDENCE_WEIGHT if evidence else 1
            mentions[name] += 1
            carriers[name][citation.article_id] = citation
            opening_only[name] = opening_only.get(name, True) and _opens_sentence(ent)
            common_noun[name] = common_noun.get(name, True) and ent.root.pos_ == "NOUN"
            partners.extend((name, other) for other in _beside(ent, by_token))
    for name, opening in opening_only.items():
        # "Port officials said ..." in a story that writes "the port" (or that the parser reads
        # as a common noun every time): a word, not a name
        if (
            opening
            and " " not in name
            and (fold_plural(name.casefold()) in in_lower_case or common_noun[name])
        ):
            del votes[name], mentions[name], carriers[name]
    first_kinds = {name: count.most_common(1)[0][0] for name, count in votes.items()}
    for name, other in partners:
        other_name = clean_name(other.text)
        partner_kind = first_kinds.get(other_name)
        # a place passes its kind on: the model misreads a town as a person far more often
        # than it makes a place of someone, and a list ("Rotterdam and Hamburg") is of one kind
        if name in votes and partner_kind == "place":
            votes[name]["place"] += EVIDENCE_WEIGHT
            placed.add(name)
    full_names = {
        word
        for name, count in votes.items()
        if " " in name and count.most_common(1)[0][0] == "person"
        for word in name.split()
    }
    for name, count in votes.items():
        # news names a person in full before it shortens the name: a lone word the model calls
        # a person, never named in full, is more likely the company or town the text says it is
        if " " not in name and name not in full_names and count.most_common(1)[0][0] == "person":
            others = Counter({k: v for k, v in count.items() if k != "person"})
            if others:
                count["person"] = min(count["person"], max(others.values()) - 1)
    kinds = {name: count.most_common(1)[0][0] for name, count in votes.items()}
    groups = alias_groups(kinds, mentions, placed)
    entities = []
    for canonical, names in groups.items():
        # the fullest forms decide the kind: the model's label of a lone word is the weakest
        fullest = [n for n in names if len(n.split()) >= len(canonical.split())]
        merged_votes: Counter[str] = Counter()
        for name in fullest:
            merged_votes.update(votes[name])
        merged_carriers: dict[str, Citation] = {}
        for name in names:
            merged_carriers.update(carriers[name])
        entities.append(
            EntityMentions(
                canonical,
                merged_votes.most_common(1)[0][0],
                sum(mentions[n] for n in names),
                tuple(merged_carriers.values()),
                tuple(sorted((n for n in names if n != canonical), key=lambda n: (-mentions[n], n))),
            )
        )
    entities.sort(key=lambda e: (-e.mentions, e.name))
    return entities


def _not_a_name(name: str, ent: Span) -> bool:
    """A time zone or a language, which the model sometimes takes for a body or a place."""
    folded = name.casefold()
    return folded in _TIME_ZONES or folded in _LANGUAGES or _NUMBERISH.fullmatch(folded) is not None


def _lower_case_words(docs: Iterable[Doc]) -> set[str]:
    """Words the story writes in lower case (plurals folded): "port", "kettle", "fraud"."""
    words: set[str] = set()
    for doc in docs:
        for token in doc:
            if token.is_lower and token.is_alpha:
                words.add(fold_plural(token.lower_))
    return words


def _opens_sentence(ent: Span) -> bool:
    """Whether only marks stand before the mention in its sentence, or it starts a line."""
    first = ent[0]
    before = first.doc[first.sent.start : first.i]
    return all(t.is_punct or t.is_space or t.is_quote for t in before) or (
        first.i > 0 and "\n" in first.doc[first.i - 1].text_with_ws
    )


def _evidence(ent: Span, name: str) -> str | None:
    """The kind the words around a mention (or the name's own words) say it is, if they do."""
    doc = ent.doc

    def at(i: int) -> str:
        return doc[i].lower_ if 0 <= i < len(doc) else ""

    possessive = _is_possessive(ent)
    owner_end = ent.end if at(ent.end - 1) in _POSSESSIVE else ent.end + 1
    words = name.casefold().split()
    if len(words) > 1 and words[-1] in _ORG_ENDINGS:
        return "organisation"  # "Northway Hardware", "Halvorsen Line"
    if at(ent.start).strip(".") in _PERSON_TITLES or at(ent.start - 1).strip(".") in _PERSON_TITLES:
        return "person"  # "Constable Aileen Varga", "Mr Rinaldi"
    if at(ent.end) == "," and doc[ent.end + 1].like_num if ent.end + 1 < len(doc) else False:
        return "person"  # "Doreen Palchuk, 71,"
    if at(ent.end) == "," and at(ent.end + 1) == "which":
        return "organisation"  # "Halden, which is based in Huddersfield": a body, not a person
    for child in ent.root.children:
        if child.dep_ == "appos" and child.lower_ in _ORG_NOUNS:
            return "organisation"  # "Brightmart, the discount retail chain"
    if possessive and at(owner_end) in _ORG_POSSESSIONS:
        return "organisation"  # "Halden's chief executive", "Brightmart's shares"
    if at(ent.end) == "-" and at(ent.end + 1) == "based":
        return "place"  # "Manchester-based"
    if not possessive and at(ent.start - 1) in _PLACE_BEFORE:
        return "place"  # "in Leeds", "near Fenwick"
    if at(ent.start - 1) == "of" and at(ent.start - 2) in _PLACE_NOUNS:
        return "place"  # "the port of Genoa", "the town of Cedar Hollow"
    return None


def _beside(ent: Span, by_token: dict[int, tuple[Span, str]]) -> list[Span]:
    """Names listed with this one ("Rotterdam, Zeebrugge and Hamburg"), and the name either side
    of "X, Y" that is not a possessive ("Columbus, Ohio"; not "Rama, Albania's prime minister")."""
    found: list[Span] = []
    for token in _conjuncts(ent.root):
        partner = by_token.get(token.i)
        if partner is not None and partner[0] != ent and partner[0] not in found:
            found.append(partner[0])
    doc = ent.doc
    after = by_token.get(ent.end + 1) if ent.end + 1 < len(doc) and doc[ent.end].text == "," else None
    if after is not None and after[0].start == ent.end + 1 and not _is_possessive(after[0]):
        found.append(after[0])
    before = by_token.get(ent.start - 2) if ent.start > 1 and doc[ent.start - 1].text == "," else None
    if before is not None and before[0].end == ent.start - 1 and not _is_possessive(ent):
        found.append(before[0])
    return found


def _conjuncts(token: Token) -> list[Token]:
    """Every token coordinated with ``token`` ("A, B and C"), whatever stands between."""
    first = token
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    found, stack = [first], [first]
    while stack:
        for child in stack.pop().children:
            if child.dep_ == "conj" and child not in found:
                found.append(child)
                stack.append(child)
    return [t for t in found if t.i != token.i] if len(found) > 1 else []


def _is_possessive(ent: Span) -> bool:
    doc = ent.doc
    return doc[ent.end - 1].lower_ in _POSSESSIVE or (
        ent.end < len(doc) and doc[ent.end].lower_ in _POSSESSIVE
    )


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


def alias_groups(
    kinds: dict[str, str], mentions: Counter[str], placed: set[str] | None = None
) -> dict[str, list[str]]:
    """Names that are one entity, under the name to show: ``{"Edi Rama": ["Edi Rama", "Rama"]}``.

    Joined: spellings that differ only in dots and case ("U.S", "US"), an acronym and the name it
    abbreviates ("US", "United States"), a lone first or last name and the one person the story
    names in full with it ("Rama" → "Edi Rama"), a lone word and the one longer organisation name
    it starts ("Harbourline" → "Harbourline Bank"), and the tail of one longer organisation name
    ("Foreign Ministry" → "Iranian Foreign Ministry").  A short form that fits several full names
    stays apart: it is ambiguous.  A lone word taken for a place starts an organisation's name
    only when nothing in the text placed it (``placed``: names read as places from their
    context, every place when not given): "Halden said" is the company, "in Leeds" the city.
    The name shown is the fullest form, then the most mentioned.
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
        elif " " not in name:
            if kind != "place":  # the model takes a lone surname for an organisation at times
                fuller = [
                    p
                    for p in people
                    if p.endswith(" " + name) or (kind == "person" and p.startswith(name + " "))
                ]
            if kind != "place" or (placed is not None and name not in placed):
                fuller += [o for o in organisations if o.startswith(name + " ")]
        elif kind == "organisation":
            fuller = [o for o in organisations if o.endswith(" " + name)]
        if len({names.find(f) for f in fuller}) == 1:
            names.union(name, fuller[0])
            partial.add(name)
    return {
        max(group, key=lambda n: (n not in partial, " " in n, mentions[n], len(n), n)): sorted(group)
        for group in names.groups()
    }
