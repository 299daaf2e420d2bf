"""Temporal expressions: newsfold's date tagger against TempEval-3's TimeBank and AQUAINT.

``../shared/data/tempeval3/train/`` holds the cleaned TempEval-3 training corpora in TimeML:
TimeBank (183 documents) and AQUAINT (73), news from 1989-2000, every temporal expression marked as
a ``TIMEX3`` with its ``type`` (DATE, TIME, DURATION, SET) and normalised ``value``.  Each document's
creation time (the ``TIMEX3`` with ``functionInDocument="CREATION_TIME"``, in ``<DCT>``) is the
anchor; its calendar date is passed to ``find_temporal_expressions`` with the ``<TEXT>`` element's
content, tags stripped and entities decoded.  Gold spans are character offsets into that same
stripped text.  Every ``.tml`` under the data folder is read; a document whose ``DOCID`` was
already read is skipped (``testpipeline/`` repeats a TimeBank file).  The sub-corpus is the first
folder under the data folder.

newsfold tags dates only, so the gold is the DATE timexes.  Definitions:

* a prediction that overlaps no gold DATE but overlaps a gold TIME, DURATION or SET ("last
  week" as a duration, "daily") is counted apart as ``other_type`` and left out of precision:
  it found a real temporal expression, just not one this scorer can judge;
* every other prediction is *scored*: it is *lenient*-correct when it overlaps a gold DATE and
  *strict*-correct when its span equals one exactly;
* precision = correct scored predictions / scored predictions; recall = gold DATEs overlapped
  (lenient) or exactly matched (strict) by some prediction / gold DATEs; F1 their harmonic mean;
* value accuracy: over predictions overlapping a gold DATE (the exact one if any, else the one
  overlapped most), the share whose ``value`` equals the gold ``value`` exactly;
  ``concrete_value_accuracy`` is the same restricted to gold values that are calendar dates
  (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``), i.e. without PRESENT_REF, quarters, weeks, seasons …;
* value errors are grouped by their shape (digits shown as 9: ``9999-99-99 → 9999-99``), most
  frequent first, each with a few examples (text, gold value, predicted value);
* missed gold DATEs (overlapped by no prediction) are grouped by their text, lower-cased with
  digits shown as 9, most frequent first, each with a few examples in context.

    python -m eval.timex_tempeval [--data DIR] [--limit N] [--errors N] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from eval._common import SHARED_DATA, require
from eval.metrics import precision_recall_f1

DATA = SHARED_DATA / "tempeval3" / "train"

CONCRETE = re.compile(r"^\d{4}(-\d\d(-\d\d)?)?$")
_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("day", re.compile(r"^\d{4}-\d\d-\d\d$")),
    ("month", re.compile(r"^\d{4}-\d\d$")),
    ("year", re.compile(r"^\d{4}$")),
    ("week", re.compile(r"^\d{4}-W")),
    ("quarter/half", re.compile(r"^\d{4}-[QH]")),
    ("season", re.compile(r"^\d{4}-(SP|SU|FA|WI)$")),
    ("decade/century", re.compile(r"^\d{2,3}X?$")),
    ("ref", re.compile(r"_REF$")),
]


def value_kind(value: str) -> str:
    """A coarse class of a TIMEX3 value: day, month, year, week, quarter/half, season, ref, other."""
    return next((name for name, pattern in _KINDS if pattern.search(value)), "other")


def _shape(value: str) -> str:
    return re.sub(r"\d", "9", value)


@dataclass(frozen=True, slots=True)
class Timex:
    """A gold TIMEX3: its span in the document's stripped TEXT and its annotation."""

    tid: str
    type: str
    value: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Prediction:
    """A tagged expression, as the scorer needs it (any tagger's output converts to this)."""

    start: int
    end: int
    text: str
    value: str


@dataclass(frozen=True, slots=True)
class Document:
    doc_id: str
    corpus: str
    text: str
    dct: date | None
    dct_value: str
    timexes: tuple[Timex, ...]

    @property
    def dates(self) -> list[Timex]:
        return [t for t in self.timexes if t.type == "DATE"]


