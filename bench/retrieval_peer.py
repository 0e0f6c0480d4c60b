#!/usr/bin/python3
"""PyTorch/numpy peer of bench_retrieval: the same typed queries answered in Python on the same
gallery. The text tower is OpenAI's CLIP as written out in clip_train_step_peer.py, loaded from
the run's final.safetensors (parsed here: 8-byte header length, JSON header, raw float32); each
query's token ids (from bench_retrieval, PoisonLab's tokenizer) are embedded, L2-normalised,
scored against images.npy with numpy, and the top K taken with argsort (stable, by score). The
latency counted per query is the same span as ours minus tokenisation. Prints one JSON line.

    /usr/bin/python3 bench/retrieval_peer.py DIR   (DIR: bench_retrieval --out DIR)
"""
import json
import os
import struct
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clip_train_step_peer import CLIP  # noqa: E402


def load_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        assert t["dtype"] == "F32", (name, t["dtype"])
        a, b = t["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype="<f4").copy().reshape(t["shape"]))
    return out


def main():
    work = sys.argv[1]
    with open(os.path.join(work, "queries.json")) as f:
        spec = json.load(f)
    with open(spec["model_file"] + ".json") as f:
        cfg = json.load(f)["config"]
    model = CLIP(**cfg)
    model.load_state_dict(load_safetensors(spec["model_file"]))
    model.eval()
    images = np.load(os.path.join(spec["record"], "images.npy"))
    ours = np.load(os.path.join(work, "queries.npy"))
    L, k = cfg["context_length"], spec["k"]
    times, same_top, max_diff = [], 0, 0.0
    with torch.no_grad():
        for qi, q in enumerate(spec["queries"]):
            tokens = torch.zeros(1, L, dtype=torch.long)
            tokens[0, : len(q["ids"])] = torch.tensor(q["ids"][:L])
            best = 1e300
            for _ in range(5):
                t = time.perf_counter()
                e = model.encode_text(tokens)
                e = (e / e.norm(dim=-1, keepdim=True)).numpy()[0]
                scores = images @ e
                top = np.argsort(-scores, kind="stable")[:k]
                best = min(best, (time.perf_counter() - t) * 1000)
            times.append(best)
            same_top += list(top) == q["top"]
            max_diff = max(max_diff, float(np.abs(e - ours[qi]).max()))
    times.sort()
    print(json.dumps({"query_ms_median": times[len(times) // 2], "query_ms_p95": times[int(0.95 * (len(times) - 1) + 0.5)],
                      "queries": len(times), "same_top_k": same_top, "max_embedding_diff": max_diff,
                      "torch_threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
