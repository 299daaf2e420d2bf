"""The shapes every stage shares.

Stages exchange only these objects: ``ingest`` yields :class:`RawDocument`, ``extract`` turns each
into an :class:`Article`, ``copies`` links articles with :class:`CopyLink`, ``stories`` assigns each
article to a story and records why in a :class:`StoryAssignment`; the store lists stories as
:class:`StorySummary` with :class:`StoryMember` rows.  Nothing here knows how
it is stored or computed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum


class DocumentKind(StrEnum):
    """How a raw document's body must be read."""

    TEXT = "text"
    HTML = "html"


@dataclass(slots=True)
class RawDocument:
    """One article as an input adapter found it, before any cleaning.

    ``origin`` says where it came from (a file path, ``path#line`` for JSONL, or a URL) and is
    what error messages name.  Structured inputs (JSONL) may already know the title, date, outlet
    or URL; those hints win over what extraction guesses from the body.
    """

    origin: str
    body: bytes
    kind: DocumentKind
    url: str | None = None
    title: str | None = None
    published: datetime | None = None
    outlet: str | None = None
    fetched_at: datetime | None = None
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True, frozen=True)
class Skipped:
    """An input that could not become an article, with a reason a person can act on.

    Ingest and extract yield these instead of raising, so one bad file never stops a batch.
    """

    origin: str
    reason: str


@dataclass(slots=True, frozen=True)
class RemovedText:
    """A piece of the input that extraction dropped, and why (``caption``, ``promo``, ...).

    Kept on the article so a reader can see what was cut and a later stage can still use a
    caption's facts if it wants to.
    """

    text: str
    reason: str


@dataclass(slots=True)
class Article:
    """A cleaned article: the unit every later stage works on."""

    id: str
    origin: str
    title: str
    paragraphs: list[str]
    url: str | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    dateline: str | None = None
    language: str | None = None
    removed: list[RemovedText] = field(default_factory=list)
    text_hash: str = ""

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def source_name(self) -> str:
        """What to call the article's outlet in listings, even when the outlet is unknown."""
        return source_name(self.outlet, self.url, self.origin)


class CopyKind(StrEnum):
    """How two articles' texts relate.  The copies issue refines these; the names are stable."""

    DUPLICATE = "duplicate"  # the same normalised text
    NEAR_DUPLICATE = "near_duplicate"  # almost all text shared (MinHash estimate)
    WIRE_COPY = "wire_copy"  # whole paragraphs shared verbatim
    REWRITE = "rewrite"  # the same sentences paraphrased


@dataclass(slots=True, frozen=True)
class AlignedSpan:
    """A passage of the copy and the passage of the original it was taken from.

    ``verbatim`` spans are the same sentences (after normalising case, quotes and spacing);
    otherwise ``similarity`` is the content-word overlap of a paraphrase (0..1).
    """

    copy_text: str
    original_text: str
    similarity: float
    verbatim: bool


@dataclass(slots=True, frozen=True)
class CopyLink:
    """Evidence that ``article_id`` copies (or duplicates) ``original_id``.

    ``copy_share`` and ``original_share`` say how much of each side's sentences the ``spans``
    cover: a wire copy that kept a third of a long wire story has a high copy share and a low
    original share.  The direction (which side is the original) is the lineage's judgement and
    may be revised as more of the copy group arrives.
    """

    article_id: str
    original_id: str
    kind: CopyKind
    score: float
    spans: tuple[AlignedSpan, ...] = ()
    copy_share: float = 0.0
    original_share: float = 0.0

    def reversed(self) -> CopyLink:
        """The same evidence pointing the other way (when lineage finds the copy was the original)."""
        return CopyLink(
            self.original_id,
            self.article_id,
            self.kind,
            self.score,
            tuple(AlignedSpan(s.original_text, s.copy_text, s.similarity, s.verbatim) for s in self.spans),
            self.original_share,
            self.copy_share,
        )

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.article_id, self.original_id))


@dataclass(slots=True, frozen=True)
class LineageNode:
    """One article in a copy group's tree: the root is the original, children copy their parent."""

    article_id: str
    link: CopyLink | None
    """The link to the parent (None at the root)."""
    children: tuple[LineageNode, ...] = ()


@dataclass(slots=True, frozen=True)
class ArticleRevision:
    """An earlier version of an article: the text it had before an update replaced it."""

    article_id: str
    revision: int
    """1 for the first version seen, counting up."""
    title: str
    paragraphs: list[str]
    url: str | None
    origin: str
    published: datetime | None
    text_hash: str
    replaced_at: datetime


