#!/usr/bin/env python3
"""Peer of bench_dataset_import: Python's json.load of the same COCO annotation files (what the
paper's preprocessing and pycocotools do). Prints {"seconds": best of N, "peak_rss_mb": ...}.

    dataset_import_peer.py DIR [--repeat N]"""
import argparse
import json
import os
import resource
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    files = [os.path.join(args.dir, n) for n in ("captions_train2014.json", "instances_train2014.json")]
    best = float("inf")
    counts = {}
    for _ in range(args.repeat):
        t = time.perf_counter()
        docs = []
        for p in files:
            with open(p) as f:
                docs.append(json.load(f))
        best = min(best, time.perf_counter() - t)
        counts = {"images": len(docs[0]["images"]), "captions": len(docs[0]["annotations"]),
                  "instances": len(docs[1]["annotations"])}
        del docs
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps({"seconds": best, "peak_rss_mb": rss_mb, **counts}))


if __name__ == "__main__":
    main()
