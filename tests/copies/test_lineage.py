"""Which side of a copy link is the original: credits, then times, then containment."""

from __future__ import annotations

from datetime import UTC, datetime

from newsfold.copies.lineage import Side, credit, lineage_trees, newcomer_is_original, orient_group
from newsfold.model import CopyKind, CopyLink, LineageNode
from tests.conftest import make_article

MORNING = datetime(2025, 8, 21, 9, 30, tzinfo=UTC)
AFTERNOON = datetime(2025, 8, 21, 14, 0, tzinfo=UTC)
SAME_DAY_NO_TIME = datetime(2025, 8, 21, tzinfo=UTC)


def test_credit_reads_the_dateline_against_the_outlet() -> None:
    wire = make_article(["x"], outlet="Meridian Wire")
    wire.dateline = "TORONTO (MW)"
    copy = make_article(["x"], outlet="Brightwater Times", url="https://b.example")
    copy.dateline = "TORONTO (MW)"
    unknown = make_article(["x"], url="https://c.example")
    unknown.dateline = "TORONTO (MW)"
    assert (credit(wire), credit(copy), credit(unknown)) == (1, -1, 0)


def test_credits_outweigh_times() -> None:
    assert newcomer_is_original(Side(AFTERNOON, 200, 1), Side(MORNING, 200, -1))
    assert not newcomer_is_original(Side(MORNING, 200, -1), Side(AFTERNOON, 200, 0))


def test_earlier_time_wins_but_a_bare_date_does_not_order_a_day() -> None:
    assert newcomer_is_original(Side(MORNING, 200, 0), Side(AFTERNOON, 200, 0))
    assert not newcomer_is_original(Side(SAME_DAY_NO_TIME, 200, 0), Side(AFTERNOON, 200, 0))


def test_without_times_the_containing_text_is_the_original() -> None:
    assert newcomer_is_original(Side(None, 400, 0), Side(AFTERNOON, 150, 0))
    assert not newcomer_is_original(Side(None, 210, 0), Side(None, 200, 0))


def _link(copy: str, original: str, kind: CopyKind = CopyKind.WIRE_COPY, score: float = 0.9) -> CopyLink:
    return CopyLink(copy, original, kind, score)


def test_a_group_points_every_link_at_one_root_even_when_the_original_arrives_last() -> None:
    # arrival order: a partial copy, a rewrite of it, then the agency's own story
    sides = {
        "partial": Side(AFTERNOON, 150, -1),
        "rewrite": Side(AFTERNOON, 300, 0),
        "agency": Side(MORNING, 400, 1),
    }
    links = {
        frozenset(("partial", "rewrite")): _link("rewrite", "partial", CopyKind.REWRITE, 0.6),
        frozenset(("agency", "partial")): _link("agency", "partial"),
        frozenset(("agency", "rewrite")): _link("rewrite", "agency", CopyKind.REWRITE, 0.8),
    }
    oriented = orient_group(["partial", "rewrite", "agency"], sides, links)
    assert {(link.article_id, link.original_id) for link in oriented.values()} == {
        ("partial", "agency"),
        ("rewrite", "agency"),
        ("rewrite", "partial"),
    }
    turned = oriented[frozenset(("agency", "partial"))]
    assert turned.kind is CopyKind.WIRE_COPY
    assert turned.reversed().reversed() == turned


def test_a_verbatim_family_outranks_an_earlier_rewrite() -> None:
    sides = {
        "rewrite": Side(MORNING, 300, 0),
        "wire": Side(AFTERNOON, 300, 0),
        "copy": Side(AFTERNOON, 200, 0),
    }
    links = {
        frozenset(("rewrite", "wire")): _link("wire", "rewrite", CopyKind.REWRITE),
        frozenset(("copy", "wire")): _link("copy", "wire"),
    }
    oriented = orient_group(["rewrite", "wire", "copy"], sides, links)
    assert oriented[frozenset(("rewrite", "wire"))].original_id == "wire"


def test_lineage_trees_hang_each_copy_under_the_root_and_keep_independents_apart() -> None:
    links = [
        _link("partial", "agency"),
        _link("rewrite", "agency", CopyKind.REWRITE, 0.8),
        _link("rewrite", "partial", CopyKind.REWRITE, 0.6),
        _link("copy-of-copy", "partial", CopyKind.DUPLICATE, 1.0),
        _link("elsewhere", "outside-the-story"),
    ]
    trees = lineage_trees(["agency", "independent", "partial", "rewrite", "copy-of-copy", "elsewhere"], links)

    def shape(node: LineageNode) -> tuple[str, str | None, tuple[object, ...]]:
        kind = node.link.kind.value if node.link else None
        return (node.article_id, kind, tuple(shape(c) for c in node.children))

    assert [shape(t) for t in trees] == [
        (
            "agency",
            None,
            (("partial", "wire_copy", (("copy-of-copy", "duplicate", ()),)), ("rewrite", "rewrite", ())),
        ),
        ("independent", None, ()),
        ("elsewhere", None, ()),
    ]


def test_two_copies_equally_close_to_the_root_link_the_same_way_whatever_their_ids() -> None:
    """Ids follow where files lay: the later-seen copy is the copy of the other, not the larger id."""
    for first, second in (("aaa", "zzz"), ("zzz", "aaa")):
        sides = {"wire": Side(None, 300, 1), first: Side(None, 300, 0), second: Side(None, 300, 0)}
        links = {
            frozenset(("wire", first)): _link(first, "wire"),
            frozenset(("wire", second)): _link(second, "wire"),
            frozenset((first, second)): _link(first, second),
        }
        oriented = orient_group(["wire", first, second], sides, links)
        assert oriented[frozenset((first, second))].article_id == second