@dataclass(slots=True, frozen=True)
class Neighbour:
    """A story member that drew an article into the story, with its similarity."""

    article_id: str
    score: float


@dataclass(slots=True, frozen=True)
class StoryAssignment:
    """Why an article is in its story: the score it reached and the members closest to it."""

    article_id: str
    story_id: str
    score: float
    opened: bool
    reason: str
    nearest: tuple[Neighbour, ...] = ()


@dataclass(slots=True, frozen=True)
class StoryMerge:
    """Two stories found to be one: ``merged``'s articles now belong to ``kept``.

    ``merged`` stays resolvable: a link or bookmark to it leads to ``kept``.
    """

    kept: str
    merged: str
    similarity: float
    reason: str


@dataclass(slots=True, frozen=True)
class StorySplit:
    """A story found to hold two events: the articles of one now make the story ``split_off``.

    The two are never merged again, also after a restart (the store keeps the pair); the moves
    of the articles that left say which ones they were.
    """

    kept: str
    split_off: str
    ncut: float
    reason: str


@dataclass(slots=True, frozen=True)
class StoryMove:
    """An article moved to another story on a second look (its new story fits it better)."""

    article_id: str
    from_story: str
    to_story: str
    score: float
    reason: str


@dataclass(slots=True, frozen=True)
class StorySummary:
    """One line of a story listing."""

    id: str
    title: str
    article_count: int
    outlet_count: int
    first_published: datetime | None
    last_activity: datetime


@dataclass(slots=True, frozen=True)
class StoryMember:
    """An article as a member of a story: what a reader needs to see of it in a coverage list."""

    article_id: str
    outlet: str
    title: str
    published: datetime | None
    relation: str
    """``original`` / ``independent`` or the copy kind and what it copies (``wire_copy of <id>``)."""
    score: float
    reason: str
    nearest: tuple[Neighbour, ...] = ()


