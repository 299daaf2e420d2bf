"""Online story clustering: each article joins the best-matching live story or opens a new one.

The score of a story for an incoming article combines these signals:

* **text**: cosine of TF-IDF vectors, both to the closest member (catches an article that
  continues one thread of the story) and to the story's centroid (what the story is about overall);
* **entities**: the share of the article's named-entity mass (IDF-weighted) that the story
  mentions too, which separates two events on one topic (two rehab stories, two strikes);
* **figures** (off by default, see :data:`FIGURE_WEIGHT`): the share of the article's numbers,
  amounts and dates that the story mentions too;
* **time**: a story whose members are further away in time than the window cannot be joined,
  and nearer ones are discounted linearly with distance.

A copy link from the copies stage overrides all of this: a copy is always in its original's story.
Candidate stories come from an inverted index over the members' heaviest terms
(:mod:`newsfold.stories.index`), so assigning an article costs a few posting-list walks, never a
scan of all stories.

Later corrections keep single-pass mistakes from lasting: an article that fits two stories
whose centroids agree merges them (:meth:`StoryClusterer.take_merges`), and a second look at the
latest articles (:meth:`StoryClusterer.refine`, after each ingest chunk) moves an article to the
story that fits it better now that more of its event has arrived, splits a story whose
members turn out to be two look-alike events (:mod:`newsfold.stories.split`), and merges a
small story into the story of its event when their centroids and names agree.  Story ids never
change; a merged or emptied story's id resolves to the story that absorbed it, and the larger
half of a split story keeps its id.
"""

from __future__ import annotations

import hashlib
import math
from array import array
from collections import Counter, OrderedDict, defaultdict, deque
from dataclasses import dataclass, field
from datetime import datetime

from newsfold.model import (
    Article,
    CopyLink,
    Neighbour,
    StoryAssignment,
    StoryMerge,
    StoryMove,
    StorySplit,
)
from newsfold.stories.features import (
    ArticleFeatures,
    EntityFinder,
    article_features,
    background_idf,
    cosine,
    entities,
    tfidf,
)
from newsfold.stories.index import TermIndex, closest_stories
from newsfold.stories.split import SPLIT_NCUT, MemberProfile, two_events

TOP_TERMS = 100
MAX_CANDIDATE_STORIES = 30
"""Stories scored in full for an article: those of its best-matching members in the term index."""
TEXT_MEMBER_WEIGHT = 0.30
TEXT_CENTROID_WEIGHT = 0.50
ENTITY_WEIGHT = 0.20
FIGURE_WEIGHT = 0.0
"""Weight of the figures signal (numbers, amounts and dates mentioned), off by default.

Measured with ``python -m eval.stories_ecbplus --ablate`` and ``eval.stories_uci --ablate``:
at 0.1 it costs 0.011 F1 on ECB+ and 0.031 on UCI headlines (look-alike events share figures
as often as they differ in them), so it stays off until a form of it helps."""
BACKGROUND_PSEUDO_DOCUMENTS = 100
MERGE_SIMILARITY = 0.7
"""Centroid cosine above which two stories an article fits equally well are one story.

The lowest value that cost no precision on the ECB+ tune split (0.5 and 0.6 merged look-alike
events of one topic)."""
REFINE_RECENT = 200
"""How many of the latest articles :meth:`StoryClusterer.refine` looks at again."""
REFINE_SIMILARITY = 0.3
"""Centroid cosine an article needs with another story, and more than with its own, to move."""
REFINE_LONE_SIMILARITY = 0.2
"""The same for an article still alone in the story it opened: a chunk later, nothing else joined
it, which says it is more likely a far-off report of a known event than the first of a new one
(0.18–0.20 were best on the ECB+ tune split in tries while tuning; recall there rose from 0.90 to 0.93)."""
LONE_ENTITY_SHARE = 0.1
"""Below :data:`REFINE_SIMILARITY`, the share of a lone article's named-entity mass the story must
name too: a weak fit that names none of what the story names is another event (the best value on
the ECB+ tune split that keeps this check; without it, a strike in one port joins another's)."""
SMALL_STORY_MEMBERS = 3
"""A story this small after a second look may be a fragment of a larger story of its event."""
SMALL_STORY_SIMILARITY = 0.2
SMALL_STORY_ENTITY_SHARE = 0.3
"""A small story merges into the larger story whose centroid fits its own best, at a cosine of at
least :data:`SMALL_STORY_SIMILARITY`, when that story names this share of what it names (both inside
the best plateau on the ECB+ tune split in tries while tuning; recall there rose from 0.93 to 0.97)."""
HEADLINE_ONLY_FACTOR = 0.5
"""The threshold for an article that is only a headline, as a share of the usual one."""
MEMBER_CACHE = 20_000
"""Latest articles whose term vectors the clusterer keeps, to rebuild stories it splits."""


