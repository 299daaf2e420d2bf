"""Synthesis time per story as the story grows: 5, 50 and 500 articles, against the parse alone.

What is timed is :func:`newsfold.synthesis.synthesize` on one story (``account_sentences=8``),
best of ``--repeats`` after a warm-up that loads the spaCy model.  Beside it, in the same
process and on the same articles, the spaCy parse alone is timed the way synthesis parses
(``english().pipe`` over each article's text cut at ``MAX_CHARS``), so ``÷ parse`` says how much
of synthesis is the parse and how much is newsfold's own work.

Stories are built here from the demo corpus (``src/newsfold/demo/corpus``, written for newsfold),
read through the project's own ingest and extract stages.  One demo event (``--event``, the
Antwerp dock strike by default) gives the wire original, and the independent reports and the
rewrite (its outlet's own wording) named in its gold file; a story of N articles is the wire
original plus a fixed mix of

* verbatim copies: the original's (or an earlier report's) text under another outlet, linked as
  ``duplicate``;
* lightly edited copies: a few sentences dropped or reworded, sometimes cut short, linked as
  ``near_duplicate`` or ``wire_copy`` with the aligned passages and shares;
* independent reports: the event's other reports with sentences shuffled, recombined across
  reports and reworded, under other outlet names, with no link.

Every synthetic article has its own id and URL, an outlet of 288 invented names (taken in turn,
so a story under 289 articles has no outlet twice) and a publication time within two days of
the original (a copy after what it copies).  The random seed is fixed, so runs repeat.

Each size runs in its own process, so its peak memory (``ru_maxrss``, which includes the loaded
spaCy model) is its own.  The baseline is the smallest size, measured in the same run: ``× base``
is the time per article relative to it (1.0 means synthesis grows linearly with the story).
``--profile`` adds a cProfile breakdown of one more synthesis at the largest size: the functions
of ``newsfold.synthesis`` (and spaCy's ``pipe``) with the largest cumulative time, as a share of
the profiled synthesis (the profiler slows pure-Python code more than the parser's compiled code,
so the parse's share reads low there).

    python bench/synthesis_scale.py [--sizes 5 50 500] [--repeats N] [--profile] [--json]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from harness import best_of, each_size_in_its_own_process, peak_mb  # noqa: E402
from newsfold.config import Settings  # noqa: E402
from newsfold.model import (  # noqa: E402
    AlignedSpan,
    Article,
    CopyKind,
    CopyLink,
    RemovedText,
    text_hash,
)
from newsfold.pipeline import IngestReport, collect_files, extract_stage, read_files  # noqa: E402
from newsfold.synthesis import synthesize  # noqa: E402
from newsfold.synthesis.language import MAX_CHARS, english  # noqa: E402
from newsfold.text import split_sentences  # noqa: E402

DEMO = ROOT / "src" / "newsfold" / "demo"
SEED = 20260302
ACCOUNT = 8
PATTERN = (
    "independent",
    "verbatim",
    "edited",
    "verbatim",
    "edited",
    "independent",
    "edited",
    "verbatim",
    "independent",
    "edited",
)
"""What each article after the original is, in turn: 3 independent reports, 3 verbatim and 4
edited copies in every 10 (the 5-article story has one independent, two verbatim, one edited)."""
COPY_OF_WIRE = 0.7
"""Share of copies that copy the wire original; the rest copy an earlier independent report."""

_PLACE_TEXT = (
    "Harbour Northgate Valley Riverside Eastbank Lakeside Coastal Summit Brightwater Kestrel "
    "Meadow Granite Ashford Linden Marsh Highfield Westmoor Cedar Falcon Ironbridge Redcliff "
    "Southport Elm Ravenhill"
)
_PAPER_TEXT = "Times Courier Ledger Post Herald Journal Gazette Daily Observer Review Chronicle Record"
_SWAPS = {
    "said": "stated",
    "says": "states",
    "about": "around",
    "after": "following",
    "also": "further",
    "more than": "over",
    "began": "started",
    "halted": "stopped",
    "workers": "staff",
    "officials": "authorities",
    "warned": "cautioned",
    "announced": "unveiled",
    "because": "as",
    "however": "but",
    "including": "among them",
    "expected": "set",
    "Thousands of": "Several thousand",
    "on Monday": "Monday",
    "would": "could",
}
_SWAP = re.compile(r"\b(" + "|".join(re.escape(k) for k in _SWAPS) + r")\b")


@dataclass(slots=True)
class Report:
    """A base article of the demo event, as sentences per paragraph (a quotation that runs over
    several sentences is kept as one, so shuffling never separates its halves)."""

    article: Article
    paragraphs: list[list[str]]

    @property
    def sentences(self) -> list[str]:
        return [s for p in self.paragraphs for s in p]


def demo_event(event: str) -> tuple[Report, list[Report]]:
    """The event's original and its independent reports, read from the demo corpus by newsfold."""
    gold = json.loads((DEMO / "gold" / f"{event[0]}.json").read_text(encoding="utf-8"))
    relation = {d["file"]: d["relation"] for d in gold["documents"] if d["event"] == event}
    names = [f for f in relation if "#" not in f]  # feed lines are left out: one file, one article
    settings = Settings()
    files, _ = collect_files([DEMO / "corpus" / name for name in sorted(names)])
    original, independent = None, []
    for item in extract_stage(read_files(files, settings), settings, IngestReport()):
        if not isinstance(item, Article):
            continue
        report = Report(item, [_quote_whole(split_sentences(p)) for p in item.paragraphs])
        kind = relation[Path(item.origin).name]
        if kind == "original":
            original = report
        elif kind in ("independent", "rewrite"):  # a rewrite is its outlet's own wording
            independent.append(report)
    if original is None or not independent:
        raise SystemExit(f"demo event {event!r} needs an original and an independent report")
    return original, independent