class DatePrecision(StrEnum):
    """How precisely a dated event is known: "in 2018" is a year, "late July" a month."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    SEASON = "season"
    YEAR = "year"
    DECADE = "decade"


@dataclass(slots=True, frozen=True)
class Citation:
    """An article that carries a fact, quote or date, and the outlet that published it.

    ``copy_of`` is set when the article is a copy (duplicate, wire copy, rewrite) of another
    article in the story: it names the original, so a fact carried by an original and its
    five copies counts as one source, not six.
    """

    article_id: str
    outlet: str
    copy_of: str | None = None


@dataclass(slots=True, frozen=True)
class Fact:
    """One statement of a story with every article that makes it.

    ``text`` is the clearest wording (from the source most others agree with); ``variants`` the
    other wordings, one per article.  ``sources`` counts independent reports: copies count
    once per original.  ``single_source`` facts are carried by one outlet alone.
    """

    id: str
    text: str
    article_id: str
    citations: tuple[Citation, ...]
    sources: int
    single_source: bool
    variants: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class AccountSentence:
    """A sentence of a story's consolidated account: a fact's wording with its citations."""

    text: str
    fact_id: str
    citations: tuple[Citation, ...]


@dataclass(slots=True, frozen=True)
class Quote:
    """Words in quotation marks, who said them and how, and the outlets that carry them."""

    text: str
    speaker: str | None
    cue: str | None
    citations: tuple[Citation, ...]
    sentence: str = ""


@dataclass(slots=True, frozen=True)
class TimelineEvent:
    """A dated event: ``date`` is ISO 8601 cut at its precision ("2022-09-07", "2022-07", "2018")."""

    date: str
    precision: DatePrecision
    text: str
    expressions: tuple[str, ...]
    citations: tuple[Citation, ...]


@dataclass(slots=True, frozen=True)
class EntityMentions:
    """A person, organisation or place a story names, how often, and which articles name it."""

    name: str
    kind: str
    """``person``, ``organisation`` or ``place``."""
    mentions: int
    citations: tuple[Citation, ...]
    aliases: tuple[str, ...] = ()
    """Other ways the story writes the same name ("U.S", "United States"; "Rama" for "Edi Rama")."""


@dataclass(slots=True, frozen=True)
class Variant:
    """One side of a discrepancy: the value, the sentence that states it and who carries it."""

    value: str
    text: str
    citations: tuple[Citation, ...]


@dataclass(slots=True, frozen=True)
class Discrepancy:
    """Sources that state the same fact with a different number, date, name or place."""

    kind: str
    """``number``, ``date``, ``name`` or ``place``."""
    fact_id: str
    variants: tuple[Variant, ...]


@dataclass(slots=True, frozen=True)
class StorySynthesis:
    """A story folded into one cited account, with what the sources say and where they differ."""

    story_id: str
    account: tuple[AccountSentence, ...]
    facts: tuple[Fact, ...]
    quotes: tuple[Quote, ...]
    timeline: tuple[TimelineEvent, ...]
    entities: tuple[EntityMentions, ...]
    discrepancies: tuple[Discrepancy, ...]
    articles: int
    sources: int


class SourceKind(StrEnum):
    """What a live source is, which decides how a pass reads it."""

    FEED = "feed"  # RSS 0.9x/1.0/2.0, Atom or JSON Feed
    PAGE = "page"  # an HTML listing page (a section front): its article links are followed
    SITEMAP = "sitemap"  # an XML sitemap, sitemap index or news sitemap


@dataclass(slots=True)
class Source:
    """A live source a user follows, with what the fetcher keeps between passes.

    The state (validators, schedule, health) lives in the store, so a restart resumes where the
    last pass stopped: no refetch storm, no lost backoff.
    """

    url: str
    kind: SourceKind
    id: int | None = None
    title: str | None = None
    site_url: str | None = None
    category: str | None = None
    interval: float = 3600.0
    """Seconds between passes; adapts to how often the source publishes."""
    next_due: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_fetched: datetime | None = None
    last_success: datetime | None = None
    error_count: int = 0
    """Consecutive failed passes: the backoff grows with it, a success resets it."""
    last_error: str | None = None
    last_status: int | None = None
    articles: int = 0
    """Articles this source has brought in, over its life."""
    added_at: datetime | None = None

    @property
    def health(self) -> str:
        """``new`` (never fetched), ``ok``, ``failing`` (last pass failed) or ``down`` (5+ in a row)."""
        if self.last_fetched is None:
            return "new"
        if self.error_count == 0:
            return "ok"
        return "down" if self.error_count >= 5 else "failing"


class FollowKind(StrEnum):
    """What a reader can follow or mute."""

    SOURCE = "source"  # an outlet, by the name the pages show
    ENTITY = "entity"  # a person, organisation or place, by name
    KEYWORD = "keyword"  # words (all must appear) or a "quoted phrase"
    STORY = "story"  # one story, by id (a merged story's id keeps working)


class FollowMode(StrEnum):
    FOLLOW = "follow"
    MUTE = "mute"


@dataclass(slots=True, frozen=True)
class Follow:
    """One thing a reader follows (its stories come to the personal feed) or mutes (they leave it)."""

    kind: FollowKind
    value: str
    mode: FollowMode
    created: datetime


@dataclass(slots=True, frozen=True)
class Account:
    """Someone who reads: the one implicit reader of a single-user install, or an account."""

    id: int
    name: str
    created: datetime


@dataclass(slots=True, frozen=True)
class StoryRead:
    """What a reader had seen of a story at their last visit: enough to tell what is new since.

    Facts, quotes and outlets are new when no article the reader saw carries them, so the
    snapshot is the story's articles and outlets at the time, not a copy of its synthesis.
    """

    story_id: str
    read_at: datetime
    article_ids: frozenset[str]
    outlets: frozenset[str]


_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w\s]")


def normalise_text(text: str) -> str:
    """Fold case, Unicode forms, punctuation and spacing so trivially different copies compare equal."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _NON_WORD.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def text_hash(text: str) -> str:
    """Identity of an article's text for exact-duplicate lookup (one index probe, miniflux style)."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def article_id(url: str | None, origin: str) -> str:
    """Stable article id: from the URL when there is one, else from where the input came from.

    Re-ingesting the same page, file or JSONL line therefore lands on the same id, which is what
    makes ingestion idempotent.  The same text at two places is two articles, linked as
    duplicates by the copies stage, so a second outlet carrying a story is never lost.
    """
    key = f"url:{url}" if url else f"origin:{origin}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def source_name(outlet: str | None, url: str | None, origin: str) -> str:
    """An outlet's name for listings: the outlet, else the URL's host, else the file's name."""
    return outlet or _host(url) or origin.rsplit("/", 1)[-1]


def _host(url: str | None) -> str | None:
    if not url:
        return None
    match = re.match(r"^[a-z][a-z0-9+.-]*://(?:www\.)?([^/:?#]+)", url, re.IGNORECASE)
    return match.group(1).lower() if match else None


def parse_timestamp(value: str) -> datetime | None:
    """ISO 8601 or RFC 2822 → aware datetime (naive values are taken as UTC)."""
    value = value.strip()
    parsed: datetime | None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
