#!/usr/bin/python3
"""The straightforward numpy version of bench_metrics: the paper code's itm_eval (argsort per
row, np.where for the rank) for utility, and argsort per query row for MinRank/Hit@K, on the
matrix and index files bench_metrics wrote. Prints one JSON line with the seconds and metrics.

    /usr/bin/python3 bench/metrics_peer.py DIR
"""
import json
import sys
import time

import numpy as np


def recall(ranks):
    ranks = np.asarray(ranks, dtype=np.float64)
    return {"r1": float(np.mean(ranks < 1)), "r5": float(np.mean(ranks < 5)), "r10": float(np.mean(ranks < 10)),
            "mean_rank": float(np.mean(ranks + 1)), "median_rank": float(np.median(ranks) + 1)}


def hits(minranks):
    m = np.asarray(minranks)
    out = {"hit@%d" % k: float(np.mean(m < k)) for k in (1, 5, 10, 20, 50)}
    out.update({"minrank_mean": float(np.mean(m)), "minrank_median": float(np.median(m)),
                "minrank_min": int(m.min()), "minrank_max": int(m.max())})
    return out


def metrics(sims, caption_image, queries, targets, baseline_rows):
    scores_t2i = sims                    # captions x images
    scores_i2t = sims.T                  # images x captions (a view, as the paper code's matrix)
    img2txt = [[] for _ in range(sims.shape[1])]
    for c, i in enumerate(caption_image):
        img2txt[i].append(c)
    # Images -> text (paper code: best rank among the image's captions)
    ranks = np.zeros(scores_i2t.shape[0])
    for index, score in enumerate(scores_i2t):
        inds = np.argsort(score)[::-1]
        rank = 1e20
        for i in img2txt[index]:
            tmp = np.where(inds == i)[0][0]
            if tmp < rank:
                rank = tmp
        ranks[index] = rank
    text = recall(ranks)
    # Text -> images
    ranks = np.zeros(scores_t2i.shape[0])
    for index, score in enumerate(scores_t2i):
        inds = np.argsort(score)[::-1]
        ranks[index] = np.where(inds == caption_image[index])[0][0]
    image = recall(ranks)
    target_set = np.zeros(sims.shape[1], dtype=bool)
    target_set[targets] = True

    def minranks(rows):
        out = []
        for r in rows:
            inds = np.argsort(sims[r])[::-1]
            out.append(int(np.where(target_set[inds])[0][0]))
        return out

    return {"text_retrieval": text, "image_retrieval": image,
            "attack": hits(minranks(queries)), "baseline": hits(minranks(baseline_rows))}


def main():
    d = sys.argv[1]
    sims = np.load(d + "/sims.npy")
    index = json.load(open(d + "/index.json"))
    t0, c0 = time.perf_counter(), time.process_time()
    m = metrics(sims, index["caption_image"], index["queries"], index["targets"], index["baseline_rows"])
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "captions": sims.shape[0], "images": sims.shape[1], "metrics": m}))


if __name__ == "__main__":
    main()
