"""Where sources disagree: a year, a number, a name or a place in what is one statement.

Discrepancies are read off facts and near-facts: two statements about the same thing (they
share the story's rare words) that give different years or numbers, carried by different
sources; or two wordings of one fact that put a different person, organisation or place in
the same statement.  Wording alone never makes a discrepancy.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from newsfold.model import Citation, Discrepancy, EntityMentions, Variant
from newsfold.synthesis.facts import NUMBER, FactGroup, Sentence, cosine, fact_id, is_named_number
from newsfold.text import FUNCTION_WORDS, fold_plural

RELATED_SIMILARITY = 0.2
"""Cosine above which two statements are about the same thing, for discrepancies."""
MIN_SHARED_RARE_WORDS = 2
_YEAR = re.compile(r"(?<![\d,.$])\b(1[89]\d\d|20\d\d)\b(?!,\d|\.\d)")
HEDGE_SHARE = 0.02
"""How far off a hedged figure may be ("roughly 410,000" for 412,000) and still say the same."""
_HEDGE = re.compile(
    r"\b(?:roughly|about|around|some|nearly|almost|approximately|an estimated|estimated|more than|"
    r"less than|fewer than|over|under|up to|close to|at least|at most)\s+[$£€]?$",
    re.IGNORECASE,
)
_CURRENCY = re.compile(r"[$£€¥]")
# What a number counts: the words after it (and after "million", "-hour"), up to a function word
# or a mark; "per cent" and "%" count per cent.
_COUNTED = re.compile(
    r"(?:\s*(?:million|billion|thousand|trillion|bn|m)\b)?(?:(?P<percent>\s*%|\s+per\s*cent\b)|"
    r"[\s-]+(?!(?:" + "|".join(sorted(FUNCTION_WORDS)) + r")\b)(?P<w1>[^\W\d_][\w'’]*)"
    r"(?:\s+(?!(?:" + "|".join(sorted(FUNCTION_WORDS)) + r")\b)(?P<w2>[^\W\d_][\w'’]*))?)",
    re.IGNORECASE,
)


def find_discrepancies(groups: list[FactGroup], citation_of: dict[str, Citation]) -> list[Discrepancy]:
    """Statements about the same thing that differ in a year or a number, across sources.

    Only pairs that could qualify are compared: statements of one fact, or statements sharing a
    word rare in the story (a pair needs :data:`MIN_SHARED_RARE_WORDS` of them), so the cost
    follows how many statements talk about the same thing, not the square of the story's size.
    """
    found: list[Discrepancy] = []
    rare = _rare_terms(groups)
    group_of = {id(s): group for group in groups for s in group.sentences}
    readings = {id(s): _readings(s.text) for group in groups for s in group.sentences}
    for kind, pattern in (("date", _YEAR), ("number", NUMBER)):
        values = {id(s): _values(pattern, s.text, kind) for group in groups for s in group.sentences}
        single = [s for group in groups for s in group.sentences if len(values[id(s)]) == 1]
        order = {id(s): i for i, s in enumerate(single)}
        by_rare_term: dict[str, list[Sentence]] = defaultdict(list)
        for sentence in single:
            for term in sentence.vector.keys() & rare:
                by_rare_term[term].append(sentence)
        variants_of: dict[str, dict[str, list[Sentence]]] = {}
        for a in single:
            group_a = group_of[id(a)]
            candidates = {id(b): b for b in group_a.sentences if id(b) in order}
            for term in a.vector.keys() & rare:
                candidates.update((id(b), b) for b in by_rare_term[term])
            (value_a,) = values[id(a)]
            for b in candidates.values():
                if order[id(b)] <= order[id(a)] or _root(a, citation_of) == _root(b, citation_of):
                    continue
                (value_b,) = values[id(b)]
                if value_a == value_b or not _comparable(kind, value_a, value_b):
                    continue
                if kind == "number" and not _disagree(readings[id(a)][value_a], readings[id(b)][value_b]):
                    continue
                group_b = group_of[id(b)]
                if group_a is not group_b and (
                    cosine(a.vector, b.vector) < RELATED_SIMILARITY
                    or len(a.vector.keys() & b.vector.keys() & rare) < MIN_SHARED_RARE_WORDS
                ):
                    continue
                larger = group_a if len(group_a.sentences) >= len(group_b.sentences) else group_b
                _hold(variants_of.setdefault(fact_id(larger), {}), (a, value_a), (b, value_b))
        found.extend(
            _discrepancy(
                kind,
                fid,
                variants,
                lambda value, holders: _stating_the_same(holders, groups, value, values),  # noqa: B023
                citation_of,
            )
            for fid, variants in variants_of.items()
        )
    return found


def _hold(variants: dict[str, list[Sentence]], *sightings: tuple[Sentence, str]) -> None:
    """Record each sentence as a holder of its value (once)."""
    for sentence, value in sightings:
        holders = variants.setdefault(value, [])
        if sentence not in holders:
            holders.append(sentence)


def _discrepancy(
    kind: str,
    fid: str,
    variants: dict[str, list[Sentence]],
    carriers: Callable[[str, list[Sentence]], Iterable[Sentence]],
    citation_of: dict[str, Citation],
) -> Discrepancy:
    """The discrepancy: each value with its first holder's wording and every article carrying it
    (``carriers`` says which sentences carry a value, given the ones found holding it)."""
    return Discrepancy(
        kind,
        fid,
        tuple(
            Variant(
                value,
                holders[0].text,
                tuple(dict.fromkeys(citation_of[s.article_id] for s in carriers(value, holders))),
            )
            for value, holders in sorted(variants.items())
        ),
    )


def _stating_the_same(
    holders: list[Sentence], groups: list[FactGroup], value: str, values: dict[int, set[str]]
) -> list[Sentence]:
    """The holders of a value and every other sentence that states the same thing with it
    (in a holder's fact, or in a fact with a sentence related to a holder)."""
    out = list(holders)
    for group in groups:
        stating = [s for s in group.sentences if value in values[id(s)]]
        if any(h in group.sentences for h in holders) or any(
            cosine(s.vector, h.vector) >= RELATED_SIMILARITY for s in stating for h in holders
        ):
            out.extend(s for s in stating if s not in out)
    return out


def _values(pattern: re.Pattern[str], text: str, kind: str) -> set[str]:
    values = {m.group(1).replace(",", "") for m in pattern.finditer(text)}
    if kind == "number":
        values -= {m.group(1) for m in _YEAR.finditer(text)}
        values = {v for v in values if v not in ("1", "2", "3", "4", "5", "6", "7", "8", "9", "10")}
        values &= _readings(text).keys()
    return values


@dataclass(frozen=True, slots=True)
class _Reading:
    """What a number in a sentence counts, and how loosely it is given."""

    value: float
    units: frozenset[str]
    """The words it counts ("29 container ships": container, ship; "a 72-hour strike": hour,
    strike; "%", "$"), empty when the sentence does not say."""
    slack: float
    """How far another figure may be and still be this one: 0 for an exact figure; for a hedged
    one ("roughly 410,000", "about 9,000") 2% of it, or half the unit it is rounded to."""


def _readings(text: str) -> dict[str, _Reading]:
    """Each number of ``text`` that is a quantity (not part of a name, "Highway 9"), read."""
    found: dict[str, _Reading] = {}
    for match in NUMBER.finditer(text):
        if is_named_number(text, match.start()):
            continue
        raw = match.group(1).replace(",", "")
        value = float(raw)
        units = set(_CURRENCY.findall(text[max(0, match.start() - 1) : match.start()]))
        after = _COUNTED.match(text, match.end())
        if after is not None:
            if after.group("percent"):
                units.add("%")
            units.update(fold_plural(w.casefold()) for w in (after.group("w1"), after.group("w2")) if w)
        slack = 0.0
        if _HEDGE.search(text, 0, match.start()):
            rounded_to = (
                10.0 ** -len(raw.split(".")[1]) if "." in raw else 10.0 ** (len(raw) - len(raw.rstrip("0")))
            )
            slack = max(HEDGE_SHARE * value, rounded_to / 2)
        found.setdefault(raw, _Reading(value, frozenset(units), slack))
    return found


def _disagree(a: _Reading, b: _Reading) -> bool:
    """Two numbers of one statement that say different things: they count the same (or the
    sentence does not say what), and neither is a hedged figure the other falls within."""
    if a.units and b.units and not a.units & b.units:
        return False  # "29 container ships" and "a 72-hour strike" count different things
    return abs(a.value - b.value) > max(a.slack, b.slack)


def _comparable(kind: str, a: str, b: str) -> bool:
    """Years a few apart, or numbers of one order of magnitude: the same quantity told differently."""
    x, y = float(a), float(b)
    if kind == "date":
        return abs(x - y) <= 5
    return x > 0 and y > 0 and max(x, y) / min(x, y) <= 3


def _root(sentence: Sentence, citation_of: dict[str, Citation]) -> str:
    citation = citation_of[sentence.article_id]
    return citation.copy_of or citation.article_id


def _rare_terms(groups: list[FactGroup]) -> set[str]:
    """Words in at most a tenth of the story's sentences (or three): they name what a statement is about."""
    df: Counter[str] = Counter()
    total = 0
    for group in groups:
        for sentence in group.sentences:
            df.update(sentence.vector.keys())
            total += 1
    limit = max(3, total // 10)
    return {t for t, c in df.items() if c <= limit}


NAME_KINDS = {"person": "name", "organisation": "name", "place": "place"}
"""Entity kinds whose disagreement is a discrepancy, and the discrepancy kind each makes."""


def find_name_discrepancies(
    groups: list[FactGroup], citation_of: dict[str, Citation], entities: list[EntityMentions]
) -> list[Discrepancy]:
    """Wordings of one fact that put a different person, organisation or place in the same slot.

    "A fire in Leeds on Monday" against "a fire in Sheffield on Monday": the two wordings are one
    fact, differ by exactly one name of a kind, and the names stand between the same words.
    Not a disagreement: a wording that leaves a name out; names sharing a word or spelt alike
    ("Mark Heller", "Mark Jay Heller"; "Calif", "California"); and a name whose article names
    the other one elsewhere ("Tehran said" in a report about Iran says "Iran said").
    """
    surfaces = {alias: e for e in entities if e.kind in NAME_KINDS for alias in (e.name, *e.aliases)}
    if not surfaces:
        return []
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(s) for s in sorted(surfaces, key=len, reverse=True)) + r")(?!\w)"
    )
    found_in: dict[int, dict[str, dict[str, tuple[int, int]]]] = {}
    in_article: dict[str, set[str]] = defaultdict(set)
    for group in groups:
        for sentence in group.sentences:
            by_kind: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
            for match in pattern.finditer(sentence.text):
                entity = surfaces[match.group(1)]
                by_kind[entity.kind].setdefault(entity.name, match.span())
                in_article[sentence.article_id].add(entity.name)
            found_in[id(sentence)] = by_kind
    found: list[Discrepancy] = []
    for group in groups:
        if len({_root(s, citation_of) for s in group.sentences}) < 2:
            continue
        for kind, discrepancy_kind in NAME_KINDS.items():
            variants: dict[str, list[Sentence]] = {}
            signatures = {id(s): frozenset(found_in[id(s)].get(kind, ())) for s in group.sentences}
            for a, b in _distinct_pairs(group.sentences, signatures, lambda s: _root(s, citation_of)):
                names_a, names_b = found_in[id(a)].get(kind, {}), found_in[id(b)].get(kind, {})
                only_a, only_b = names_a.keys() - names_b.keys(), names_b.keys() - names_a.keys()
                if len(only_a) != 1 or len(only_b) != 1:
                    continue
                (x,), (y,) = only_a, only_b
                if (
                    _root(a, citation_of) == _root(b, citation_of)
                    or y in in_article[a.article_id]
                    or x in in_article[b.article_id]
                    or _spelt_alike(x, y)
                    or not _same_slot(a.text, names_a[x], b.text, names_b[y])
                ):
                    continue
                _hold(variants, (a, x), (b, y))
            if variants:
                found.append(
                    _discrepancy(
                        discrepancy_kind,
                        fact_id(group),
                        variants,
                        _naming(group.sentences, found_in, kind),
                        citation_of,
                    )
                )
    return found