def _quote_whole(sentences: list[str]) -> list[str]:
    out: list[str] = []
    for sentence in sentences:
        if out and sum(out[-1].count(q) for q in '"“”') % 2:  # inside an open quotation
            out[-1] += " " + sentence
        else:
            out.append(sentence)
    return out


def _reword(sentence: str) -> str:
    return _SWAP.sub(lambda m: _SWAPS[m.group(1)], sentence)


def _paragraphs(sentences: list[str], rng: random.Random) -> list[list[str]]:
    out, start = [], 0
    while start < len(sentences):
        width = rng.randint(1, 3)
        out.append(sentences[start : start + width])
        start += width
    return out


class StoryBuilder:
    """Synthetic stories of one demo event: an original, copies of it and independent reports."""

    def __init__(self, original: Report, independent: list[Report], seed: int = SEED) -> None:
        self.original = original
        self.pool = independent
        self.rng = random.Random(seed)
        outlets = [f"{place} {paper}" for place in _PLACE_TEXT.split() for paper in _PAPER_TEXT.split()]
        self.rng.shuffle(outlets)
        self.outlets = outlets

    def build(self, size: int) -> tuple[list[Article], list[CopyLink]]:
        rng = self.rng
        t0 = self.original.article.published or datetime.fromisoformat("2025-03-03T07:40:00+00:00")
        wire = self._article(0, self.original.article, self.original.paragraphs, t0, "Meridian Wire")
        articles = [wire]
        texts = {wire.id: self.original}  # what a later copy may copy
        reports = [wire.id]
        links: list[CopyLink] = []
        for number in range(1, size):
            kind = PATTERN[(number - 1) % len(PATTERN)]
            outlet = self.outlets[number % len(self.outlets)]
            if kind == "independent":
                base = rng.choice(self.pool)
                report = self._independent(base, outlet)
                when = t0 + timedelta(minutes=rng.uniform(30, 36 * 60))
                article = self._article(number, base.article, report.paragraphs, when, outlet)
                texts[article.id] = report
                reports.append(article.id)
            else:
                original_id = reports[0] if rng.random() < COPY_OF_WIRE else rng.choice(reports)
                source = texts[original_id]
                original = next(a for a in articles if a.id == original_id)
                assert original.published is not None
                when = original.published + timedelta(minutes=rng.uniform(5, 12 * 60))
                if kind == "verbatim":
                    paragraphs, pairs, cut = source.paragraphs, [(s, s) for s in source.sentences], False
                else:
                    paragraphs, pairs, cut = self._edited(source)
                article = self._article(number, source.article, paragraphs, when, outlet)
                copy_kind = CopyKind.DUPLICATE if kind == "verbatim" else CopyKind.WIRE_COPY
                links.append(_link(article.id, original_id, copy_kind, pairs, source, cut=cut))
            articles.append(article)
        return articles, links

    def _article(
        self, number: int, base: Article, paragraphs: list[list[str]], when: datetime, outlet: str
    ) -> Article:
        slug = outlet.lower().replace(" ", "")
        article_id = f"syn{number:04d}-{slug}"
        texts = [" ".join(p) for p in paragraphs]
        removed = [RemovedText(r.text.replace(base.source_name, outlet), r.reason) for r in base.removed]
        return Article(
            id=article_id,
            origin=f"bench:{article_id}",
            title=base.title,
            paragraphs=texts,
            url=f"https://{slug}.example/news/{when:%Y/%m/%d}/{article_id}",
            outlet=outlet,
            published=when,
            language="en",
            removed=removed,
            text_hash=text_hash("\n\n".join(texts)),
        )

    def _independent(self, base: Report, outlet: str) -> Report:
        """The base report retold: lead kept, the rest shuffled with a few sentences of others."""
        rng = self.rng
        lead, *rest = [s.replace(base.article.source_name, outlet) for s in base.sentences]
        rest = rng.sample(rest, k=max(1, len(rest) - rng.randint(0, 3)))
        for other in rng.sample(self.pool, k=min(2, len(self.pool))):
            if other is not base:
                rest += rng.sample(other.sentences[1:], k=min(rng.randint(1, 3), len(other.sentences) - 1))
        rng.shuffle(rest)
        sentences = [lead, *rest]
        for index in rng.sample(range(len(sentences)), k=min(3, len(sentences))):
            sentences[index] = _reword(sentences[index])
        return Report(base.article, _paragraphs(sentences, rng))

    def _edited(self, source: Report) -> tuple[list[list[str]], list[tuple[str, str]], bool]:
        """A light edit: 1-3 sentences dropped, 1-2 reworded, one copy in three cut short."""
        rng = self.rng
        sentences = source.sentences
        cut = rng.random() < 1 / 3
        keep = len(sentences) if not cut else max(3, round(len(sentences) * rng.uniform(0.6, 0.8)))
        dropped = set(rng.sample(range(1, keep), k=min(rng.randint(1, 3), keep - 2)))
        reworded = set(rng.sample(range(keep), k=min(rng.randint(1, 2), keep)))
        paragraphs, pairs = [], []
        position = 0
        for paragraph in source.paragraphs:
            out = []
            for sentence in paragraph:
                if position < keep and position not in dropped:
                    new = _reword(sentence) if position in reworded else sentence
                    out.append(new)
                    pairs.append((new, sentence))
                position += 1
            if out:
                paragraphs.append(out)
        return paragraphs, pairs, cut


