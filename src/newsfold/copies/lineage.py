"""Which side of a copy link is the original.

Copies come in groups: a wire story, its verbatim republications, and rewrites of either.  The
lineage picks one *root* per group and orients every link of the group away from it, so the
group reads as a tree (original → copies → copies of copies) and counts as one source.

Which member is the root, the evidence strongest first:

0. **Verbatim family.** Wire text travels verbatim; a paraphrase is a one-off.  A member that
   shares whole sentences with another member (a duplicate or wire-copy link) outranks one linked
   to the group only by rewrites.

1. **Credits.** An article whose dateline credits its own outlet ("(MW)" on Meridian Wire) is
   the agency's own story; one that credits another ("LYON, France (CPS) —" on The Lakeside
   Tribune) republishes that agency's story, so it is not the original.
2. **Publication times**, when both are known to the minute.  A date without a time
   (midnight exactly) only orders articles published on different days.
3. **Containment.** A text half again as long as the other is the original: republishers trim
   wire stories, they seldom double them.
4. Otherwise, the article seen first.

Within one pair (rules 1–4) this is :func:`newcomer_is_original`; over a group it is
:func:`orient_group`, which re-decides the group each time a member arrives, so a copy seen
before its original is put right when the original comes.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from newsfold.model import Article, CopyKind, CopyLink, LineageNode

CONTAINING_RATIO = 1.5
_CREDIT = re.compile(r"\(([^)]{1,30})\)\s*$")


@dataclass(slots=True, frozen=True)
class Side:
    """What lineage needs to know of one article."""

    published: datetime | None
    word_count: int
    credit: int
    """+1 the dateline credits the article's own outlet, -1 another agency, 0 unknown."""


def _initials(name: str) -> str:
    return "".join(word[0] for word in re.findall(r"[A-Za-z]+", name) if word[0].isupper()).upper()


def credit(article: Article) -> int:
    """+1 when the dateline credits the article's own outlet, -1 another agency, 0 when unknown."""
    if not article.dateline or not article.outlet:
        return 0
    match = _CREDIT.search(article.dateline)
    if match is None:
        return 0
    named = match.group(1).strip()
    outlet = article.outlet
    own = named.casefold() in outlet.casefold() or named.replace(".", "").upper() == _initials(outlet)
    return 1 if own else -1


def _day_only(when: datetime) -> bool:
    return (when.hour, when.minute, when.second, when.microsecond) == (0, 0, 0, 0)


def newcomer_is_original(newcomer: Side, seen: Side) -> bool:
    """Whether the article arriving now is the original of the one already seen."""
    if newcomer.credit != seen.credit:
        return newcomer.credit > seen.credit
    if newcomer.published is not None and seen.published is not None:
        a, b = newcomer.published, seen.published
        if (a.date() != b.date() or not (_day_only(a) or _day_only(b))) and a != b:
            return a < b
    return newcomer.word_count >= CONTAINING_RATIO * seen.word_count


def _strength(link: CopyLink) -> tuple[int, float]:
    return (link.kind is not CopyKind.REWRITE, link.score)


def orient_group(
    members: list[str],
    sides: Mapping[str, Side],
    links: Mapping[frozenset[str], CopyLink],
) -> dict[frozenset[str], CopyLink]:
    """Every link of one copy group, pointed from copy to original.

    ``members`` are the group's article ids in arrival order; ``links`` the group's links by
    pair, in any direction.  The root wins a tournament (module docstring); then a breadth-first
    walk from the root, strongest links first, orders the group, and each link points from the
    later member to the earlier, so the links form no cycle and every copy reaches the root.
    """
    neighbours: dict[str, list[tuple[CopyLink, str]]] = {m: [] for m in members}
    for pair, link in links.items():
        a, b = sorted(pair)
        neighbours[a].append((link, b))
        neighbours[b].append((link, a))
    verbatim = {m for m in members if any(link.kind is not CopyKind.REWRITE for link, _ in neighbours[m])}
    root = members[0]
    for challenger in members[1:]:
        if (challenger in verbatim) != (root in verbatim):
            if challenger in verbatim:
                root = challenger
        elif newcomer_is_original(sides[challenger], sides[root]):
            root = challenger
    # equally strong links are walked in arrival order: ids follow where files lay, so a tie
    # broken by id would point a copy link one way here and the other way in a moved folder
    arrived = {m: n for n, m in enumerate(members)}
    order = {root: 0}
    queue = deque([root])
    while queue:
        current = queue.popleft()
        for _, other in sorted(
            neighbours[current], key=lambda item: (_strength(item[0]), -arrived[item[1]]), reverse=True
        ):
            if other not in order:
                order[other] = len(order)
                queue.append(other)
    oriented = {}
    for pair, link in links.items():
        copy = max(pair, key=lambda m: order.get(m, len(order)))
        oriented[pair] = link if link.article_id == copy else link.reversed()
    return oriented


def lineage_trees(member_ids: Iterable[str], links: Iterable[CopyLink]) -> list[LineageNode]:
    """The lineage forest of a story's members from their (oriented) copy links.

    Members that copy nothing are roots, in the order given.  Each copy hangs as close to a root
    as its links allow (a breadth-first walk from the roots, strongest links first), so a rewrite
    linked both to the wire original and to a partial wire copy shows under the original.  Links
    to articles outside ``member_ids`` are ignored.
    """
    members = list(dict.fromkeys(member_ids))
    inside = set(members)
    copies_of: dict[str, list[CopyLink]] = {m: [] for m in members}
    is_copy: set[str] = set()
    # equally strong links in member order: the same reports make the same tree, whatever ids
    rank = {m: n for n, m in enumerate(members)}
    outside = len(members)

    def walk_order(link: CopyLink) -> tuple[int, float, int, int]:
        verbatim, score = _strength(link)
        return (-verbatim, -score, rank.get(link.article_id, outside), rank.get(link.original_id, outside))

    for link in sorted(links, key=walk_order):
        if link.article_id in inside and link.original_id in inside:
            copies_of[link.original_id].append(link)
            is_copy.add(link.article_id)
    parent: dict[str, CopyLink] = {}
    placed: set[str] = set()
    roots: list[str] = []
    # roots first; a member every one of whose links is in a cycle becomes a root of its own
    for start in [m for m in members if m not in is_copy] + members:
        if start in placed:
            continue
        roots.append(start)
        placed.add(start)
        queue = deque([start])
        while queue:
            current = queue.popleft()
            for link in copies_of[current]:
                if link.article_id not in placed:
                    placed.add(link.article_id)
                    parent[link.article_id] = link
                    queue.append(link.article_id)
    children: dict[str, list[str]] = {m: [] for m in members}
    for member in members:
        if member in parent:
            children[parent[member].original_id].append(member)

    def build(member: str) -> LineageNode:
        return LineageNode(member, parent.get(member), tuple(build(c) for c in children[member]))

    return [build(root) for root in roots]
