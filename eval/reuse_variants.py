"""Synthetic text-reuse pairs built from real articles: what the copies benchmark scores.

Each *base* article (real text from ECB+) yields labelled pairs ``(base, variant)``:

==============  ===========  ==========================================================
variant         label        how it is made
==============  ===========  ==========================================================
``chrome``      duplicate    the same text in another site's page (nav, share bar,
                             related links, footer), both pages run through extraction
``headline``    duplicate    the same text under a new headline
``light_edit``  duplicate    a few words changed, quotes and spacing restyled, a
                             "said"/"says" swap: an updated version of the article
``dropped``     wire_copy    a republisher keeps 40-70 % of the paragraphs
``reordered``   wire_copy    most paragraphs kept, in another order
``appended``    wire_copy    the whole text plus paragraphs of the republisher's own
``paraphrase``  rewrite      every sentence reworded (synonyms, reporting clauses moved,
                             sentences merged), facts and order kept
``partial``     rewrite      the first 60-80 % of the sentences reworded, the rest cut
``same_event``  unrelated    another real article on the same ECB+ event (another outlet)
``same_topic``  unrelated    a real article on the look-alike event of the same topic
``same_title``  unrelated    another article of the topic under the base's exact title
==============  ===========  ==========================================================

Everything here is synthetic except the texts themselves, and the paraphraser is a small
rule-based one written for this benchmark (synonym table, clause moves, sentence merges): it is
kinder than a human rewriter in some ways and harsher in others, so the seeds' real rewrite (000)
stays the check that matters.  Real ECB+ articles of one event sometimes do share text; negative
pairs that share a verbatim run of 12 words or more are therefore left out rather than labelled.
"""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass
from typing import Any

LABELS = ("duplicate", "wire_copy", "rewrite", "unrelated")
VARIANTS = {
    "chrome": "duplicate",
    "headline": "duplicate",
    "light_edit": "duplicate",
    "dropped": "wire_copy",
    "reordered": "wire_copy",
    "appended": "wire_copy",
    "paraphrase": "rewrite",
    "partial": "rewrite",
    "same_event": "unrelated",
    "same_topic": "unrelated",
    "same_title": "unrelated",
}
MIN_PARAGRAPHS = 5
MIN_WORDS = 150
SHARED_RUN_WORDS = 12


@dataclass(slots=True, frozen=True)
class Doc:
    """One document of the benchmark stream: plain text, or an HTML page when ``html`` is set."""

    id: str
    title: str
    paragraphs: tuple[str, ...]
    html: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(slots=True, frozen=True)
class Pair:
    base: str
    variant: str
    kind: str
    label: str


# ---------------------------------------------------------------------------------- site chrome

_SITES = (
    ("The Morning Ledger", "morningledger.example"),
    ("Valley Herald", "valleyherald.example"),
    ("NewsNow Wire", "newsnow.example"),
    ("Coastline Post", "coastlinepost.example"),
)
_NAV = ("Home", "World", "Politics", "Business", "Sport", "Culture", "Opinion", "Weather")
_RELATED = (
    "Five things to know before the weekend",
    "Markets close higher after a quiet session",
    "Local team signs new coach for next season",
    "How to keep your garden green in a dry summer",
)


def page(doc: Doc, site: int, rng: random.Random) -> str:
    """``doc`` as a page of one of four sites: navigation, share bar, related links, footer."""
    name, domain = _SITES[site % len(_SITES)]
    nav = "".join(f'<li><a href="https://{domain}/{n.lower()}">{n}</a></li>' for n in _NAV)
    related = "".join(f'<li><a href="https://{domain}/r/{i}">{t}</a></li>' for i, t in enumerate(_RELATED))
    body = "".join(f"<p>{_escape(p)}</p>" for p in doc.paragraphs)
    share = rng.choice(["Share this article", "Share on Facebook · Share on X · Email", "Share"])
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{_escape(doc.title)} | {name}</title>"
        f"</head><body><header><a href='https://{domain}/'>{name}</a><nav><ul>{nav}</ul></nav></header>"
        f"<main><article><h1>{_escape(doc.title)}</h1><div class='share'>{share}</div>{body}"
        f"<p class='follow'>Follow {name} on Facebook and X for the latest news.</p></article>"
        f"<aside><h2>Related stories</h2><ul>{related}</ul></aside></main>"
        f"<footer><p>© 2024 {name}. All rights reserved.</p><a href='https://{domain}/privacy'>Privacy</a>"
        f"</footer></body></html>"
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------------------- paraphrase