def _link(
    article_id: str,
    original_id: str,
    kind: CopyKind,
    pairs: list[tuple[str, str]],
    source: Report,
    cut: bool = False,
) -> CopyLink:
    """The link the copies stage would record: aligned passages, both shares, kind and score."""
    spans = tuple(
        AlignedSpan(copy, original, 1.0 if copy == original else 0.85, copy == original)
        for copy, original in pairs
    )
    original_share = len(pairs) / len(source.sentences)
    verbatim = sum(span.verbatim for span in spans) / len(source.sentences)
    if kind is CopyKind.WIRE_COPY and not cut and original_share >= 0.85:
        kind = CopyKind.NEAR_DUPLICATE  # nearly all of it, in order: the same article lightly edited
    score = (
        1.0
        if kind is CopyKind.DUPLICATE
        else round(verbatim if kind is CopyKind.WIRE_COPY else original_share, 3)
    )
    return CopyLink(article_id, original_id, kind, score, spans, 1.0, round(original_share, 3))


def _profile(articles: list[Article], links: list[CopyLink], top: int) -> list[dict[str, Any]]:
    """Cumulative time of newsfold.synthesis functions (and spaCy's pipe) in one profiled synthesis."""
    profiler = cProfile.Profile()
    profiler.enable()
    synthesize("profiled", articles, links, account_sentences=ACCOUNT)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows, total = [], 0.0
    for (filename, line, function), (_, calls, own, cumulative, _) in stats.items():
        path = Path(filename)
        if path.parent.name == "synthesis" and path.parent.parent.name == "newsfold":
            name = f"{path.stem}.{function}" + (f":{line}" if function.startswith("<") else "")
            if function == "synthesize":
                total = cumulative
        elif function == "pipe" and path.name == "language.py" and path.parent.name == "spacy":
            name = "spacy Language.pipe (the parse)"
        else:
            continue
        rows.append({"function": name, "calls": calls, "own_s": own, "cumulative_s": cumulative})
    rows.sort(key=lambda r: -r["cumulative_s"])
    for row in rows:
        row["share"] = row["cumulative_s"] / total if total else 0.0
    return rows[:top]


PARSE_BATCH = 16
"""The batch size synthesis parses with (``newsfold.synthesis.synthesize``)."""


