#!/usr/bin/env python3
"""Recomputes every metric of PoisonLab evaluation records from their files alone (numpy only).

Usage: recompute_metrics.py [--ties MODE] RECORD_DIR_OR_RUN_DIR [...]

A record is results/embeddings/<model>/ of a run directory (layout: docs/run-directory.md):
images.npy, captions.npy, index.json and metrics.json. Given a run directory, every record under
results/embeddings/ is checked. For each record the script rebuilds the similarity matrix, the
retrieval ranks (by sorting, not by PoisonLab's counting), each goal's queries and targets (from the
classes in index.json), the random-caption baseline (from the seed, re-implementing poisonlab::Rng),
and compares every number with metrics.json exactly. Exit status 0 when everything agrees, 1 with
one line per disagreement otherwise, 2 for unreadable input.

Ties (docs/metrics.md, "Ties"): ranks follow the record's eval_options.ties ("optimistic" when
absent): optimistic counts strictly higher scores, pessimistic every other item scoring higher or
equal; each direction and goal also reports "tied", the queries whose rank the two differ on.
--ties MODE recomputes in another mode and prints the figures as JSON instead of comparing:
MODE is optimistic, pessimistic, or argsort (the paper code's order: np.argsort(scores)[::-1],
numpy's default sort, whose order among equal scores is arbitrary; it lies between the two).

This file is independent of PoisonLab's code: it doubles as the worked example of the
run-directory documentation.
"""
import json
import os
import sys

import numpy as np

MASK = (1 << 64) - 1


class Rng:
    """poisonlab::Rng: xoshiro256** seeded by SplitMix64; below(n) by rejection sampling."""

    def __init__(self, seed):
        x = seed & MASK
        self.s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & MASK
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            self.s.append(z ^ (z >> 31))

    @staticmethod
    def _rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & MASK

    def next(self):
        s = self.s
        result = (self._rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = self._rotl(s[3], 45)
        return result

    def below(self, n):
        limit = MASK - MASK % n
        while True:
            x = self.next()
            if x < limit:
                return x % n


def baseline_rows(candidates, count, seed):
    """`count` rows drawn without replacement by a partial Fisher-Yates shuffle, in draw order."""
    pool = list(candidates)
    if len(pool) < count:
        raise ValueError(f"the baseline needs {count} captions but only {len(pool)} are candidates")
    rng = Rng(seed)
    for i in range(count):
        j = i + rng.below(len(pool) - i)
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:count]


def rank_by_sorting(scores, wanted, ties):
    """0-based rank of the best of the `wanted` items (indices) among `scores` (1-d), found by
    sorting and binary search: the number of strictly higher scores (optimistic), or of items
    other than the wanted ones at the best score scoring higher or equal (pessimistic); argsort:
    the first position of a wanted item in np.argsort(scores)[::-1], as the paper's code ranks.
    Returns (rank, tied): tied when another item scores exactly the best wanted score."""
    wanted = np.unique(np.asarray(wanted))
    best = scores[wanted].max()
    ascending = np.sort(scores)
    higher = len(scores) - int(np.searchsorted(ascending, best, side="right"))
    equal = int(np.searchsorted(ascending, best, side="right") - np.searchsorted(ascending, best, side="left"))
    others = equal - int((scores[wanted] == best).sum())
    if ties == "pessimistic":
        rank = higher + others
    elif ties == "argsort":
        order = np.argsort(scores)[::-1]
        rank = int(np.nonzero(np.isin(order, wanted))[0][0])
    else:
        rank = higher
    return rank, others > 0