def _stripped(element: ET.Element) -> tuple[str, list[Timex]]:
    """The element's text with tags removed, and every TIMEX3 inside it as a span of that text."""
    parts: list[str] = []
    found: list[Timex] = []
    length = 0

    def walk(node: ET.Element) -> None:
        nonlocal length
        start = length
        if node.text:
            parts.append(node.text)
            length += len(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                length += len(child.tail)
        if node.tag == "TIMEX3":
            text = "".join(parts)[start:length]
            found.append(
                Timex(node.get("tid", ""), node.get("type", ""), node.get("value", ""), start, length, text)
            )

    walk(element)
    return "".join(parts), sorted(found, key=lambda t: (t.start, t.end))


def _dct(root: ET.Element) -> tuple[date | None, str]:
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            value = timex.get("value", "")
            try:
                return date.fromisoformat(value[:10]), value
            except ValueError:
                return None, value
    return None, ""


def parse_timeml(source: str, *, doc_id: str = "", corpus: str = "") -> Document:
    """One TimeML document: its TEXT (tags stripped), creation date and gold TIMEX3 spans."""
    root = ET.fromstring(source)
    body = root.find("TEXT")
    if body is None:
        raise ValueError(f"{doc_id or 'document'}: no <TEXT> element")
    text, timexes = _stripped(body)
    dct, dct_value = _dct(root)
    docid = root.findtext("DOCID")
    return Document((docid or "").strip() or doc_id, corpus, text, dct, dct_value, tuple(timexes))


def load(path: Path, limit: int | None = None) -> tuple[list[Document], list[str]]:
    """Documents under ``path`` in path order (or the one file), and the duplicates skipped."""
    require(path)
    files = [path] if path.is_file() else sorted(path.rglob("*.tml"))
    documents: list[Document] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for file in files:
        relative = file.relative_to(path).parts if file != path else ()
        corpus = relative[0] if len(relative) > 1 else file.parent.name
        document = parse_timeml(file.read_text(encoding="utf-8"), doc_id=file.stem, corpus=corpus)
        if document.doc_id in seen:
            skipped.append(str(file.relative_to(path) if file != path else file))
            continue
        seen.add(document.doc_id)
        documents.append(document)
        if limit and len(documents) >= limit:
            break
    return documents, skipped


def run_tagger(document: Document) -> list[Prediction]:
    """newsfold's tagger on one document (imported here: the scorer works without it)."""
    from newsfold.synthesis.timex import find_temporal_expressions

    return [
        Prediction(e.start, e.end, e.text, e.value)
        for e in find_temporal_expressions(document.text, document.dct)
    ]


def _overlap(a: Prediction | Timex, b: Timex) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


@dataclass(frozen=True, slots=True)
class ValueMiss:
    doc_id: str
    text: str
    gold_text: str
    gold: str
    predicted: str


@dataclass(frozen=True, slots=True)
class GoldMiss:
    doc_id: str
    text: str
    value: str
    context: str


@dataclass(slots=True)
class Tally:
    """Counts over any number of documents; ``summary`` turns them into scores."""

    documents: int = 0
    gold: int = 0
    predictions: int = 0
    other_type: int = 0
    strict_predictions: int = 0
    strict_gold: int = 0
    lenient_predictions: int = 0
    lenient_gold: int = 0
    valued: int = 0
    value_correct: int = 0
    concrete: int = 0
    concrete_correct: int = 0
    offset_mismatches: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    by_kind_correct: Counter[str] = field(default_factory=Counter)
    misses: list[ValueMiss] = field(default_factory=list)
    missed: list[GoldMiss] = field(default_factory=list)

    def add(self, document: Document, predictions: Sequence[Prediction]) -> None:
        dates = document.dates
        others = [t for t in document.timexes if t.type != "DATE"]
        self.documents += 1
        self.gold += len(dates)
        self.predictions += len(predictions)
        for p in predictions:
            if document.text[p.start : p.end] != p.text:
                self.offset_mismatches += 1
            hits = [g for g in dates if _overlap(p, g) > 0]
            if not hits:
                if any(_overlap(p, g) > 0 for g in others):
                    self.other_type += 1
                continue
            self.lenient_predictions += 1
            exact = [g for g in hits if (g.start, g.end) == (p.start, p.end)]
            if exact:
                self.strict_predictions += 1
            gold = exact[0] if exact else max(hits, key=lambda g: _overlap(p, g))
            right = p.value == gold.value
            kind = value_kind(gold.value)
            self.valued += 1
            self.value_correct += right
            self.by_kind[kind] += 1
            self.by_kind_correct[kind] += right
            if CONCRETE.match(gold.value):
                self.concrete += 1
                self.concrete_correct += right
            if not right:
                self.misses.append(ValueMiss(document.doc_id, p.text, gold.text, gold.value, p.value))
        spans = {(p.start, p.end) for p in predictions}
        self.strict_gold += sum((g.start, g.end) in spans for g in dates)
        for g in dates:
            if any(_overlap(p, g) > 0 for p in predictions):
                self.lenient_gold += 1
                continue
            context = document.text[max(0, g.start - 50) : g.end + 30].replace("\n", " ")
            self.missed.append(GoldMiss(document.doc_id, g.text, g.value, context))

    def summary(self) -> dict[str, Any]:
        scored = self.predictions - self.other_type
        strict = precision_recall_f1(self.strict_predictions, scored, self.strict_gold, self.gold)
        strict |= {"matched_predictions": self.strict_predictions, "matched_gold": self.strict_gold}
        lenient = precision_recall_f1(self.lenient_predictions, scored, self.lenient_gold, self.gold)
        lenient |= {"matched_predictions": self.lenient_predictions, "matched_gold": self.lenient_gold}
        return {
            "documents": self.documents,
            "gold_dates": self.gold,
            "predictions": self.predictions,
            "other_type": self.other_type,
            "scored_predictions": scored,
            "strict": strict,
            "lenient": lenient,
            "value_accuracy": _share(self.value_correct, self.valued),
            "valued": self.valued,
            "value_correct": self.value_correct,
            "concrete_value_accuracy": _share(self.concrete_correct, self.concrete),
            "concrete_valued": self.concrete,
            "concrete_correct": self.concrete_correct,
            "value_accuracy_by_gold_kind": {
                kind: {
                    "n": n,
                    "correct": self.by_kind_correct[kind],
                    "accuracy": _share(self.by_kind_correct[kind], n),
                }
                for kind, n in self.by_kind.most_common()
            },
            "offset_mismatches": self.offset_mismatches,
        }


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def value_errors(misses: Iterable[ValueMiss], top: int, examples: int = 3) -> list[dict[str, Any]]:
    """The ``top`` most frequent value errors by shape, each with up to ``examples`` examples."""
    groups: dict[tuple[str, str], list[ValueMiss]] = {}
    for miss in misses:
        groups.setdefault((_shape(miss.gold), _shape(miss.predicted)), []).append(miss)
    ranked = sorted(groups.items(), key=lambda item: -len(item[1]))[:top]
    return [
        {
            "gold_shape": gold,
            "predicted_shape": predicted,
            "count": len(group),
            "examples": [
                {
                    "doc": m.doc_id,
                    "text": m.text,
                    "gold_text": m.gold_text,
                    "gold": m.gold,
                    "predicted": m.predicted,
                }
                for m in group[:examples]
            ],
        }
        for (gold, predicted), group in ranked
    ]


def missed_dates(missed: Iterable[GoldMiss], top: int, examples: int = 3) -> list[dict[str, Any]]:
    """The ``top`` most frequent missed gold DATEs by text shape, each with a few in context."""
    groups: dict[str, list[GoldMiss]] = {}
    for miss in missed:
        groups.setdefault(_shape(" ".join(miss.text.lower().split())), []).append(miss)
    ranked = sorted(groups.items(), key=lambda item: -len(item[1]))[:top]
    return [
        {
            "text_shape": shape,
            "count": len(group),
            "examples": [
                {"doc": m.doc_id, "text": m.text, "gold": m.value, "context": m.context}
                for m in group[:examples]
            ],
        }
        for shape, group in ranked
    ]


def score(pairs: Iterable[tuple[Document, Sequence[Prediction]]], errors: int = 8) -> dict[str, Any]:
    """Scores over all documents and per sub-corpus, with the most frequent value errors and misses."""
    overall = Tally()
    corpora: dict[str, Tally] = {}
    for document, predictions in pairs:
        overall.add(document, predictions)
        corpora.setdefault(document.corpus, Tally()).add(document, predictions)
    return {
        "all": overall.summary(),
        "corpora": {name: corpora[name].summary() for name in sorted(corpora)},
        "value_errors": value_errors(overall.misses, errors),
        "missed_dates": missed_dates(overall.missed, errors),
    }


def evaluate(data: Path = DATA, limit: int | None = None, errors: int = 8) -> dict[str, Any]:
    """Load, tag every document with newsfold and score (what the command line and the gate run)."""
    documents, skipped = load(data, limit)
    start = time.perf_counter()
    predictions = [run_tagger(d) for d in documents]
    seconds = time.perf_counter() - start
    result = score(zip(documents, predictions, strict=True), errors)
    result["data"] = str(data)
    result["skipped_duplicates"] = skipped
    result["documents_without_dct"] = [d.doc_id for d in documents if d.dct is None]
    result["docs_per_s"] = round(len(documents) / seconds, 1) if seconds else 0.0
    return result


def _print(result: dict[str, Any]) -> None:
    total = result["all"]
    print(
        f"TempEval-3 train: {total['documents']} documents, {total['gold_dates']} gold DATE timexes; "
        f"newsfold {total['predictions']} predictions, {total['other_type']} of them on a gold "
        f"TIME/DURATION/SET (left out of precision); {result['docs_per_s']} docs/s"
    )
    if result["skipped_duplicates"]:
        print(f"skipped (DOCID already read): {', '.join(result['skipped_duplicates'])}")
    print(
        f"{'corpus':<10}{'docs':>5}{'gold':>6}{'pred':>6}{'other':>6}"
        f"{'strict P':>10}{'R':>7}{'F1':>7}{'lenient P':>11}{'R':>7}{'F1':>7}{'value':>8}{'concrete':>10}"
    )
    rows = {"all": total} | result["corpora"]
    for name, s in rows.items():
        st, le = s["strict"], s["lenient"]
        print(
            f"{name:<10}{s['documents']:>5}{s['gold_dates']:>6}{s['predictions']:>6}{s['other_type']:>6}"
            f"{st['precision']:>10.3f}{st['recall']:>7.3f}{st['f1']:>7.3f}"
            f"{le['precision']:>11.3f}{le['recall']:>7.3f}{le['f1']:>7.3f}"
            f"{s['value_accuracy']:>8.3f}{s['concrete_value_accuracy']:>10.3f}"
        )
    print(
        f"value accuracy: {total['value_correct']}/{total['valued']} predictions on a gold DATE; "
        f"concrete gold values {total['concrete_correct']}/{total['concrete_valued']}"
    )
    kinds = ", ".join(
        f"{kind} {k['correct']}/{k['n']}" for kind, k in total["value_accuracy_by_gold_kind"].items()
    )
    print(f"by gold value kind: {kinds}")
    if total["offset_mismatches"]:
        print(f"WARNING: {total['offset_mismatches']} predictions whose text is not text[start:end]")
    if result["documents_without_dct"]:
        print(f"documents without a creation date: {', '.join(result['documents_without_dct'])}")
    if result["value_errors"]:
        print("most frequent value errors (gold shape → predicted shape):")
    for group in result["value_errors"]:
        examples = "; ".join(
            f"{e['text']!r} {e['gold']} vs {e['predicted']}"
            + (f" (gold span {e['gold_text']!r})" if e["gold_text"] != e["text"] else "")
            for e in group["examples"]
        )
        print(f"  {group['count']:>4}  {group['gold_shape']} → {group['predicted_shape']}: {examples}")
    if result["missed_dates"]:
        print("most frequent missed gold DATEs (text shape: gold value, context):")
    for group in result["missed_dates"]:
        examples = "; ".join(f"{e['gold']} «{e['context']}»" for e in group["examples"])
        print(f"  {group['count']:>4}  {group['text_shape']!r}: {examples}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="a folder of .tml files (or one file)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents in path order")
    parser.add_argument(
        "--errors", type=int, default=8, help="how many value-error and missed-date groups to show"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = evaluate(args.data, args.limit, args.errors)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return
    _print(result)


if __name__ == "__main__":
    main()