def measure(size: int, repeats: int, event: str, profile: bool) -> dict[str, Any]:
    """One size, in this process: build the story, time synthesis and the parse alone."""
    nlp = english()
    nlp("Warm-up: the model is loaded before anything is timed.")
    model_mb = peak_mb()
    original, independent = demo_event(event)
    articles, links = StoryBuilder(original, independent).build(size)
    synthesize("warm-up", articles[:5], [x for x in links if x.article_id in {a.id for a in articles[:5]}])
    synthesis_s, result = best_of(
        repeats, lambda: synthesize(f"bench-{size}", articles, links, account_sentences=ACCOUNT)
    )
    synthesis_peak_mb = peak_mb()  # before the parse-only baseline, so it is synthesis's own peak
    parse_s, _ = best_of(
        repeats, lambda: list(nlp.pipe((a.text[:MAX_CHARS] for a in articles), batch_size=PARSE_BATCH))
    )
    out: dict[str, Any] = {
        "articles": size,
        "words": sum(len(a.text.split()) for a in articles),
        "links": len(links),
        "sources": result.sources,
        "facts": len(result.facts),
        "repeats": repeats,
        "synthesis_s": synthesis_s,
        "ms_per_article": 1000 * synthesis_s / size,
        "parse_s": parse_s,
        "synthesis_over_parse": synthesis_s / parse_s,
        "model_mb": model_mb,
        "peak_mb": synthesis_peak_mb,
    }
    if profile:
        out["profile"] = _profile(articles, links, top=10)
    return out


def _repeats(size: int, asked: int | None) -> int:
    if asked is not None:
        return asked
    return 3 if size <= 50 else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 50, 500])
    parser.add_argument(
        "--repeats", type=int, help="best of this many runs per size (default 3 up to 50 articles, else 1)"
    )
    parser.add_argument("--event", default="a01", help="demo event the stories are built from")
    parser.add_argument("--profile", action="store_true", help="cProfile breakdown at the largest size")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process: one size
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one, _repeats(args.one, args.repeats), args.event, args.profile)))
        return
    sizes = sorted(set(args.sizes))
    results = each_size_in_its_own_process(
        __file__,
        [
            ["--one", str(size), "--event", args.event, "--repeats", str(_repeats(size, args.repeats))]
            + (["--profile"] if args.profile and size == sizes[-1] else [])
            for size in sizes
        ],
    )
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(
        f"synthesis of one story (demo event {args.event}: original + verbatim, edited copies and "
        f"independent reports), account of {ACCOUNT} sentences, 1 process per size"
    )
    print(
        f"{'articles':>8} {'words':>7} {'facts':>6} {'sources':>7} {'runs':>4} {'synth s':>8} "
        f"{'ms/article':>10} {'× base':>7} {'parse s':>8} {'÷ parse':>7} {'rest s':>7} {'peak MB':>8} "
        f"{'× base':>7}"
    )
    for r in results:
        print(
            f"{r['articles']:>8,} {r['words']:>7,} {r['facts']:>6} {r['sources']:>7} {r['repeats']:>4} "
            f"{r['synthesis_s']:>8.2f} {r['ms_per_article']:>10.1f} {r['cost_ratio']:>7.2f} "
            f"{r['parse_s']:>8.2f} {r['synthesis_over_parse']:>7.2f} {r['synthesis_s'] - r['parse_s']:>7.2f} "
            f"{r['peak_mb']:>8.0f} "
            f"{r['memory_ratio']:>7.2f}"
        )
    base = results[0]
    print(f"× base: time per article (or peak memory) against {base['articles']} articles (1.0 = linear)")
    print("÷ parse: synthesis time over the spaCy parse alone of the same texts, timed in the same process")
    print("rest s: synthesis minus the parse, i.e. newsfold's own work")
    print(f"peak MB: the process's peak RSS, including the loaded model ({base['model_mb']:.0f} MB)")
    profiled = results[-1].get("profile")
    if profiled:
        print(f"\nwhere synthesis time goes at {results[-1]['articles']} articles (cProfile, cumulative)")
        print(f"{'function':<44} {'calls':>9} {'cum s':>8} {'own s':>8} {'share':>6}")
        for row in profiled:
            print(
                f"{row['function']:<44} {row['calls']:>9,} {row['cumulative_s']:>8.2f} "
                f"{row['own_s']:>8.2f} {row['share']:>6.0%}"
            )
        print("(cProfile slows Python code far more than the compiled parser: compare newsfold rows")
        print(" with each other; the parse's true share is the ÷ parse column above)")


if __name__ == "__main__":
    main()
