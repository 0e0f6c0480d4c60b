#!/usr/bin/python3
"""scikit-learn's Barnes-Hut t-SNE on the rows bench_tsne wrote (DIR/x.npy), with the same
perplexity, iterations, angle, random initialisation (sd 1e-4) and learning rate "auto". Prints one
JSON line: wall and CPU seconds, scikit-learn's final KL divergence, and (with --ours) the KL of
bench_tsne's layout DIR/ours.npy measured by scikit-learn's own Barnes-Hut objective on its own P,
so both layouts are scored by one yardstick.

    /usr/bin/python3 bench/tsne_peer.py DIR [--perplexity 30] [--iterations 1000] [--angle 0.5] [--ours]
"""
import argparse
import json
import time

import numpy as np
import sklearn
from sklearn.manifold import TSNE
from sklearn.manifold import _t_sne
from sklearn.neighbors import NearestNeighbors


def sklearn_p(x, perplexity):
    """P exactly as TSNE._fit builds it for method="barnes_hut"."""
    k = min(x.shape[0] - 1, int(3.0 * perplexity + 1))
    d = NearestNeighbors(n_neighbors=k, metric="euclidean").fit(x).kneighbors_graph(mode="distance")
    d.data **= 2
    return _t_sne._joint_probabilities_nn(d, perplexity, 0)


def kl_of_layout(p, y, angle):
    kl, _ = _t_sne._kl_divergence_bh(y.astype(np.float32).ravel(), p, 1, y.shape[0], 2, angle=angle,
                                     compute_error=True, num_threads=1)
    return float(kl)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--perplexity", type=float, default=30)
    ap.add_argument("--iterations", type=int, default=1000)
    ap.add_argument("--angle", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--ours", action="store_true")
    a = ap.parse_args()
    x = np.load(a.dir + "/x.npy")
    tsne = TSNE(n_components=2, perplexity=a.perplexity, n_iter=a.iterations, method="barnes_hut",
                angle=a.angle, init="random", learning_rate="auto", random_state=a.seed)
    t0, c0 = time.perf_counter(), time.process_time()
    y = tsne.fit_transform(x)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    np.save(a.dir + "/peer.npy", y.astype(np.float32))
    out = {"sklearn": sklearn.__version__, "rows": int(x.shape[0]), "seconds": seconds, "cpu_seconds": cpu,
           "kl_divergence": float(tsne.kl_divergence_), "iterations_run": int(tsne.n_iter_) + 1}
    if a.ours:
        p = sklearn_p(x, a.perplexity)
        out["kl_of_ours_by_sklearn"] = kl_of_layout(p, np.load(a.dir + "/ours.npy"), a.angle)
        out["kl_of_peer_by_sklearn"] = kl_of_layout(p, y, a.angle)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
