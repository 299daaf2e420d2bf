"""Ingest throughput: articles/s and peak memory of ``newsfold ingest`` on ≥ 10,000 articles.

The demo corpus is repeated until the target count is reached.  Each repetition renames every
capitalised word (``Elsa`` → ``Elsaqb``) and one long word in three, so repetitions are new events
on the same topics (shared vocabulary, no shared sentence) rather than copies of the first one,
while keeping the corpus's mix of wire copies, rewrites, HTML pages and boilerplate.  Files are written to a temporary folder and ingested by the real CLI in a
subprocess, so its peak memory is measured alone.

Baseline, in the same run: reading and extracting the same files in this process without copy
detection, clustering or the store.  The ratio says what the later stages cost on top of extraction.

    python bench/ingest_throughput.py [--articles 10000]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsfold.cli import demo_corpus  # noqa: E402
from newsfold.extract import extract  # noqa: E402
from newsfold.ingest import iter_input_files, read_path  # noqa: E402
from newsfold.model import DocumentKind, RawDocument  # noqa: E402

_CAPITALISED = re.compile(rb"\b([A-Z][a-z]{2,})\b")
_LONG_WORD = re.compile(rb"(?<![/.@&])\b([a-z]{5,})\b(?![/.@]\w)")
_NUMBER = re.compile(rb"(?<![\d:.-])\d{1,4}(?![\d:-])")  # not dates (2025-03-04) or times
_MARKUP = re.compile(rb"(<script.*?</script>|<style.*?</style>|<[^>]*>|\[[^\]]*\])", re.DOTALL)


def _suffix(n: int) -> bytes:
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        out = letters[n % 26] + out
        n //= 26
        if n == 0:
            return out.encode()


def _variant(body: bytes, repetition: int) -> bytes:
    if repetition == 0:
        return body
    tag = b"q" + _suffix(repetition)
    # canonical URLs too: a page keeps its identity by URL, and a repetition is a new page
    body = body.replace(b".example/", b".example/" + tag + b"/")
    body = _CAPITALISED.sub(lambda m: m.group(1) + tag, body)

    # names alone are not enough: a sentence without one ("The ministry said it would appeal.")
    # would be shared verbatim by every repetition, making them wire copies of each other.  One
    # long word in three (the same ones throughout a repetition) changes too, so a repetition
    # reads like another event on the same topic: most vocabulary shared, no sentence.
    def rename(m: re.Match[bytes]) -> bytes:
        return m.group(1) + tag if zlib.crc32(m.group(1) + tag) % 3 == 0 else m.group(1)

    def renumber(m: re.Match[bytes]) -> bytes:
        value = m.group(0)
        if len(value) == 4 and value[:2] in (b"19", b"20"):  # years keep dates parseable
            return value
        return str(int(value) + 1 + repetition % 97).encode()

    # text only: tags, attributes, scripts (JSON-LD keys) and shortcodes keep their names; and
    # figures change, or a repetition would be a rewrite of its original (same sentences, same numbers)
    parts = _MARKUP.split(body)
    parts[::2] = [_NUMBER.sub(renumber, _LONG_WORD.sub(rename, part)) for part in parts[::2]]
    return b"".join(parts)


def build_corpus(target: int, folder: Path) -> int:
    """Write ≥ ``target`` article files into ``folder``; returns how many were written."""
    documents = [
        doc
        for item in iter_input_files([demo_corpus()])
        if isinstance(item, Path)
        for doc in read_path(item, 10_000_000)
        if isinstance(doc, RawDocument)
    ]
    if not documents:
        raise SystemExit("the demo corpus is empty: nothing to repeat")
    written = 0
    repetition = 0
    while written < target:
        for number, doc in enumerate(documents):
            suffix = ".html" if doc.kind is DocumentKind.HTML else ".txt"
            (folder / f"r{repetition:04}-{number:03}{suffix}").write_bytes(_variant(doc.body, repetition))
            written += 1
        repetition += 1
    return written


def extract_only(folder: Path) -> tuple[int, float]:
    start = time.perf_counter()
    count = 0
    for path in sorted(folder.iterdir()):
        for doc in read_path(path, 10_000_000):
            if isinstance(doc, RawDocument):
                extract(doc)
                count += 1
    return count, time.perf_counter() - start


def full_ingest(folder: Path, db: Path) -> tuple[float, float]:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "newsfold", "--db", str(db), "ingest", "-q", str(folder)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        count = build_corpus(args.articles, folder)
        base_count, base_seconds = extract_only(folder)
        seconds, peak_mb = full_ingest(folder, Path(tmp) / "bench.db")
    full_rate = count / seconds
    base_rate = base_count / base_seconds
    print(f"machine: {os.cpu_count()} cores; {count} articles (demo corpus repeated)")
    print(f"{'extract only (baseline)':<28} {base_rate:8.1f} articles/s")
    print(f"{'newsfold ingest (full)':<28} {full_rate:8.1f} articles/s   peak memory {peak_mb:.0f} MB")
    print(f"ratio full / extract-only: {full_rate / base_rate:.2f}")


if __name__ == "__main__":
    main()
