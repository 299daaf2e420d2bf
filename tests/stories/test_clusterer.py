"""The online clusterer: same event together, near-miss events apart, copies follow their original."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from newsfold.model import Article, CopyKind, CopyLink, StoryMerge, StorySplit
from newsfold.stories import StoryClusterer
from tests.conftest import DEFENCE_REYES, DEFENCE_SOL, make_article

T0 = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)
STRIKE_A = [
    "Dockworkers in Port Elsa ended a three-week strike on Monday after union leader Jonas Wik accepted a pay rise.",
    "The harbour authority said 40 container ships were waiting at anchor outside the Norland port.",
]
STRIKE_A_OTHER_OUTLET = [
    "Port Elsa's docks were busy again on Tuesday as ships queued after union leader Jonas Wik called off the strike.",
    "Harbour authority figures showed 40 vessels at anchor off the Norland port, waiting to unload.",
]
STRIKE_B = [
    "Dockworkers in Valmora walked out on Friday after talks between the Coastal Workers Union and port operator Baltrade failed.",
    "Union spokeswoman Ines Mora said the strike would last until Baltrade improved its offer of three percent.",
]


def test_same_event_joins_and_near_miss_event_opens_a_new_story() -> None:
    clusterer = StoryClusterer()
    first = clusterer.assign(make_article(STRIKE_A, title="Port Elsa strike ends", published=T0))
    second = clusterer.assign(
        make_article(
            STRIKE_A_OTHER_OUTLET,
            title="Ships queue as Port Elsa strike ends",
            url="https://b.example/1",
            published=T0 + timedelta(hours=5),
        )
    )
    third = clusterer.assign(
        make_article(
            STRIKE_B,
            title="Valmora dockworkers strike",
            url="https://c.example/2",
            published=T0 + timedelta(days=200),
        )
    )
    assert first.opened
    assert not second.opened
    assert second.story_id == first.story_id
    assert second.nearest[0].article_id == first.article_id
    assert third.opened
    assert third.story_id != first.story_id


def test_copy_link_overrides_similarity() -> None:
    clusterer = StoryClusterer(threshold=0.99)
    original = make_article(STRIKE_A, published=T0)
    first = clusterer.assign(original)
    copy = make_article(STRIKE_B, url="https://copy.example", published=T0)
    assignment = clusterer.assign(copy, [CopyLink(copy.id, original.id, CopyKind.WIRE_COPY, 0.9)])
    assert assignment.story_id == first.story_id
    assert assignment.reason == f"wire_copy of {original.id}"


def test_a_quiet_story_stops_attracting_articles() -> None:
    clusterer = StoryClusterer(window_hours=48)
    first = clusterer.assign(make_article(STRIKE_A, published=T0))
    late = clusterer.assign(
        make_article(STRIKE_A_OTHER_OUTLET, url="https://late.example", published=T0 + timedelta(days=30))
    )
    assert late.opened
    assert late.story_id != first.story_id


def test_restore_replays_without_deciding_again() -> None:
    clusterer = StoryClusterer()
    clusterer.restore(make_article(STRIKE_A, published=T0), "s-kept")
    joined = clusterer.assign(make_article(STRIKE_A_OTHER_OUTLET, url="https://b.example", published=T0))
    assert joined.story_id == "s-kept"


RESCUE = [
    "Rescuers pulled 14 miners from the flooded Kovar shaft near Brenna on Sunday after a 30-hour operation led by engineer Mila Dossen.",
    "The miners were taken to Brenna district hospital, where doctors said all were in stable condition.",
]
CAUSE = [
    "Inspectors from the national mining authority said a burst drainage pipe flooded the Kovar shaft's lower gallery.",
    "The operator Halden Minerals had been fined twice for drainage faults, the authority's chief inspector Aron Vell said.",
]


def test_two_stories_an_article_bridges_merge_and_the_merged_id_resolves() -> None:
    """Two angles of one event open two stories; reports covering both show they are one."""
    clusterer = StoryClusterer(threshold=0.4)
    rescue = clusterer.assign(
        make_article(RESCUE, title="Miners rescued at Kovar", url="https://a.example/1")
    )
    cause = clusterer.assign(
        make_article(CAUSE, title="Burst pipe flooded Kovar shaft", url="https://b.example/1")
    )
    assert rescue.story_id != cause.story_id  # too different to join at first
    merges = []
    for number, paragraphs in enumerate([RESCUE + CAUSE, RESCUE + CAUSE[:1], RESCUE + CAUSE[:1]]):
        clusterer.assign(
            make_article(
                paragraphs, title="Kovar mine flood: rescue and cause", url=f"https://c.example/{number}"
            )
        )
        merges.extend(clusterer.take_merges())
    [merge] = merges
    assert {merge.kept, merge.merged} == {rescue.story_id, cause.story_id}
    assert merge.similarity >= 0.7
    assert clusterer.story_count == 1
    assert clusterer.resolve(merge.merged) == merge.kept
    assert clusterer.story_of(rescue.article_id) == clusterer.story_of(cause.article_id) == merge.kept
    assert clusterer.take_merges() == []


def test_look_alike_events_do_not_merge() -> None:
    clusterer = StoryClusterer()
    clusterer.assign(make_article(STRIKE_A, title="Port Elsa strike ends", published=T0))
    clusterer.assign(
        make_article(STRIKE_B, title="Valmora dockworkers strike", url="https://c.example/1", published=T0)
    )
    clusterer.assign(
        make_article(STRIKE_A + STRIKE_B, title="Two port strikes", url="https://d.example/1", published=T0)
    )
    assert clusterer.take_merges() == []


def test_a_second_look_moves_a_stray_report_into_its_event_and_leaves_other_events_alone() -> None:
    # a strict threshold makes the paraphrased report open a story of its own on arrival
    clusterer = StoryClusterer(threshold=0.9)
    first = clusterer.assign(make_article(STRIKE_A, title="Port Elsa strike ends", published=T0))
    again = clusterer.assign(
        make_article(STRIKE_A, title="Port Elsa strike ends", url="https://a2.example/1", published=T0)
    )
    stray = clusterer.assign(
        make_article(
            STRIKE_A_OTHER_OUTLET, title="Ships queue as Port Elsa strike ends", url="https://b.example/1"
        )
    )
    other = clusterer.assign(
        make_article(STRIKE_B, title="Valmora dockworkers strike", url="https://c.example/1")
    )
    assert again.story_id == first.story_id
    assert stray.opened
    assert other.opened
    [move] = clusterer.refine()
    assert (move.article_id, move.from_story, move.to_story) == (
        stray.article_id,
        stray.story_id,
        first.story_id,
    )
    assert clusterer.story_of(stray.article_id) == first.story_id
    assert clusterer.story_of(other.article_id) == other.story_id
    [merge] = clusterer.take_merges()  # the stray's story is empty now: its id resolves
    assert (merge.kept, merge.merged) == (first.story_id, stray.story_id)
    assert clusterer.resolve(stray.story_id) == first.story_id
    assert clusterer.refine() == []  # settled


def _defence(title: str, text: str, outlet: int) -> Article:
    """A report without a date, as an archive backfill gives: time cannot tell the fights apart."""
    article = make_article([text], title=title, url=f"https://outlet{outlet}.example/{title}")
    return replace(article, published=None)


def test_a_story_that_took_in_a_look_alike_event_is_split_in_two_on_a_second_look() -> None:
    # a lenient threshold lets the second event's first report join the first event's story,
    # and every report after that finds a story holding both
    clusterer = StoryClusterer(threshold=0.1)
    pairs = list(zip(DEFENCE_SOL, DEFENCE_REYES, strict=True))
    assigned = []
    for number, (sol, reyes) in enumerate(pairs):
        assigned.append(clusterer.assign(_defence(*sol, outlet=2 * number)))
        assigned.append(clusterer.assign(_defence(*reyes, outlet=2 * number + 1)))
    assert len({a.story_id for a in assigned}) == 1
    story = assigned[0].story_id

    moves = clusterer.refine()

    sol_ids = {a.article_id for a in assigned[0::2]}
    reyes_ids = {a.article_id for a in assigned[1::2]}
    assert {clusterer.story_of(i) for i in sol_ids} == {story}  # the first event keeps the id
    [new_story] = {clusterer.story_of(i) for i in reyes_ids}
    assert new_story != story
    assert {m.article_id for m in moves} == reyes_ids
    assert all(m.from_story == story and m.to_story == new_story for m in moves)
    assert moves[0].reason.startswith(f"split from {story}: two events")
    assert clusterer.refine() == []  # settled: neither half splits or merges again
    assert clusterer.take_merges() == []
    # later reports find their own event
    later = clusterer.assign(
        _defence("Reyes wants a rematch", "Tom Reyes asked for a rematch with Ivo Brand in Bern.", outlet=99)
    )
    assert later.story_id == new_story


def test_one_event_told_many_ways_is_not_split() -> None:
    clusterer = StoryClusterer(threshold=0.1)
    assigned = [clusterer.assign(_defence(t, x, outlet=n)) for n, (t, x) in enumerate(DEFENCE_SOL * 2)]
    assert len({a.story_id for a in assigned}) == 1
    assert clusterer.refine() == []


def test_a_story_with_wire_copies_still_splits_and_each_copy_goes_with_its_original() -> None:
    clusterer = StoryClusterer(threshold=0.1)
    assigned = []
    for number, (sol, reyes) in enumerate(zip(DEFENCE_SOL, DEFENCE_REYES, strict=True)):
        assigned.append(clusterer.assign(_defence(*sol, outlet=2 * number)))
        assigned.append(clusterer.assign(_defence(*reyes, outlet=2 * number + 1)))
    original = assigned[1].article_id  # the first Reyes report, reprinted word for word twice
    copies = [_defence(*DEFENCE_REYES[0], outlet=50 + n) for n in range(2)]
    for copy in copies:
        clusterer.assign(copy, [CopyLink(copy.id, original, CopyKind.WIRE_COPY, 1.0)])
    moves = clusterer.refine()
    assert moves  # the reprints do not hide the two events: the story splits
    reyes_story = clusterer.story_of(original)
    assert reyes_story != clusterer.story_of(assigned[0].article_id)
    assert {clusterer.story_of(copy.id) for copy in copies} == {reyes_story}


def test_a_story_whose_two_sides_are_hours_apart_is_a_story_moving_on_not_two_events() -> None:
    clusterer = StoryClusterer(threshold=0.1)
    for number, (sol, reyes) in enumerate(zip(DEFENCE_SOL, DEFENCE_REYES, strict=True)):
        for offset, report in enumerate((sol, reyes)):
            article = _defence(*report, outlet=2 * number + offset)
            # the Reyes reports a day after the Sol ones: dated sides this close are one story
            clusterer.assign(replace(article, published=T0 + timedelta(hours=24 * offset + number)))
    assert clusterer.refine() == []


PROFILE_OF_THE_UNION_LEADER = [
    "Jonas Wik grew up in a fishing family on the islands north of Port Elsa and first worked the cranes at nineteen.",
    "His grandmother sold smoked herring at the market square, and his brother still runs the ferry to the lighthouse.",
    "Friends describe a quiet man who reads history books, sings in the cathedral choir and keeps bees behind his cottage.",
    "He became union leader after the ferry disaster of the nineties, when he organised the volunteers who searched the bay.",
]


def test_a_second_look_adopts_a_lone_report_that_fits_weakly_but_names_what_the_story_names() -> None:
    # a profile of the strike's union leader shares few words with the strike reports (a centroid
    # cosine near 0.26, under the usual bar) but names the same man and port; alone in its own
    # story after the chunk, it joins the strike
    clusterer = StoryClusterer(threshold=0.9)
    first = clusterer.assign(make_article(STRIKE_A, title="Port Elsa strike ends", published=T0))
    clusterer.assign(make_article(STRIKE_A, title="Port Elsa strike ends", url="https://a2.example/1"))
    profile = clusterer.assign(
        make_article(
            PROFILE_OF_THE_UNION_LEADER, title="The quiet man of the docks", url="https://f.example/1"
        )
    )
    assert profile.opened
    [move] = clusterer.refine()
    assert (move.article_id, move.to_story) == (profile.article_id, first.story_id)
    assert 0.2 <= move.score < 0.3


def test_copy_links_replayed_at_start_up_keep_copies_together_through_a_split() -> None:
    reports = [
        _defence(*report, outlet=2 * number + offset)
        for number, pair in enumerate(zip(DEFENCE_SOL, DEFENCE_REYES, strict=True))
        for offset, report in enumerate(pair)
    ]
    sol, reyes = reports[0], reports[1]
    link = CopyLink(sol.id, reyes.id, CopyKind.WIRE_COPY, 0.9)  # a (wrong) stored link
    together = {}
    for replayed in (False, True):
        clusterer = StoryClusterer(threshold=0.1)
        for report in reports:  # as stored before a restart: one story holding both fights
            clusterer.restore(report, "s-both")
        if replayed:
            clusterer.restore_link(link)
            clusterer.restore_link(link)  # replayed twice: still one group
        later = clusterer.assign(
            _defence("Reyes wants a rematch", "Tom Reyes asked Ivo Brand for a rematch.", 99)
        )
        assert later.story_id == "s-both"
        clusterer.refine()
        together[replayed] = clusterer.story_of(sol.id) == clusterer.story_of(reyes.id)
    # unknown, the link is no reason to keep them: the story splits between the two fights;
    # replayed, the linked pair is one node, which no split parts
    assert together == {False: False, True: True}


def test_a_split_replayed_at_start_up_keeps_the_two_events_apart() -> None:
    # four reports of one fight and two of the other: the split leaves a small story, which after
    # a restart (its split unknown) would merge back into the larger one as a fragment of its event
    reports = [_defence(*r, outlet=n) for n, r in enumerate(DEFENCE_SOL + DEFENCE_REYES[:2])]
    first_run = StoryClusterer(threshold=0.1)
    for report in reports:
        first_run.assign(report)
    first_run.refine()
    [split] = first_run.take_splits()
    assert first_run.take_splits() == []  # each split is handed over once
    assert split.reason.startswith(f"split from {split.kept}: two events")
    stories_after_restart = {}
    for replayed in (False, True):
        clusterer = StoryClusterer(threshold=0.1)
        for report in reports:
            clusterer.restore(report, first_run.story_of(report.id) or "")
        if replayed:
            clusterer.restore_split(split)
        later = clusterer.assign(
            _defence("Reyes wants a rematch", "Tom Reyes asked Ivo Brand for a rematch in Bern.", 99)
        )
        assert later.story_id == split.split_off
        clusterer.refine()
        stories_after_restart[replayed] = clusterer.story_count
    assert stories_after_restart == {False: 1, True: 2}


def test_a_split_replayed_at_start_up_follows_the_merges_made_since() -> None:
    # the Reyes half was split off as sB and later merged into sC; after a restart the split
    # still keeps the Sol story and the story now holding the Reyes reports apart
    sol = [_defence(*r, outlet=n) for n, r in enumerate(DEFENCE_SOL)]
    reyes = [_defence(*r, outlet=10 + n) for n, r in enumerate(DEFENCE_REYES[:2])]
    merged = {}
    for replayed in (False, True):
        clusterer = StoryClusterer(threshold=0.1)
        for report in sol:
            clusterer.restore(report, "sA")
        for report in reyes:
            clusterer.restore(report, "sC")
        clusterer.restore_merge(StoryMerge("sC", "sB", 0.5, "a small story that fits it (0.50)"))
        if replayed:
            clusterer.restore_split(
                StorySplit("sA", "sB", 0.86, "split from sA: two events (normalised cut 0.86)")
            )
        clusterer.assign(
            _defence("Reyes wants a rematch", "Tom Reyes asked Ivo Brand for a rematch in Bern.", 99)
        )
        clusterer.refine()
        merged[replayed] = clusterer.resolve("sC") == clusterer.resolve("sA")
    assert merged == {False: True, True: False}


def test_a_merge_replayed_at_start_up_keeps_resolving() -> None:
    clusterer = StoryClusterer()
    clusterer.restore(make_article(STRIKE_A, title="Port Elsa strike ends"), "sLive")
    clusterer.restore_merge(StoryMerge("sLive", "sGone", 0.8, "bridged by an article; centroids 0.80"))
    assert clusterer.resolve("sGone") == "sLive"
    assert clusterer.resolve("sLive") == "sLive"


def test_a_small_story_of_its_event_merges_into_the_main_one_and_another_event_does_not() -> None:
    # two copies of a profile of the strike's union leader make a story of their own (each fits
    # the other better than the strike), and so do two reports of another port's strike; as a
    # group the profiles fit the strike weakly but name its man and port, the other strike does not
    clusterer = StoryClusterer(threshold=0.5)
    strike = clusterer.assign(make_article(STRIKE_A, title="Port Elsa strike ends"))
    clusterer.assign(make_article(STRIKE_A, title="Port Elsa strike ends", url="https://a2.example/1"))
    profile = clusterer.assign(
        make_article(PROFILE_OF_THE_UNION_LEADER, title="The quiet man", url="https://f.example/1")
    )
    clusterer.assign(
        make_article(PROFILE_OF_THE_UNION_LEADER, title="The quiet man", url="https://g.example/1")
    )
    other = clusterer.assign(make_article(STRIKE_B, title="Valmora strike", url="https://c.example/1"))
    clusterer.assign(make_article(STRIKE_B, title="Valmora strike", url="https://d.example/1"))
    assert profile.opened
    assert other.opened
    assert clusterer.refine() == []  # no article moves on its own
    [merge] = clusterer.take_merges()
    assert (merge.kept, merge.merged) == (strike.story_id, profile.story_id)
    assert 0.2 <= merge.similarity < 0.3
    assert clusterer.resolve(profile.story_id) == strike.story_id
    assert clusterer.story_of(other.article_id) == other.story_id
