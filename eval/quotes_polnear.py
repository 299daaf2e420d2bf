"""Direct quotes and their speakers on PolNeAR: newsfold's quote finder against gold attributions.

``../shared/data/polnear/{train,dev}/`` holds US election news of 2016 (``text/NAME.txt``) with
brat standoff attributions (``attributions/NAME_ANNOTATOR.ann``): each attribution event (``E``
line, type ``Attribution`` or ``Attribution-no-source``) ties a Cue to one or two Content spans
(``Content``, ``Content2``) and, unless it is ``-no-source``, a Source span; spans may be
discontinuous (``start end;start end``).  Offsets are Python character offsets into the text file.
Two dev articles (and some train ones) were annotated by several annotators; the annotation file
whose name sorts first is used, so every article counts once.

**What counts as a gold direct quote.**  Paraphrase is not a quote; what newsfold must find is
quotation-marked material that the gold attributes to someone:

1. Quotation marks are double quotes only: straight ``"`` and curly ``“ ”``.  Single quotes are
   not read (they are mostly apostrophes; in this corpus they quote only inside double quotes and
   in some headlines).  Marks are paired within one paragraph (a line of the text): a mark's
   direction comes from its neighbours (space or start before and a word after opens; a word
   before and space, punctuation or the end after closes), its glyph deciding only when the
   neighbours do not (``“`` opens, ``”`` closes, ``"`` closes an open quote or opens one).  A quote
   nested in a quote belongs to the outer one; a quote still open at the end of its paragraph
   runs to the end of the paragraph (the convention for a quote continued in the next paragraph,
   and for pasted excerpts that open each paragraph with a mark); a close with nothing open is
   ignored.  Each outermost pair gives a *quoted region*: the characters between the marks.
2. For each gold attribution, its *quoted sub-spans* are the quoted regions clipped to each
   fragment of each of its Content spans.  Marks are paired over the paragraph, not inside the
   Content span, so a Content span whose edges leave the marks out (``“We will win,” he said``
   annotated as ``We will win``) still gives its quote, and a Content span that paraphrases and
   then quotes a phrase (``said she would “keep it under wraps.”``) gives just the quoted phrase:
   partial quotes count as direct quotes.
3. Every span, gold and predicted, is trimmed of surrounding whitespace, punctuation and quote
   marks (``We will win,`` and ``We will win`` are the same quote); a sub-span left without a
   letter or digit is dropped.  The rest are the *gold quotes*, each with its attribution's Source
   (possibly none).  Quoted regions that lie in no Content span (scare quotes, titles, a quote the
   annotators missed) are not gold quotes, so predicting them costs precision.

**Quote detection.**  Within one article, a predicted quote (``QuoteMention.start``–``end``,
trimmed the same way) *matches* a gold quote when their overlap is at least half the shorter of
the two; matching is one-to-one, largest overlap first.  Precision is matched predictions over
predictions, recall matched gold quotes over gold quotes, F1 their harmonic mean.  *Exact* numbers
count only predictions whose trimmed span equals a gold quote's trimmed span.

**Speaker attribution**, over matched quotes whose gold attribution has a Source.  A predicted
speaker (a ``speaker`` name or a ``speaker_start``–``end`` mention) is *correct* when

* the predicted mention span overlaps (by one character or more) the gold Source span, or
* the resolved ``speaker`` name's last token equals, case-insensitively, the last token of the
  gold Source text or of one of its comma- or parenthesis-separated parts (possessive ``'s`` and
  punctuation stripped): ``Edi Rama`` is right for a Source ``Edi Rama`` or ``Prime Minister Edi
  Rama`` or ``the prime minister, Edi Rama``; a Source ``he`` (the gold gives no coreference) is
  judged by span overlap only.

Speaker *accuracy* is correct over matched quotes with a gold Source; speaker *precision* is
correct over those of them that have a predicted speaker; speaker *recall* is correct over all gold
quotes with a gold Source.  Gold quotes of ``Attribution-no-source`` events are counted for
detection and reported, but never in a speaker number.

Beside newsfold, the ``quote_marks`` baseline predicts every quoted region of the text (rule 1),
without speakers: the detection score of quotation marks alone.

    python -m eval.quotes_polnear [--split dev|train|all] [--limit N] [--errors N] [--no-baselines] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import string
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from eval._common import SHARED_DATA, require
from eval.metrics import precision_recall_f1

DATA = SHARED_DATA / "polnear"
SPLITS = ("dev", "train")
MIN_OVERLAP = 0.5
"""A prediction matches a gold quote when they share at least this share of the shorter one."""

Span = tuple[int, int]

_DOUBLE_QUOTES = '"“”'
_TRIM = string.whitespace + string.punctuation + "“”‘’«»…—–"
_OPEN_BEFORE = "([{—–-/"
_CLOSE_AFTER = string.punctuation + "…—–"
_ALNUM = re.compile(r"\w")
_TEXT_BOUND = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t")
_EVENT = re.compile(r"^(E\d+)\t(\S+)")
_PAREN = re.compile(r"\([^)]*\)")
_PARTS = re.compile(r"[,;:]")
_POSSESSIVE = re.compile(r"['’]s$")


# ---------------------------------------------------------------- gold


@dataclass(frozen=True)
class Attribution:
    """One gold attribution event: its spans as fragments (a discontinuous span has several)."""

    id: str
    source: tuple[Span, ...]
    cue: tuple[Span, ...]
    content: tuple[Span, ...]


@dataclass(frozen=True)
class GoldQuote:
    """A quoted sub-span of an attribution's Content (trimmed), with that attribution's Source."""

    start: int
    end: int
    attribution: str
    source: tuple[Span, ...]
    source_text: str
    marks_in_content: bool = True
    """The quote's marks lie inside its Content span (False: the span's edges cut them off)."""


@dataclass
class Document:
    name: str
    text: str
    annotation: str
    """The annotation file used (an article annotated several times counts once)."""
    attributions: list[Attribution]
    gold: list[GoldQuote] = field(default_factory=list)


def parse_brat(ann: str) -> list[Attribution]:
    """Attribution events of a brat ``.ann`` text, in file order.

    Text-bound lines (``T``) give spans; event lines (``E``) of type ``Attribution`` or
    ``Attribution-no-source`` tie them together by role (``Source``, ``Cue``, ``Content``,
    ``Content2``; a trailing digit is a second argument of the same role).  Notes (``#``), other
    span types (``Discard``, ``Discuss``) and the continuation lines of span texts that cross a
    newline are ignored: spans are read from their offsets, never from the text brat stores.
    """
    spans: dict[str, tuple[Span, ...]] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for line in ann.splitlines():
        if match := _TEXT_BOUND.match(line):
            fragments = tuple(
                (int(a), int(b)) for a, b in (part.split() for part in match.group(3).split(";"))
            )
            spans[match.group(1)] = fragments
        elif (match := _EVENT.match(line)) and match.group(2).split(":")[0].startswith("Attribution"):
            arguments = [tuple(arg.split(":", 1)) for arg in line.split("\t", 1)[1].split()[1:] if ":" in arg]
            events.append((match.group(1), [(role.rstrip("0123456789"), ref) for role, ref in arguments]))
    attributions = []
    for event_id, arguments in events:
        roles: dict[str, list[Span]] = {"Source": [], "Cue": [], "Content": []}
        for role, ref in arguments:
            if role in roles and ref in spans:
                roles[role].extend(spans[ref])
        attributions.append(
            Attribution(
                event_id,
                tuple(sorted(roles["Source"])),
                tuple(sorted(roles["Cue"])),
                tuple(sorted(roles["Content"])),
            )
        )
    return attributions


def quote_regions(text: str) -> list[Span]:
    """The outermost double-quoted regions of ``text`` (between the marks), paired per paragraph."""
    regions: list[Span] = []
    offset = 0
    for line in text.split("\n"):
        depth, start = 0, 0
        for i, char in enumerate(line):
            if char not in _DOUBLE_QUOTES:
                continue
            before = line[i - 1] if i else " "
            after = line[i + 1] if i + 1 < len(line) else " "
            opens = (before.isspace() or before in _OPEN_BEFORE) and not after.isspace()
            closes = not before.isspace() and (after.isspace() or after in _CLOSE_AFTER)
            if opens == closes:  # the neighbours do not tell: the glyph does
                opens = char == "“" or (char == '"' and depth == 0)
            if opens:
                if depth == 0:
                    start = i + 1
                depth += 1
            elif depth:
                depth -= 1
                if depth == 0:
                    regions.append((offset + start, offset + i))
        if depth:
            regions.append((offset + start, offset + len(line)))
        offset += len(line) + 1
    return regions


def trim(text: str, start: int, end: int) -> Span:
    """``start``–``end`` without surrounding whitespace, punctuation and quote marks."""
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def gold_quotes(text: str, attributions: Iterable[Attribution]) -> list[GoldQuote]:
    """The gold direct quotes of an article (see the module docstring), in text order."""
    regions = quote_regions(text)
    found: dict[Span, GoldQuote] = {}
    for attribution in attributions:
        source_text = " ".join(text[a:b] for a, b in attribution.source)
        for s, e in regions:
            pieces = sorted((max(a, s), min(b, e)) for a, b in attribution.content if a < e and s < b)
            if not pieces:
                continue
            # the pieces of one quote that a discontinuous Content split (often sentence by sentence)
            closing = e < len(text) and text[e] in _DOUBLE_QUOTES  # else open to the paragraph's end
            inside = _covers(attribution.content, s - 1) and (not closing or _covers(attribution.content, e))
            merged = [pieces[0]]
            for start, end in pieces[1:]:
                if _ALNUM.search(text[merged[-1][1] : start]):
                    merged.append((start, end))
                else:
                    merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            for piece in merged:
                start, end = trim(text, *piece)
                if _ALNUM.search(text[start:end]):
                    found.setdefault(
                        (start, end),
                        GoldQuote(start, end, attribution.id, attribution.source, source_text, inside),
                    )
    return sorted(found.values(), key=lambda q: (q.start, q.end))


def _covers(fragments: Iterable[Span], position: int) -> bool:
    return any(a <= position < b for a, b in fragments)


def annotation_files(split: str) -> list[tuple[Path, Path]]:
    """(text, annotation) per article of ``split``, by name; the first annotation when several."""
    folder = require(DATA / split)
    chosen: dict[str, Path] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        chosen.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    return [(folder / "text" / f"{name}.txt", ann) for name, ann in sorted(chosen.items())]


def load(split: str, limit: int | None = None) -> list[Document]:
    """The first ``limit`` articles of ``split`` (by file name) with their gold quotes."""
    documents = []
    files = annotation_files(split)
    for text_path, ann_path in files[:limit] if limit else files:
        text = text_path.read_text(encoding="utf-8")
        attributions = parse_brat(ann_path.read_text(encoding="utf-8"))
        documents.append(
            Document(text_path.stem, text, ann_path.name, attributions, gold_quotes(text, attributions))
        )
    return documents


# ---------------------------------------------------------------- predictions and scoring


class Mention(Protocol):
    """What the scorer reads of a prediction (``newsfold.synthesis.quotes.QuoteMention`` fits)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def speaker(self) -> str | None: ...
    @property
    def speaker_start(self) -> int | None: ...
    @property
    def speaker_end(self) -> int | None: ...


@dataclass(frozen=True)
class Prediction:
    """A plain prediction, for baselines and tests."""

    start: int
    end: int
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match(gold: Sequence[Span], predicted: Sequence[Span]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs overlapping by ≥ half the shorter, largest first."""
    candidates = []
    for g, gold_span in enumerate(gold):
        for p, predicted_span in enumerate(predicted):
            shared = _overlap(gold_span, predicted_span)
            shorter = min(gold_span[1] - gold_span[0], predicted_span[1] - predicted_span[0])
            if shared and shared >= MIN_OVERLAP * shorter:
                candidates.append((-shared, g, p))
    pairs, used_gold, used_predicted = [], set(), set()
    for _, g, p in sorted(candidates):
        if g not in used_gold and p not in used_predicted:
            pairs.append((g, p))
            used_gold.add(g)
            used_predicted.add(p)
    return sorted(pairs)


def _tokens_last(text: str) -> str | None:
    words = [_POSSESSIVE.sub("", w.strip(_TRIM)) for w in text.split()]
    words = [w.lower() for w in words if w]
    return words[-1] if words else None


def _source_last_tokens(source_text: str) -> set[str]:
    """Last tokens of the Source text and of each of its comma- or parenthesis-separated parts."""
    parts = [source_text, *_PARTS.split(_PAREN.sub(",", source_text)), *_PAREN.findall(source_text)]
    return {token for part in parts if (token := _tokens_last(part.strip("()")))}


def speaker_correct(prediction: Mention, quote: GoldQuote) -> bool:
    """The speaker rule of the module docstring (False when the gold has no Source)."""
    if not quote.source:
        return False
    if prediction.speaker_start is not None and prediction.speaker_end is not None:
        mention = (prediction.speaker_start, prediction.speaker_end)
        if any(_overlap(mention, fragment) for fragment in quote.source):
            return True
    if prediction.speaker:
        last = _tokens_last(prediction.speaker)
        return last is not None and last in _source_last_tokens(quote.source_text)
    return False


def _has_speaker(prediction: Mention) -> bool:
    return prediction.speaker is not None or prediction.speaker_start is not None


def _prf(hits_predicted: int, predicted: int, hits_gold: int, gold: int) -> dict[str, Any]:
    counts: dict[str, Any] = {"matched": hits_gold, "predicted": predicted, "gold": gold}
    return counts | precision_recall_f1(hits_predicted, predicted, hits_gold, gold)


def _snippet(text: str, start: int, end: int, width: int = 160) -> str:
    piece = " ".join(text[start:end].split())
    return piece if len(piece) <= width else piece[: width - 1] + "…"


def score(
    documents: Sequence[Document], predictions: Sequence[Sequence[Mention]], *, errors: int = 0
) -> dict[str, Any]:
    """Detection (overlap and exact), speaker numbers and up to ``errors`` examples of each mistake."""
    gold_total = predicted_total = matched = exact = 0
    with_source = matched_with_source = with_speaker = correct = 0
    examples: dict[str, list[dict[str, Any]]] = {
        "missed": [],
        "spurious": [],
        "wrong_speaker": [],
        "no_speaker": [],
    }

    def keep(kind: str, item: dict[str, Any]) -> None:
        if len(examples[kind]) < errors:
            examples[kind].append(item)

    for document, found in zip(documents, predictions, strict=True):
        text, gold = document.text, document.gold
        spans = [trim(text, p.start, p.end) for p in found]
        gold_spans = [(q.start, q.end) for q in gold]
        pairs = match(gold_spans, spans)
        gold_total += len(gold)
        predicted_total += len(found)
        matched += len(pairs)
        exact += len(set(gold_spans) & set(spans))
        with_source += sum(1 for q in gold if q.source)
        matched_gold = {g for g, _ in pairs}
        matched_predicted = {p for _, p in pairs}
        for g, quote in enumerate(gold):
            if g not in matched_gold:
                source = quote.source_text or "(no source)"
                keep(
                    "missed",
                    {"doc": document.name, "quote": _snippet(text, *gold_spans[g]), "source": source},
                )
        for p, span in enumerate(spans):
            if p not in matched_predicted:
                keep("spurious", {"doc": document.name, "quote": _snippet(text, *span)})
        for g, p in pairs:
            quote, prediction = gold[g], found[p]
            if not quote.source:
                continue
            matched_with_source += 1
            item = {"doc": document.name, "quote": _snippet(text, *gold_spans[g]), "gold": quote.source_text}
            if not _has_speaker(prediction):
                keep("no_speaker", item)
                continue
            with_speaker += 1
            if speaker_correct(prediction, quote):
                correct += 1
                continue
            mention = None
            if prediction.speaker_start is not None and prediction.speaker_end is not None:
                mention = text[prediction.speaker_start : prediction.speaker_end]
            keep("wrong_speaker", item | {"predicted": prediction.speaker, "mention": mention})
    result: dict[str, Any] = {
        "quotes": _prf(matched, predicted_total, matched, gold_total),
        "exact": _prf(exact, predicted_total, exact, gold_total),
        "speaker": {
            "gold_with_source": with_source,
            "matched_with_source": matched_with_source,
            "predicted": with_speaker,
            "correct": correct,
            "accuracy": round(correct / matched_with_source, 4) if matched_with_source else 0.0,
            "precision": round(correct / with_speaker, 4) if with_speaker else 0.0,
            "recall": round(correct / with_source, 4) if with_source else 0.0,
        },
    }
    if errors:
        result["errors"] = examples
    return result


def gold_counts(documents: Sequence[Document]) -> dict[str, int]:
    """How much gold there is, and how often the data needed the rules of the module docstring."""
    return {
        "documents": len(documents),
        "attributions": sum(len(d.attributions) for d in documents),
        "attributions_quoting": sum(len({q.attribution for q in d.gold}) for d in documents),
        "gold_quotes": sum(len(d.gold) for d in documents),
        "gold_quotes_without_source": sum(1 for d in documents for q in d.gold if not q.source),
        "gold_quotes_marks_outside_content": sum(
            1 for d in documents for q in d.gold if not q.marks_in_content
        ),
        "quoted_regions": sum(len(quote_regions(d.text)) for d in documents),
    }


# ---------------------------------------------------------------- systems


def newsfold_quotes(text: str) -> list[Mention]:
    """newsfold's quote finder (imported here, so this module loads without it)."""
    from newsfold.synthesis.quotes import find_quotes

    return list(find_quotes(text))


def quote_marks(text: str) -> list[Mention]:
    """Baseline: every quoted region is a quote, without a speaker."""
    return [Prediction(s, e) for s, e in quote_regions(text)]


def run_system(
    system: Callable[[str], list[Mention]], documents: Sequence[Document], errors: int = 0
) -> dict[str, Any]:
    start = time.perf_counter()
    predictions = [system(d.text) for d in documents]
    seconds = time.perf_counter() - start
    return score(documents, predictions, errors=errors) | {
        "docs_per_s": round(len(documents) / seconds, 1) if seconds else None
    }


def evaluate(
    split: str = "dev", limit: int | None = None, *, errors: int = 0, baselines: bool = True
) -> dict[str, Any]:
    """Gold counts and every system's scores on the first ``limit`` articles of ``split``."""
    documents = load(split, limit)
    systems = {"newsfold": run_system(newsfold_quotes, documents, errors)}
    if baselines:
        systems["quote_marks"] = run_system(quote_marks, documents)
    return {"split": split, "gold": gold_counts(documents), "systems": systems}


# ---------------------------------------------------------------- report


def report(result: dict[str, Any]) -> None:
    gold = result["gold"]
    print(
        f"PolNeAR {result['split']}: {gold['documents']} articles, {gold['attributions']} attributions, "
        f"{gold['attributions_quoting']} quoting; {gold['gold_quotes']} gold quotes "
        f"({gold['gold_quotes_without_source']} without a source, {gold['gold_quotes_marks_outside_content']} "
        f"with marks outside the Content span); {gold['quoted_regions']} quoted regions in the text"
    )
    print(
        f"{'system':<13}{'P':>7}{'R':>7}{'F1':>7}{'exact F1':>10}"
        f"{'spk acc':>9}{'spk P':>7}{'spk R':>7}{'docs/s':>9}  counts"
    )
    for name, s in result["systems"].items():
        q, x, k = s["quotes"], s["exact"], s["speaker"]
        speaker = (
            f"{k['accuracy']:9.3f}{k['precision']:7.3f}{k['recall']:7.3f}"
            if k["predicted"]
            else f"{'—':>9}{'—':>7}{'—':>7}"
        )
        print(
            f"{name:<13}{q['precision']:7.3f}{q['recall']:7.3f}{q['f1']:7.3f}{x['f1']:10.3f}{speaker}"
            f"{s['docs_per_s'] or 0:9.1f}  {q['matched']} matched of {q['predicted']} predicted, "
            f"{q['gold']} gold; {x['matched']} exact; speaker {k['correct']} right of {k['predicted']} "
            f"given, {k['matched_with_source']} matched with a gold source, {k['gold_with_source']} gold"
        )
    for name, s in result["systems"].items():
        for kind, items in s.get("errors", {}).items():
            if items:
                print(f"\n{name}, {kind.replace('_', ' ')}:")
            for item in items:
                doc, quote = item["doc"], item["quote"]
                rest = {k: v for k, v in item.items() if k not in ("doc", "quote")}
                detail = "  ".join(f"{k}: {v!r}" for k, v in rest.items())
                print(f"  [{doc}] “{quote}”" + (f"\n      {detail}" if detail else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="dev")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles (by file name)")
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="show N examples of each mistake")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    splits = SPLITS if args.split == "all" else (args.split,)
    results = [
        evaluate(split, args.limit, errors=args.errors, baselines=not args.no_baselines) for split in splits
    ]
    if args.json:
        print(json.dumps(results[0] if len(results) == 1 else results, indent=2, ensure_ascii=False))
        return
    for number, result in enumerate(results):
        if number:
            print()
        report(result)


if __name__ == "__main__":
    main()