def _naming(
    members: list[Sentence], found_in: dict[int, dict[str, dict[str, tuple[int, int]]]], kind: str
) -> Callable[[str, list[Sentence]], Iterator[Sentence]]:
    """Which of a fact's sentences name a value, as :func:`_discrepancy` asks for its carriers."""

    def carriers(value: str, _holders: list[Sentence]) -> Iterator[Sentence]:
        return (s for s in members if value in found_in[id(s)].get(kind, {}))

    return carriers


def _distinct_pairs(
    sentences: list[Sentence], signatures: dict[int, frozenset[str]], root: Callable[[Sentence], str]
) -> Iterator[tuple[Sentence, Sentence]]:
    """Pairs of sentences with different, non-empty signatures, one sentence per signature and
    source: a wire fact carried by 500 copies in two wordings costs one comparison, not 125,000."""
    first_of: dict[frozenset[str], dict[str, Sentence]] = defaultdict(dict)
    for sentence in sentences:
        if signatures[id(sentence)]:
            first_of[signatures[id(sentence)]].setdefault(root(sentence), sentence)
    keys = list(first_of)
    for i, key_a in enumerate(keys):
        for key_b in keys[i + 1 :]:
            for a in first_of[key_a].values():
                for b in first_of[key_b].values():
                    yield a, b