# Words a rewriter swaps for another of the same sense; both directions are used.
_SYNONYM_PAIRS = """
said:stated told:informed announced:declared began:started begin:start ended:finished
killed:left dead died:perished injured:wounded arrested:detained police:authorities
officials:authorities official:spokesperson people:individuals residents:locals
building:structure car:vehicle home:residence house:residence city:town area:region
earthquake:quake fire:blaze attack:assault shooting:gunfire victim:casualty victims:casualties
reported:said report:account statement:announcement spokesman:representative spokeswoman:representative
company:firm deal:agreement bought:acquired buy:acquire purchase:acquisition agreed:consented
during:throughout after:following before:prior to about:roughly nearly:almost more than:over
help:assist helped:assisted show:demonstrate showed:demonstrated big:large huge:massive
also:additionally however:but because:since quickly:rapidly later:subsequently currently:now
hospital:medical center charged:accused charges:counts court:tribunal judge:magistrate
released:freed sentenced:handed a sentence of decided:chose decision:ruling wanted:sought
received:got expected:anticipated investigation:inquiry investigators:detectives
team:squad game:match won:secured win:victory season:campaign player:athlete
film:movie actor:performer actress:performer star:celebrity singer:vocalist
""".split()  # noqa: SIM905 - a table is easier to read and extend
_SYNONYMS: dict[str, str] = {}
for _item in _SYNONYM_PAIRS:
    if ":" in _item:
        _a, _b = _item.split(":", 1)
        _SYNONYMS.setdefault(_a, _b)
        _SYNONYMS.setdefault(_b, _a)

