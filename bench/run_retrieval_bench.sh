#!/usr/bin/env bash
# Typed-query latency of the retrieval explorer (tokenise + embed + score + top-K against the
# cached gallery) on a run, beside bench/retrieval_peer.py (PyTorch text tower + numpy scoring on
# the same .npy gallery and the same token ids). Prints both figures, the ratio, and whether the
# top-K agree. Target: <= 100 ms per query on the demo run.
#
#   [THREADS=N] bench/run_retrieval_bench.sh [BUILD_DIR] [RUN_DIR]   (THREADS: torch threads, default 1)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
run="${2:-$here/../demo-data/runs/demo-attack2}"
threads="${THREADS:-1}"
bin="$build/bin/bench_retrieval"
[[ -x "$bin" ]] || { echo "no $bin; build the bench_retrieval target first" >&2; exit 2; }
python=/usr/bin/python3 # has torch and numpy; the pyenv python3 on PATH may not
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads"
ours=$("$bin" --run "$run" --out "$work")
peer=$("$python" "$here/retrieval_peer.py" "$work")
"$python" - "$ours" "$peer" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print("run %s (%s): %d images, %d captions in the gallery; %d typed queries, top %d; %d torch thread(s)" % (
    a["run"], a["model"], a["gallery_images"], a["gallery_captions"], a["queries"], a["k"], a["torch_threads"]))
print("gallery load (record + model, once): %.1f ms" % a["load_ms"])
print("%-44s %10s %10s" % ("implementation (best of 5 per query)", "median ms", "p95 ms"))
print("%-44s %10.3f %10.3f" % ("poisonlab (tokenise+embed+score+top-K)", a["query_ms_median"], a["query_ms_p95"]))
print("%-44s %10.3f %10.3f" % ("PyTorch+numpy (embed+score+top-K)", b["query_ms_median"], b["query_ms_p95"]))
print("ratio (peer / poisonlab): %.1fx median" % (b["query_ms_median"] / a["query_ms_median"]))
print("of which scoring + top-K alone (poisonlab): %.3f ms median" % a["scoring_ms_median"])
print("same top-K: %d of %d queries; largest embedding difference %.2g" % (b["same_top_k"], b["queries"], b["max_embedding_diff"]))
print("target <= 100 ms: %s (max %.2f ms)" % ("met" if a["query_ms_max"] <= 100 else "MISSED", a["query_ms_max"]))
sys.exit(0 if a["query_ms_max"] <= 100 else 1)
PY