@dataclass(slots=True)
class _StoryState:
    members: list[str] = field(default_factory=list)
    centroid: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    # kept with the centroid: candidates are scored far more often than stories grow
    centroid_norm: float = 1.0
    entity_counts: Counter[str] = field(default_factory=Counter)
    figure_counts: Counter[str] = field(default_factory=Counter)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    opened: int = 0  # how many articles the clusterer had seen when the story opened

    def widen(self, when: datetime | None) -> None:
        """Stretch the story's span of publication times to take in ``when`` (if known)."""
        if when is not None:
            self.first_seen = min(filter(None, (self.first_seen, when)))
            self.last_seen = max(filter(None, (self.last_seen, when)))

    def take_in(self, article_id: str, member: MemberProfile) -> None:
        """Add a member's terms, mentions and time (the caller renews :attr:`centroid_norm`)."""
        self.members.append(article_id)
        for term, weight in zip(member.terms, member.weights, strict=True):
            self.centroid[term] += weight
        self.entity_counts.update(member.entities)
        self.figure_counts.update(member.figures)
        self.widen(member.published)

    def renew_norm(self) -> None:
        """Recompute the centroid's norm, kept beside it because candidates are scored often."""
        self.centroid_norm = math.sqrt(sum(w * w for w in self.centroid.values())) or 1.0


def story_id_for(article_id: str) -> str:
    """A story is named after the article that opened it: stable across re-runs of the same input."""
    return f"s{article_id[:12]}"


