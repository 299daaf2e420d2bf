"""Copy-detection fingerprinting and LSH lookup: newsfold's MinHash against datasketch, same run.

Both sides get the same word 5-shingles of the same texts and the same number of permutations:

* **signatures**: newsfold's :class:`~newsfold.copies.MinHasher` (one-permutation hashing with
  optimal densification, tokens hashed in NumPy, texts in batches of the pipeline's chunk size)
  against datasketch's ``MinHash.update_batch`` (its fastest path; it is handed the shingles
  already encoded, newsfold starts from the words);
* **index**: inserting every signature and querying each once, newsfold's ``BandIndex`` against
  datasketch's ``MinHashLSH``, both at threshold 0.5;
* **accuracy**: the mean absolute error of each side's Jaccard estimate against the exact
  Jaccard of the shingle sets, over pairs of overlapping texts, so speed is not bought with error.

Texts: ECB+ dev articles from ``../shared`` when present (read, never copied), else the bundled
demo corpus; each repetition shifts the words so repetitions are new texts.

    python bench/copies_speed.py [--articles 3000] [--num-perm 128] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from datasketch import MinHash, MinHashLSH  # noqa: E402

from harness import best_of  # noqa: E402
from newsfold.config import Settings  # noqa: E402
from newsfold.copies import BandIndex, MinHasher  # noqa: E402
from newsfold.copies.fingerprints import SHINGLE_WORDS, estimated_jaccard  # noqa: E402
from newsfold.model import normalise_text  # noqa: E402

BATCH = Settings().batch_size
ECBPLUS = ROOT.parent / "shared" / "data" / "ecbplus" / "ecbplus_dev.jsonl"


def texts(count: int) -> list[list[str]]:
    """``count`` token lists: real articles, repeated with every word suffixed per repetition."""
    if ECBPLUS.exists():
        bases = [
            json.loads(line)["text"] for line in ECBPLUS.read_text(encoding="utf-8").splitlines() if line
        ]
    else:
        corpus = ROOT / "src" / "newsfold" / "demo" / "corpus"
        bases = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(corpus.glob("*.txt"))]
    tokenised = [normalise_text(t).split() for t in bases if len(t.split()) >= 20]
    out: list[list[str]] = []
    repetition = 0
    while len(out) < count:
        for tokens in tokenised:
            out.append(tokens if repetition == 0 else [f"{w}{repetition}" for w in tokens])
            if len(out) == count:
                break
        repetition += 1
    return out


def shingles(tokens: list[str]) -> list[str]:
    width = min(SHINGLE_WORDS, len(tokens))
    return [" ".join(tokens[i : i + width]) for i in range(len(tokens) - width + 1)]


def run(count: int, num_perm: int) -> dict[str, Any]:
    docs = texts(count)
    encoded = [[s.encode("utf-8") for s in shingles(tokens)] for tokens in docs]

    def newsfold_signatures() -> list[Any]:
        hasher = MinHasher(num_perm)  # fresh each run: no help from earlier runs
        # in chunks of the pipeline's batch size, as ingestion computes them
        out: list[Any] = []
        for start in range(0, len(docs), BATCH):
            out.extend(hasher.shingle_signatures(docs[start : start + BATCH]))
        return out

    def datasketch_signatures() -> list[MinHash]:
        out = []
        for items in encoded:
            m = MinHash(num_perm=num_perm)
            m.update_batch(items)
            out.append(m)
        return out

    newsfold_signatures()  # warm-up (imports, allocator)
    ours_s, ours = best_of(3, newsfold_signatures)
    theirs_s, theirs = best_of(3, datasketch_signatures)

    def newsfold_index() -> int:
        index = BandIndex(0.5, num_perm)
        for key, signature in enumerate(ours):
            index.insert(str(key), signature)
        return sum(len(index.query(signature)) for signature in ours)

    def datasketch_index() -> int:
        lsh = MinHashLSH(threshold=0.5, num_perm=num_perm)
        for key, m in enumerate(theirs):
            lsh.insert(str(key), m)
        return sum(len(lsh.query(m)) for m in theirs)

    ours_i, _ = best_of(3, newsfold_index)
    theirs_i, _ = best_of(3, datasketch_index)

    rng = random.Random(5)
    errors_ours, errors_theirs = [], []
    for _ in range(300):
        tokens = rng.choice(docs)
        cut = rng.randint(len(tokens) // 4, len(tokens))
        left, right = tokens, tokens[: cut // 2] + rng.sample(tokens, k=len(tokens) // 3) + tokens[cut:]
        a, b = set(shingles(left)), set(shingles(right))
        exact = len(a & b) / len(a | b)
        hasher = MinHasher(num_perm)
        errors_ours.append(
            abs(
                estimated_jaccard(
                    hasher.signature(hasher.shingle_hashes(left)),
                    hasher.signature(hasher.shingle_hashes(right)),
                )
                - exact
            )
        )
        ma, mb = MinHash(num_perm=num_perm), MinHash(num_perm=num_perm)
        ma.update_batch([s.encode() for s in a])
        mb.update_batch([s.encode() for s in b])
        errors_theirs.append(abs(ma.jaccard(mb) - exact))

    return {
        "articles": count,
        "num_perm": num_perm,
        "signatures_per_s": {"newsfold": round(count / ours_s), "datasketch": round(count / theirs_s)},
        "signature_ratio": round(theirs_s / ours_s, 2),
        "index_ops_per_s": {"newsfold": round(2 * count / ours_i), "datasketch": round(2 * count / theirs_i)},
        "index_ratio": round(theirs_i / ours_i, 2),
        "end_to_end_ratio": round((theirs_s + theirs_i) / (ours_s + ours_i), 2),
        "jaccard_mean_abs_error": {
            "newsfold": round(sum(errors_ours) / len(errors_ours), 4),
            "datasketch": round(sum(errors_theirs) / len(errors_theirs), 4),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--num-perm", type=int, default=128)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.articles, args.num_perm)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['articles']} articles, {result['num_perm']} permutations, word {SHINGLE_WORDS}-shingles")
    print(f"{'':<24}{'newsfold':>12}{'datasketch':>12}{'ratio':>8}")
    s, i = result["signatures_per_s"], result["index_ops_per_s"]
    print(f"{'signatures / s':<24}{s['newsfold']:>12}{s['datasketch']:>12}{result['signature_ratio']:>7}×")
    print(f"{'LSH insert+query / s':<24}{i['newsfold']:>12}{i['datasketch']:>12}{result['index_ratio']:>7}×")
    print(f"{'end to end':<24}{'':>24}{result['end_to_end_ratio']:>7}×")
    e = result["jaccard_mean_abs_error"]
    print(f"{'Jaccard mean abs error':<24}{e['newsfold']:>12}{e['datasketch']:>12}")


if __name__ == "__main__":
    main()