_REPORTED_END = re.compile(
    r"^(?P<claim>.+?),?\s*(?:''|\"|”)?\s*,?\s*(?P<who>[A-Z][\w .'-]{1,60}?) (?P<verb>said|says|told [\w ]+?)\s*\.$"
)
_REPORTED_START = re.compile(
    r"^(?P<who>[A-Z][\w .'-]{1,60}?) (?P<verb>said|says) (?:that )?(?P<claim>[a-z].+)$"
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“`])")
_WORD = re.compile(r"[A-Za-z]+")


def sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE.split(paragraph) if s.strip()]


def reword(sentence: str, rng: random.Random, rate: float = 0.7) -> str:
    """One sentence said another way: synonyms for ``rate`` of the swappable words, clauses moved."""

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        other = _SYNONYMS.get(word.lower())
        if other is None or rng.random() > rate:
            return word
        return other.capitalize() if word[0].isupper() else other

    text = _WORD.sub(swap, sentence)
    start = _REPORTED_START.match(text)
    end = _REPORTED_END.match(text)
    if start and rng.random() < 0.8:
        claim = start.group("claim").rstrip(".")
        text = f"{claim[0].upper()}{claim[1:]}, {start.group('who')} {start.group('verb')}."
    elif end and rng.random() < 0.8:
        claim = end.group("claim").strip(" ,`'\"“”")
        if claim:
            text = f"{end.group('who')} {end.group('verb')} that {claim[0].lower()}{claim[1:]}."
    text = re.sub(r"\b(?:very|really|just|reportedly) ", "", text)
    text = re.sub(r"\bdid not\b", "didn't", text) if rng.random() < 0.5 else text
    if text == sentence:  # nothing to swap or move: a rewriter still recasts the sentence
        text = _recast(text, rng)
    return text


_LEADING_PHRASE = re.compile(
    r"^(?P<lead>(?:On|In|At|By|After|Before|During|Since|Last|Earlier) [^,]{2,40}), (?P<rest>.+?)\.?$"
)


def _recast(sentence: str, rng: random.Random) -> str:
    """Move a leading time or place phrase to the end, or open with a connective."""
    lead = _LEADING_PHRASE.match(sentence)
    if lead:
        rest = lead.group("rest")
        return f"{rest[0].upper()}{rest[1:]} {lead.group('lead')[0].lower()}{lead.group('lead')[1:]}."
    opener = rng.choice(["Meanwhile, ", "In addition, ", "Separately, ", "At the same time, "])
    if sentence[:1].isupper() and not sentence.split(" ", 1)[0].isupper():
        return opener + sentence[0].lower() + sentence[1:]
    return opener + sentence


def paraphrase(paragraphs: list[str], rng: random.Random) -> list[str]:
    """Every sentence reworded, in order; now and then two short sentences become one."""
    out: list[str] = []
    for paragraph in paragraphs:
        said = [reword(s, rng) for s in sentences(paragraph)]
        merged: list[str] = []
        for sentence in said:
            if (
                merged
                and len(merged[-1].split()) + len(sentence.split()) < 30
                and merged[-1].endswith(".")
                and rng.random() < 0.3
            ):
                merged[-1] = f"{merged[-1][:-1]}, and {sentence[0].lower()}{sentence[1:]}"
            else:
                merged.append(sentence)
        out.append(" ".join(merged))
    return out


# ---------------------------------------------------------------------------------- other edits


def light_edit(paragraphs: list[str], rng: random.Random) -> list[str]:
    """An updated version: a word or two changed in a couple of paragraphs, quotes restyled."""
    out = [p.replace("``", "“").replace("''", "”") for p in paragraphs]
    for index in rng.sample(range(len(out)), k=min(2, len(out))):
        words = out[index].split()
        at = rng.randrange(len(words))
        words[at] = _SYNONYMS.get(words[at].lower(), words[at])
        if rng.random() < 0.5 and len(words) > 4:
            del words[rng.randrange(1, len(words) - 1)]  # not the last: it carries the full stop
        out[index] = " ".join(words)
    return [re.sub(r"\bsaid\b", "says", p, count=1) if rng.random() < 0.3 else p for p in out]


def dropped(paragraphs: list[str], rng: random.Random) -> list[str]:
    keep = max(2, round(len(paragraphs) * rng.uniform(0.4, 0.7)))
    chosen = sorted(rng.sample(range(len(paragraphs)), k=min(keep, len(paragraphs))))
    return [paragraphs[i] for i in chosen]


def reordered(paragraphs: list[str], rng: random.Random) -> list[str]:
    """Most paragraphs kept (one dropped from a long text), in an order clearly not the original."""
    order = list(range(len(paragraphs)))
    if len(order) > 4:
        del order[rng.randrange(1, len(order))]
    kept = list(order)
    while sum(a < b for a, b in itertools.pairwise(order)) > len(order) // 2:
        rng.shuffle(order)
    if order == kept:
        order.reverse()
    return [paragraphs[i] for i in order]


# ---------------------------------------------------------------------------------- the benchmark


def eligible(row: dict[str, Any]) -> bool:
    paragraphs = [p for p in row["text"].split("\n\n") if p.strip()]
    return len(paragraphs) >= MIN_PARAGRAPHS and len(row["text"].split()) >= MIN_WORDS


def _shares_run(a: str, b: str, words: int = SHARED_RUN_WORDS) -> bool:
    tokens_a = re.findall(r"\w+", a.lower())
    tokens_b = re.findall(r"\w+", b.lower())
    runs = {tuple(tokens_a[i : i + words]) for i in range(len(tokens_a) - words + 1)}
    return any(tuple(tokens_b[i : i + words]) in runs for i in range(len(tokens_b) - words + 1))


def build(
    rows: list[dict[str, Any]], *, bases: int | None = None, seed: int = 7
) -> tuple[list[Doc], list[Pair]]:
    """The stream of documents (every real row, then the variants) and the labelled pairs.

    Real rows come first in their file order, so a variant always arrives after its base, as a
    republication does.  ``bases`` limits how many eligible rows get variants (a quick slice).
    """
    rng = random.Random(seed)
    docs = [
        Doc(f"real:{r['id']}", r["title"] or "", tuple(p for p in r["text"].split("\n\n") if p.strip()))
        for r in rows
    ]
    by_story: dict[str, list[int]] = {}
    by_topic: dict[int, list[int]] = {}
    for i, row in enumerate(rows):
        by_story.setdefault(row["story"], []).append(i)
        by_topic.setdefault(row["topic"], []).append(i)
    chosen = [i for i, row in enumerate(rows) if eligible(row)]
    if bases is not None:
        chosen = chosen[:bases]
    variants: list[Doc] = []
    pairs: list[Pair] = []
    for n, i in enumerate(chosen):
        base, row = docs[i], rows[i]
        paras = list(base.paragraphs)
        site = n % len(_SITES)
        made: dict[str, tuple[str, list[str]]] = {
            "headline": (f"{base.title.rstrip('.')} - latest", paras),
            "light_edit": (base.title, light_edit(paras, rng)),
            "dropped": (base.title, dropped(paras, rng)),
            "reordered": (base.title, reordered(paras, rng)),
            "paraphrase": (_reword_title(base.title, rng), paraphrase(paras, rng)),
        }
        others = [docs[j] for j in by_topic[row["topic"]] if rows[j]["story"] != row["story"]]
        base_words = len(base.text.split())
        own = set(paras)
        pools = [
            [p for p in d.paragraphs if p not in own] for d in others if not _shares_run(base.text, d.text)
        ]
        rng.shuffle(pools)
        local = [p for pool in pools for p in pool] or ["The council will meet again next week to vote."]
        added: list[str] = []
        while local and sum(len(p.split()) for p in added) < 0.4 * base_words:
            added.append(local.pop(0))
        made["appended"] = (base.title, paras + added)
        cut = max(3, round(len(paras) * rng.uniform(0.6, 0.8)))
        made["partial"] = (_reword_title(base.title, rng), paraphrase(paras[:cut], rng))
        for kind, (title, text) in made.items():
            variants.append(Doc(f"{kind}:{row['id']}", title, tuple(text)))
            pairs.append(Pair(base.id, f"{kind}:{row['id']}", kind, VARIANTS[kind]))
        # the chrome pair: base and copy both as pages of different sites
        base_page = Doc(f"page:{row['id']}", base.title, base.paragraphs, page(base, site, rng))
        copy_page = Doc(f"chrome:{row['id']}", base.title, base.paragraphs, page(base, site + 1, rng))
        variants += [base_page, copy_page]
        pairs.append(Pair(base_page.id, copy_page.id, "chrome", "duplicate"))
        # negatives: real articles of the same event, of the look-alike event, and a title clash
        same_event = [docs[j] for j in by_story[row["story"]] if j != i]
        for kind, pool in (("same_event", same_event), ("same_topic", others)):
            candidates = [d for d in pool if not _shares_run(base.text, d.text)]
            if candidates:
                pairs.append(Pair(base.id, rng.choice(candidates).id, kind, "unrelated"))
        clash = [d for d in others if not _shares_run(base.text, d.text)]
        if clash:
            other = rng.choice(clash)
            variants.append(Doc(f"same_title:{row['id']}", base.title, other.paragraphs))
            pairs.append(Pair(base.id, f"same_title:{row['id']}", "same_title", "unrelated"))
    return docs + variants, pairs


def _reword_title(title: str, rng: random.Random) -> str:
    return reword(title, rng, rate=1.0).rstrip(".")