class StoryClusterer:
    """Assigns articles to stories as they stream in; state can be rebuilt with :meth:`restore`."""

    def __init__(
        self,
        *,
        threshold: float = 0.26,
        window_hours: float = 24 * 7,
        weights: tuple[float, float, float, float] = (
            TEXT_MEMBER_WEIGHT,
            TEXT_CENTROID_WEIGHT,
            ENTITY_WEIGHT,
            FIGURE_WEIGHT,
        ),
        follow_copy_links: bool = True,
        find_entities: EntityFinder = entities,
        split_ncut: float | None = SPLIT_NCUT,
    ) -> None:
        """``weights`` are those of the nearest member's text, the centroid's text, the entities and
        the figures (an evaluation turns one off or on to measure what it adds); ``follow_copy_links`` puts a copy in
        its original's story whatever the scores say; ``find_entities`` names the entities of a
        text (capitalised runs by default; the evaluations measure spaCy's tagger in its place);
        ``split_ncut`` is the normalised cut below which :meth:`refine` splits a story in two
        (``None``: never)."""
        self.threshold = threshold
        self.window_hours = window_hours
        total = sum(weights)
        if total <= 0 or min(weights) < 0:
            raise ValueError("weights must be non-negative and not all zero")
        self.weights = tuple(w / total for w in weights)
        self.follow_copy_links = follow_copy_links
        self.split_ncut = split_ncut
        self._find_entities = find_entities
        self._documents = 0
        self._term_df: Counter[str] = Counter()
        self._entity_df: Counter[str] = Counter()
        self._figure_df: Counter[str] = Counter()
        self._index = TermIndex()  # term → members carrying it: where candidate stories come from
        self._story_of: dict[str, str] = {}
        self._stories: dict[str, _StoryState] = {}
        self._merges: list[StoryMerge] = []
        self._splits: list[StorySplit] = []
        self._merged_into: dict[str, str] = {}
        # what refine() needs of the latest articles assigned by similarity
        self._recent: deque[tuple[str, dict[str, float], ArticleFeatures]] = deque(maxlen=REFINE_RECENT)
        self._tied: set[str] = set()  # articles in a copy link: they stay with their copy group
        self._copy_parent: dict[str, str] = {}  # union-find over copy links: a copy group is one node
        # the latest MEMBER_CACHE articles, as a split needs them to judge and rebuild a story
        self._member_cache: OrderedDict[str, MemberProfile] = OrderedDict()
        # story → the stories a split parted from it, never to be merged with it again
        self._kept_apart: defaultdict[str, set[str]] = defaultdict(set)

    @property
    def story_count(self) -> int:
        return len(self._stories)

    def story_of(self, article_id: str) -> str | None:
        return self._story_of.get(article_id)

    def assign(self, article: Article, links: list[CopyLink] | tuple[CopyLink, ...] = ()) -> StoryAssignment:
        """Put ``article`` into a story and say why."""
        features = article_features(article, self._find_entities)
        self._count(features)
        vector = self._vector(features)
        for link in links if self.follow_copy_links else ():
            other = link.original_id if link.article_id == article.id else link.article_id
            story = self._story_of.get(other)
            if story is not None:
                self._tie(article.id, other)
                self._add(article, story, features, vector)
                return StoryAssignment(
                    article.id,
                    story,
                    1.0,
                    False,
                    f"{link.kind.value} of {other}",
                    (Neighbour(other, 1.0),),
                )
        scored = self._scored_stories(article, features, vector)
        best_story, best_score, nearest = scored[0] if scored else (None, 0.0, ())
        # a headline alone has few terms, so even two headlines of one event score lower
        threshold = self.threshold * (HEADLINE_ONLY_FACTOR if not article.paragraphs else 1.0)
        self._recent.append((article.id, vector, features))
        if best_story is not None and best_score >= threshold:
            self._add(article, best_story, features, vector)
            kept = self._merge_bridged(
                best_story, [story for story, score, _ in scored[1:] if score >= threshold]
            )
            return StoryAssignment(article.id, kept, round(best_score, 4), False, "similar", nearest)
        story = story_id_for(article.id)
        self._add(article, story, features, vector)
        reason = (
            f"no story above {threshold:.3f} (best {best_score:.3f})" if best_story else "no similar story"
        )
        return StoryAssignment(article.id, story, round(best_score, 4), True, reason, nearest)

    def refine(self) -> list[StoryMove]:
        """Look again at the latest articles: move each to the story whose centroid fits it best.

        A single pass assigns each article with what it knew on arrival; the first report of
        an event may have joined a look-alike story before its own story existed, or opened a
        story of its own just before the rest of its event arrived.  With the later articles in,
        an article whose centroid cosine with another story (at least :data:`REFINE_SIMILARITY`)
        beats the one with its own story (without itself) moves there; an article still alone in
        its story needs only :data:`REFINE_LONE_SIMILARITY`.  Articles in copy links
        stay with their copy group.  A story left empty is merged into the one that took its last
        article (see :meth:`take_merges`), so its id keeps resolving.

        Then each story of those articles is looked at as a whole: one whose members form two
        events (see :mod:`newsfold.stories.split`) keeps its id for the larger event, and the other
        moves to a new story (the moves say so; the two are never merged again).  Last, a story of
        at most :data:`SMALL_STORY_MEMBERS` articles merges into the story of its event when one
        fits it (see :meth:`take_merges`).
        """
        moves: list[StoryMove] = []
        for article_id, vector, features in list(self._recent):
            story = self._story_of.get(article_id)
            if story is None or article_id in self._tied or story not in self._stories:
                continue
            own = self._stories[story]
            best, best_score = story, self._leave_one_out(vector, own)
            for other in self._candidate_stories(vector):
                if other == story:
                    continue
                state = self._stories[other]
                score = cosine(vector, state.centroid) / state.centroid_norm
                if score > best_score:
                    best, best_score = other, score
            bar = REFINE_LONE_SIMILARITY if len(own.members) == 1 else REFINE_SIMILARITY
            if best == story or best_score < bar:
                continue
            # a lone article's weak fit (below the usual bar) must name part of what the story names
            if best_score < REFINE_SIMILARITY and self._names_too_little(features.entity_counts, best):
                continue
            self._move(article_id, vector, features, story, best)
            moves.append(
                StoryMove(
                    article_id, story, best, round(best_score, 4), f"fits {best} better ({best_score:.3f})"
                )
            )
            if story not in self._stories:  # it was the story's last article
                self._retire(story, best)
                self._merges.append(StoryMerge(best, story, round(best_score, 4), "its last article moved"))
        for story in self._recent_stories():
            moves.extend(self._split(story))
        for story in self._recent_stories():
            self._merge_fragment(story)
        return moves

    def _names_too_little(
        self, mentioned: Counter[str], story: str, share: float = LONE_ENTITY_SHARE
    ) -> bool:
        """Whether ``story`` names less than ``share`` of the IDF-weighted entities ``mentioned``."""
        return self._shared_mass(mentioned, self._entity_df, self._stories[story].entity_counts, 0.0) < share

    def _recent_stories(self) -> list[str]:
        """The live stories of the latest articles, each once, in the order the articles came."""
        stories: dict[str, None] = {}
        for article_id, _, _ in self._recent:
            story = self._story_of.get(article_id)
            if story is not None and story in self._stories:
                stories.setdefault(story)
        return list(stories)

    def _merge_fragment(self, story: str) -> None:
        """Merge a small story with the story of its event, if one at least as large fits and names it.

        Short or off-angle reports of an event (a two-line brief, a profile) can open a story
        and draw one or two others like them, each too far from the event's main story to join
        it alone; as a group their centroid shows where they belong.
        """
        if story not in self._stories:  # merged into another earlier in this pass
            return
        state = self._stories[story]
        if len(state.members) > SMALL_STORY_MEMBERS or any(m in self._tied for m in state.members):
            return
        centroid = {term: weight / state.centroid_norm for term, weight in state.centroid.items()}
        best, best_score = None, SMALL_STORY_SIMILARITY
        for other in self._candidate_stories(centroid):
            candidate = self._stories[other]
            if other == story or len(candidate.members) < len(state.members):
                continue
            if other in self._kept_apart.get(story, ()):
                continue
            score = cosine(centroid, candidate.centroid) / candidate.centroid_norm
            if score >= best_score:
                best, best_score = other, score
        if best is None or self._names_too_little(state.entity_counts, best, SMALL_STORY_ENTITY_SHARE):
            return
        target = self._stories[best]
        # the larger story keeps its id; of two as large, the older one
        kept, merged = (
            (story, best)
            if (len(state.members), -state.opened) > (len(target.members), -target.opened)
            else (best, story)
        )
        self._absorb(kept, merged)
        self._merges.append(
            StoryMerge(kept, merged, round(best_score, 4), f"a small story that fits it ({best_score:.2f})")
        )

    def _split(self, story: str) -> list[StoryMove]:
        """Split ``story`` in two when its members form two events; the moves of the smaller one."""
        limit = self.split_ncut
        if not limit:
            return []
        state = self._stories[story]
        if any(member not in self._member_cache for member in state.members):
            return []  # members too old to rebuild the story from: it is left as it is
        groups: dict[str, list[str]] = {}
        for member in state.members:
            groups.setdefault(self._copy_group(member), []).append(member)
        nodes = list(groups.values())
        found = two_events([[self._member_cache[m] for m in group] for group in nodes], limit)
        if found is None:
            return []
        first = {m for group, side in zip(nodes, found.first_side, strict=True) if side for m in group}
        sides = (first, set(state.members) - first)
        # the larger event keeps the id (on a tie, the one holding the story's first article)
        kept, leaving = sorted(sides, key=lambda side: (-len(side), state.members[0] not in side))
        moving = [m for m in state.members if m in leaving]
        new_story = self._unused_split_id(moving[0])
        self._stories[story] = self._rebuilt([m for m in state.members if m in kept], state.opened)
        self._stories[new_story] = self._rebuilt(moving, self._documents)
        for member in moving:
            self._story_of[member] = new_story
        self._keep_apart(story, new_story)
        reason = f"split from {story}: two events (normalised cut {found.ncut:.2f})"
        self._splits.append(StorySplit(story, new_story, round(found.ncut, 4), reason))
        return [StoryMove(m, story, new_story, round(found.ncut, 4), reason) for m in moving]

    def _copy_group(self, article_id: str) -> str:
        """The root of the copy group ``article_id`` belongs to (itself when it is in none)."""
        root = article_id
        while root in self._copy_parent:
            root = self._copy_parent[root]
        while article_id != root:  # point the path at the root: later lookups are short
            self._copy_parent[article_id], article_id = root, self._copy_parent[article_id]
        return root

    def _rebuilt(self, members: list[str], opened: int) -> _StoryState:
        """A story's state made anew from its members' cached vectors and mentions."""
        state = _StoryState(opened=opened)
        for member in members:
            state.take_in(member, self._member_cache[member])
        state.renew_norm()
        return state

    def _unused_split_id(self, article_id: str) -> str:
        """A new story id for the part of a split led by ``article_id``: stable across re-runs, and
        never the id of a live story or of one merged away (before a restart too, once the engine
        has replayed the stored merges)."""
        attempt = 0
        while True:
            digest = hashlib.blake2b(f"split:{article_id}:{attempt}".encode(), digest_size=6).hexdigest()
            candidate = f"s{digest}"
            if candidate not in self._stories and candidate not in self._merged_into:
                return candidate
            attempt += 1

    def _leave_one_out(self, vector: dict[str, float], state: _StoryState) -> float:
        """Cosine of ``vector`` with its own story's centroid without it (-1 for a lone article)."""
        if len(state.members) <= 1:
            return -1.0
        dot = sum(w * (state.centroid.get(t, 0.0) - w) for t, w in vector.items())
        norm_squared = (
            state.centroid_norm**2
            - 2 * sum(w * state.centroid.get(t, 0.0) for t, w in vector.items())
            + sum(w * w for w in vector.values())
        )
        return dot / math.sqrt(norm_squared) if norm_squared > 1e-12 else -1.0

    def _candidate_stories(self, vector: dict[str, float]) -> list[str]:
        """The closest stories to ``vector`` by their members' partial dot products, best first."""
        return closest_stories(self._index.member_scores(vector), self._story_of, MAX_CANDIDATE_STORIES)

    def _move(
        self, article_id: str, vector: dict[str, float], features: ArticleFeatures, source: str, target: str
    ) -> None:
        old, new = self._stories[source], self._stories[target]
        old.members.remove(article_id)
        new.members.append(article_id)
        for term, weight in vector.items():
            old.centroid[term] -= weight
            new.centroid[term] += weight
        old.renew_norm()
        new.renew_norm()
        for old_counts, new_counts, mentioned in (
            (old.entity_counts, new.entity_counts, features.entity_counts.keys()),
            (old.figure_counts, new.figure_counts, features.figure_counts.keys()),
        ):
            old_counts.subtract(mentioned)
            for gone in [key for key in mentioned if old_counts[key] <= 0]:
                del old_counts[gone]  # no member mentions it any more
            new_counts.update(mentioned)
        self._story_of[article_id] = target
        if not old.members:
            del self._stories[source]

    def take_merges(self) -> list[StoryMerge]:
        """Merges since the last call, in order (a store must re-file the merged stories' articles)."""
        taken, self._merges = self._merges, []
        return taken

    def take_splits(self) -> list[StorySplit]:
        """Splits since the last call, in order (a store keeps them: the halves stay apart after a restart)."""
        taken, self._splits = self._splits, []
        return taken

    def resolve(self, story_id: str) -> str:
        """The live story a (possibly merged) story id now stands for."""
        while story_id not in self._stories and story_id in self._merged_into:
            story_id = self._merged_into[story_id]
        return story_id

    def _merge_bridged(self, story: str, also_fitting: list[str]) -> str:
        """Merge into one the stories an article fits equally well, when they are about the same.

        An article that scores above the threshold with two stories bridges them; if their
        centroids are also close, they were one event split early (before enough articles
        showed it).  The larger story keeps its id (on a tie, the one the article joined).
        """
        for other in also_fitting:
            if other == story or other not in self._stories or story not in self._stories:
                continue
            if other in self._kept_apart.get(story, ()):
                continue
            a, b = self._stories[story], self._stories[other]
            similarity = cosine(a.centroid, b.centroid) / (a.centroid_norm * b.centroid_norm)
            if similarity < MERGE_SIMILARITY:
                continue
            kept, merged = (
                (story, other) if (len(a.members), other) >= (len(b.members), story) else (other, story)
            )
            self._absorb(kept, merged)
            self._merges.append(
                StoryMerge(
                    kept, merged, round(similarity, 4), f"bridged by an article; centroids {similarity:.2f}"
                )
            )
            story = kept
        return story

    def _absorb(self, kept: str, merged: str) -> None:
        gone, into = self._stories.pop(merged), self._stories[kept]
        for member in gone.members:
            self._story_of[member] = kept
        into.members.extend(gone.members)
        for term, weight in gone.centroid.items():
            into.centroid[term] += weight
        into.renew_norm()
        into.entity_counts.update(gone.entity_counts)
        into.figure_counts.update(gone.figure_counts)
        into.widen(gone.first_seen)
        into.widen(gone.last_seen)
        self._retire(merged, kept)

    def _retire(self, gone: str, into: str) -> None:
        """``gone`` is no story any more: its id resolves to ``into``, which takes over the stories
        a split kept apart from it (as a restart that replays the split through the merges would)."""
        self._merged_into[gone] = into
        for other in self._kept_apart.pop(gone, set()):
            self._kept_apart[other].discard(gone)
            if other != into:
                self._keep_apart(into, other)

    def _keep_apart(self, story: str, other: str) -> None:
        """Never merge ``story`` and ``other`` (a split found them two events)."""
        self._kept_apart[story].add(other)
        self._kept_apart[other].add(story)

    def restore_link(self, link: CopyLink) -> None:
        """Replay a stored copy link (start-up, after :meth:`restore`): the two articles stay
        together through second looks and splits, as they did when the link was found."""
        self._tie(link.article_id, link.original_id)

    def restore_split(self, split: StorySplit) -> None:
        """Replay a stored split (start-up, after :meth:`restore_merge`): its two stories, or those
        that took them in since, are never merged again."""
        kept, split_off = self.resolve(split.kept), self.resolve(split.split_off)
        if kept != split_off:  # merged back before splits were kept: nothing left to keep apart
            self._keep_apart(kept, split_off)

    def restore_merge(self, merge: StoryMerge) -> None:
        """Replay a stored merge (start-up): the merged id resolves, and no new story takes it."""
        self._merged_into[merge.merged] = merge.kept

    def _tie(self, article_id: str, other: str) -> None:
        """Put two articles in one copy group: second looks leave them be, a split keeps them together."""
        self._tied.update((article_id, other))
        root, other_root = self._copy_group(article_id), self._copy_group(other)
        if root != other_root:
            self._copy_parent[root] = other_root

    def restore(self, article: Article, story_id: str) -> None:
        """Replay a stored assignment without re-deciding it (start-up after a restart)."""
        features = article_features(article, self._find_entities)
        self._count(features)
        self._add(article, story_id, features, self._vector(features))

    # -- internals -------------------------------------------------------------------------

    def _count(self, features: ArticleFeatures) -> None:
        self._documents += 1
        self._term_df.update(features.term_counts.keys())
        self._entity_df.update(features.entity_counts.keys())
        self._figure_df.update(features.figure_counts.keys())

    def _idf(self, df: int) -> float:
        return math.log((self._documents + 1) / (df + 1)) + 1.0

    def _term_idf(self, term: str) -> float:
        """Blend of this stream's IDF and general-language rarity; the stream's weight grows with its size."""
        own = self._documents / (self._documents + BACKGROUND_PSEUDO_DOCUMENTS)
        return own * self._idf(self._term_df[term]) + (1.0 - own) * background_idf(term)

    def _vector(self, features: ArticleFeatures) -> dict[str, float]:
        idf = {t: self._term_idf(t) for t in features.term_counts}
        return tfidf(features.term_counts, idf, TOP_TERMS)

    def _scored_stories(
        self, article: Article, features: ArticleFeatures, vector: dict[str, float]
    ) -> list[tuple[str, float, tuple[Neighbour, ...]]]:
        """Candidate stories with their scores, best first (only stories sharing heavy terms)."""
        scored: list[tuple[str, float, tuple[Neighbour, ...]]] = []
        member_weight, centroid_weight, entity_weight, figure_weight = self.weights
        member_scores = self._index.member_scores(vector)
        closest = closest_stories(member_scores, self._story_of, MAX_CANDIDATE_STORIES)
        members_of: dict[str, list[tuple[str, float]]] = {story: [] for story in closest}
        for member, member_score in member_scores.items():
            if (story := self._story_of[member]) in members_of:
                members_of[story].append((member, member_score))
        for story in closest:
            state = self._stories[story]
            distance = self._hours_apart(article.published, state)
            if distance > self.window_hours:
                continue
            members = sorted(members_of[story], key=lambda m: -m[1])
            score = (
                member_weight * members[0][1]
                + centroid_weight * cosine(vector, state.centroid) / state.centroid_norm
                + (
                    entity_weight
                    * self._shared_mass(features.entity_counts, self._entity_df, state.entity_counts, 0.0)
                    if entity_weight
                    else 0.0
                )
                + (
                    figure_weight
                    * self._shared_mass(features.figure_counts, self._figure_df, state.figure_counts, 0.5)
                    if figure_weight
                    else 0.0
                )
            ) * (1.0 - 0.3 * distance / self.window_hours)
            scored.append((story, score, tuple(Neighbour(m, round(s, 4)) for m, s in members[:3])))
        scored.sort(key=lambda item: (-item[1], item[0]))
        return scored

    def _shared_mass(
        self, mentioned: Counter[str], df: Counter[str], story_has: Counter[str], silent: float
    ) -> float:
        """The IDF-weighted share of the article's mentions that the story mentions too
        (``silent`` when the article mentions none: no evidence either way)."""
        total = shared = 0.0
        for mention in mentioned:
            weight = self._idf(df[mention])
            total += weight
            if mention in story_has:
                shared += weight
        return shared / total if total else silent

    def _hours_apart(self, when: datetime | None, state: _StoryState) -> float:
        if when is None or state.first_seen is None or state.last_seen is None:
            return 0.0
        if when < state.first_seen:
            return (state.first_seen - when).total_seconds() / 3600
        if when > state.last_seen:
            return (when - state.last_seen).total_seconds() / 3600
        return 0.0

    def _add(self, article: Article, story: str, features: ArticleFeatures, vector: dict[str, float]) -> None:
        state = self._stories.get(story)
        if state is None:
            state = self._stories[story] = _StoryState(opened=self._documents)
        member = MemberProfile(
            tuple(vector),
            array("d", vector.values()),
            tuple(features.entity_counts),
            tuple(features.figure_counts),
            article.published,
            not article.paragraphs,
        )
        state.take_in(article.id, member)
        state.renew_norm()
        self._index.add(article.id, vector)
        self._member_cache[article.id] = member
        if len(self._member_cache) > MEMBER_CACHE:
            self._member_cache.popitem(last=False)
        self._story_of[article.id] = story