_TOKEN = re.compile(r"\w+|[^\w\s]")


def _same_slot(text_a: str, span_a: tuple[int, int], text_b: str, span_b: tuple[int, int]) -> bool:
    """The two names stand between the same words: two of the two words either side agree,
    one of them a next-door word."""
    left_a = _TOKEN.findall(text_a[: span_a[0]].casefold())[-2:][::-1]
    left_b = _TOKEN.findall(text_b[: span_b[0]].casefold())[-2:][::-1]
    right_a = _TOKEN.findall(text_a[span_a[1] :].casefold())[:2]
    right_b = _TOKEN.findall(text_b[span_b[1] :].casefold())[:2]
    same = [
        x == y
        for side_a, side_b in ((left_a, left_b), (right_a, right_b))
        for x, y in zip(side_a, side_b, strict=False)
    ]
    next_door = (bool(left_a) and left_a[:1] == left_b[:1]) or (bool(right_a) and right_a[:1] == right_b[:1])
    return next_door and sum(same) >= 2


def _spelt_alike(x: str, y: str) -> bool:
    """Two ways of writing one name: a shared word, a word that abbreviates another, or close spelling."""
    words_x = {w.casefold() for w in re.findall(r"\w+", x)}
    words_y = {w.casefold() for w in re.findall(r"\w+", y)}
    if words_x & words_y:
        return True
    if any(len(s) >= 3 and (long.startswith(s) or s.startswith(long)) for s in words_x for long in words_y):
        return True
    return SequenceMatcher(None, x.casefold(), y.casefold()).ratio() >= 0.8