def median(values):
    v = sorted(values)
    n = len(v)
    return float(v[n // 2]) if n % 2 else (float(v[n // 2 - 1]) + float(v[n // 2])) / 2.0


def recall(ranks, tied):
    n = len(ranks)
    return {
        "tied": int(sum(tied)),
        "r1": sum(1 for r in ranks if r < 1) / n,
        "r5": sum(1 for r in ranks if r < 5) / n,
        "r10": sum(1 for r in ranks if r < 10) / n,
        "mean_rank": float(sum(r + 1 for r in ranks)) / n,
        "median_rank": median(ranks) + 1.0,
        "queries": n,
    }


def rank_summary(ranked, ks):
    ranks = [r for r, _ in ranked]
    n = len(ranks)
    out = {"queries": n, "tied": sum(1 for _, t in ranked if t)}
    for k in ks:
        out[f"hit@{k}"] = sum(1 for r in ranks if r < k) / n
    out["minrank_mean"] = float(sum(ranks)) / n
    out["minrank_median"] = median(ranks)
    out["minrank_min"] = min(ranks)
    out["minrank_max"] = max(ranks)
    return out


def min_ranks(S, query_rows, target_cols, ties):
    return [rank_by_sorting(S[q], target_cols, ties) for q in query_rows]


def recompute(record, ties=None):
    index = json.load(open(os.path.join(record, "index.json")))
    metrics = json.load(open(os.path.join(record, "metrics.json")))
    images = np.load(os.path.join(record, "images.npy"))
    captions = np.load(os.path.join(record, "captions.npy"))
    assert images.dtype == np.float32 and captions.dtype == np.float32
    assert images.shape[0] == len(index["images"]) and captions.shape[0] == len(index["captions"])
    opts = index["eval_options"]
    recorded = opts.get("ties", "optimistic")
    ties = ties or recorded
    S = captions @ images.T  # captions x images, float32, as PoisonLab computes it

    image_row = np.array([c["image_row"] for c in index["captions"]])
    # Image retrieval: each caption's rank of its own image.
    img = [rank_by_sorting(S[c], [image_row[c]], ties) for c in range(S.shape[0])]
    # Text retrieval: each image's best rank among its own captions.
    txt = [rank_by_sorting(S[:, i], np.nonzero(image_row == i)[0], ties) for i in range(S.shape[1])]
    txt = recall([r for r, _ in txt], [t for _, t in txt])
    img = recall([r for r, _ in img], [t for _, t in img])
    utility = {
        "text_retrieval": txt,
        "image_retrieval": img,
        "r_mean": (txt["r1"] + txt["r5"] + txt["r10"] + img["r1"] + img["r5"] + img["r10"]) / 6.0,
    }

    caption_class = [c["class"] for c in index["captions"]]
    image_class = [im["class"] for im in index["images"]]
    attacks = []
    for goal in index["goals"]:
        source = goal["source"]
        # Targets: the one target image (Attack I) or every gallery image of the target classes.
        if goal["target_image_row"] >= 0:
            targets = [goal["target_image_row"]]
            result_image = index["images"][goal["target_image_row"]]["image"]
        else:
            targets = [i for i, k in enumerate(image_class) if k in goal["targets"]]
        assert targets == sorted(goal["target_rows"]), goal["name"]
        candidates = [r for r, k in enumerate(caption_class)
                      if k != source or not opts["baselineExcludesSourceClass"]]
        result = {"name": goal["name"], "source_class": source, "target_classes": goal["targets"],
                  "query_split": goal["query_split"]}
        if goal["target_image_row"] >= 0:
            result["target_image"] = result_image
        if goal["query_rows"] is None:  # queries from another split: not in captions.npy
            count = goal["query_count"]
            result["attack"] = None
        else:
            queries = [r for r, k in enumerate(caption_class) if k == source]
            assert queries == goal["query_rows"], goal["name"]
            count = len(queries)
            result["attack"] = rank_summary(min_ranks(S, queries, targets, ties), opts["hitKs"])
        base = baseline_rows(candidates, count, opts["baselineSeed"])
        assert base == goal["baseline_rows"], goal["name"]
        result["baseline"] = rank_summary(min_ranks(S, base, targets, ties), opts["hitKs"])
        attacks.append(result)
    recomputed = {"split": index["split"], "gallery_images": images.shape[0], "captions": captions.shape[0],
                  "utility": utility, "attacks": attacks}
    if "ties" in metrics:
        recomputed["ties"] = ties
    elif ties == recorded:  # a record from before the option: no tie counts to compare
        strip_tied(recomputed)
    return metrics, recomputed, recorded


def strip_tied(doc):
    if isinstance(doc, dict):
        doc.pop("tied", None)
        for value in doc.values():
            strip_tied(value)
    elif isinstance(doc, list):
        for value in doc:
            strip_tied(value)


def compare(expected, got, where, problems, covered):
    """Every value of `got` must equal the one at the same place in `expected` exactly."""
    covered.add(where)
    if isinstance(got, dict):
        for key, value in got.items():
            if value is None:
                continue
            if key not in expected:
                problems.append(f"{where}.{key}: missing from metrics.json")
            else:
                compare(expected[key], value, f"{where}.{key}", problems, covered)
    elif isinstance(got, list):
        if len(got) != len(expected):
            problems.append(f"{where}: {len(expected)} entries in metrics.json, {len(got)} recomputed")
        for i, (e, g) in enumerate(zip(expected, got)):
            compare(e, g, f"{where}[{i}]", problems, covered)
    elif expected != got:
        problems.append(f"{where}: metrics.json has {expected!r}, recomputed {got!r}")


def uncovered(expected, where, covered, problems):
    """Every number in metrics.json must have been recomputed."""
    if isinstance(expected, dict):
        for key, value in expected.items():
            uncovered(value, f"{where}.{key}", covered, problems)
    elif isinstance(expected, list):
        for i, value in enumerate(expected):
            uncovered(value, f"{where}[{i}]", covered, problems)
    elif isinstance(expected, (int, float)) and not isinstance(expected, bool) and where not in covered:
        problems.append(f"{where}: in metrics.json but not recomputed")


def records_of(path):
    if os.path.exists(os.path.join(path, "index.json")):
        return [path]
    root = os.path.join(path, "results", "embeddings")
    if not os.path.isdir(root):
        raise FileNotFoundError(f"{path}: neither a record (no index.json) nor a run with results/embeddings/")
    return [os.path.join(root, d) for d in sorted(os.listdir(root))]


def main(argv):
    ties = None
    if len(argv) > 2 and argv[1] == "--ties":
        ties = argv[2]
        argv = argv[:1] + argv[3:]
        if ties not in ("optimistic", "pessimistic", "argsort"):
            print(f"recompute_metrics: --ties {ties!r}: must be optimistic, pessimistic or argsort", file=sys.stderr)
            return 2
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    problems, checked = [], 0
    try:
        for arg in argv[1:]:
            for record in records_of(arg):
                metrics, recomputed, recorded = recompute(record, ties)
                if ties is not None and ties != recorded:  # another mode: figures, no comparison
                    recomputed["ties"] = ties
                    print(json.dumps({"record": record, "metrics": recomputed}))
                    checked += 1
                    continue
                covered = set()
                compare(metrics, recomputed, record, problems, covered)
                uncovered(metrics, record, covered, problems)
                checked += 1
    except (OSError, KeyError, ValueError, AssertionError) as e:
        print(f"recompute_metrics: cannot check: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    for p in problems:
        print(p)
    print(f"{checked} record(s) checked, {len(problems)} disagreement(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
