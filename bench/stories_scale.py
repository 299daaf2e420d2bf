"""Story assignment as the number of live stories grows: articles/s and memory at 1k, 10k, 100k.

Each size runs in its own process (so peak memory is its own): the clusterer is first filled
with N live stories (two articles each, through ``restore``, as at start-up from a store), then
``--articles`` new articles are assigned and timed — half are further reports of existing stories,
half open new ones, with the second look (``refine``) after each chunk as ingest does.  Texts are synthetic: each story has its own names and rare words drawn from
a large invented vocabulary plus common English words shared by all, so candidate retrieval sees
realistic posting lists (common words everywhere, event words in a few stories).

The baseline is the smallest size, measured in the same run: the printed ratios say how the cost
per article and the memory grow with the number of stories.

    python bench/stories_scale.py [--sizes 1000 10000 100000] [--articles 1000] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from harness import each_size_in_its_own_process, peak_mb  # noqa: E402
from newsfold.config import Settings  # noqa: E402
from newsfold.model import Article  # noqa: E402
from newsfold.stories import StoryClusterer  # noqa: E402

_COMMON_TEXT = (
    "government minister police officials city country week report people public support plan "
    "court company market health school water power change group family local national state "
    "world team season game match election vote party leader union workers strike price rise "
    "fall deal talks meeting spokesman statement investigation fire crash storm flood rescue"
)
COMMON = _COMMON_TEXT.split()
T0 = datetime(2026, 3, 2, tzinfo=UTC)
CHUNK = Settings().batch_size


def _word(rng: random.Random) -> str:
    consonants, vowels = "bcdfghjklmnprstvz", "aeiou"
    return "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))


class StoryWriter:
    """Synthetic reports: each story has its own names and rare words, all share common words."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.stories: list[tuple[list[str], list[str]]] = []

    def new_story(self) -> int:
        rng = self.rng
        names = [_word(rng).capitalize() for _ in range(4)]
        rare = [_word(rng) for _ in range(12)]
        self.stories.append((names, rare))
        return len(self.stories) - 1

    def article(self, story: int, serial: int, published: datetime) -> Article:
        rng = self.rng
        names, rare = self.stories[story]
        sentences = []
        for _ in range(6):
            words = rng.sample(COMMON, 6) + rng.sample(rare, 3)
            rng.shuffle(words)
            sentences.append(f"{rng.choice(names)} {' '.join(words)} in {rng.choice(names)}.")
        paragraphs = [" ".join(sentences[i : i + 2]) for i in range(0, 6, 2)]
        return Article(
            id=f"a{serial}",
            origin="bench",
            title=f"{names[0]} {rare[0]} {rng.choice(COMMON)} {rare[1]}",
            paragraphs=paragraphs,
            outlet=f"outlet{serial % 50}",
            published=published,
            text_hash=f"h{serial}",
        )


def measure(size: int, articles: int) -> dict[str, Any]:
    """One size, in this process: fill with ``size`` stories, then time ``articles`` assignments."""
    writer = StoryWriter()
    clusterer = StoryClusterer()
    serial = 0
    started = time.perf_counter()
    for _ in range(size):
        story = writer.new_story()
        for _ in range(2):
            when = T0 + timedelta(seconds=serial)
            clusterer.restore(writer.article(story, serial, when), f"s{story}")
            serial += 1
    fill_seconds = time.perf_counter() - started
    filled_mb = peak_mb()
    rng = random.Random(11)
    batch = []
    for number in range(articles):
        story = rng.randrange(size) if number % 2 == 0 else writer.new_story()
        batch.append(writer.article(story, serial, T0 + timedelta(seconds=serial)))
        serial += 1
    started = time.perf_counter()
    for number, article in enumerate(batch, start=1):
        clusterer.assign(article)
        if number % CHUNK == 0:  # the second look ingest takes after each chunk
            clusterer.refine()
    clusterer.refine()
    seconds = time.perf_counter() - started
    return {
        "stories": size,
        "articles": articles,
        "articles_per_s": articles / seconds,
        "ms_per_article": 1000 * seconds / articles,
        "fill_seconds": fill_seconds,
        "peak_mb": max(filled_mb, peak_mb()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process: one size
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one, args.articles)))
        return
    results = each_size_in_its_own_process(
        __file__, [["--one", str(size), "--articles", str(args.articles)] for size in sorted(args.sizes)]
    )
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"story assignment, {args.articles} new articles per size (half join, half open), 1 core")
    print(
        f"{'live stories':>12} {'articles/s':>11} {'ms/article':>11} {'× base':>7} {'peak MB':>8} {'× base':>7}"
    )
    for r in results:
        print(
            f"{r['stories']:>12,} {r['articles_per_s']:>11.0f} {r['ms_per_article']:>11.2f} "
            f"{r['cost_ratio']:>7.2f} {r['peak_mb']:>8.0f} {r['memory_ratio']:>7.2f}"
        )


if __name__ == "__main__":
    main()
