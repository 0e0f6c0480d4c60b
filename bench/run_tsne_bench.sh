#!/usr/bin/env bash
# Barnes-Hut t-SNE of 30,000 CLIP-like 512-D embeddings (5,000 images + 25,000 captions, see
# bench/bench_tsne.cpp), perplexity 30, 1,000 iterations, angle 0.5: bench_tsne beside
# bench/tsne_peer.py (scikit-learn's TSNE(method="barnes_hut", init="random",
# learning_rate="auto")) on the same rows. Prints both wall times, the ratio, both final KL
# divergences, and both layouts' KL by scikit-learn's own objective; exits 1 when ours is not
# faster or its KL is more than 5% above scikit-learn's (a lower KL is a closer fit, not a miss).
#
#   bench/run_tsne_bench.sh [BUILD_DIR] [--threads N] [--images N] [--iterations N] [--keep DIR]
# --threads sets LibTorch's threads for ours and OMP/OpenBLAS threads for scikit-learn (default 1).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
[[ $# -gt 0 ]] && shift
threads=1 images=5000 iterations=1000 keep=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --images) images="$2"; shift 2 ;;
    --iterations) iterations="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bin="$build/bin/bench_tsne"
[[ -x "$bin" ]] || { echo "no $bin; build the bench_tsne target first" >&2; exit 2; }
python=/usr/bin/python3 # Debian's, with python3-sklearn; the pyenv python3 on PATH may lack it
"$python" -c "import sklearn" 2>/dev/null || { echo "scikit-learn missing: apt-get install python3-sklearn" >&2; exit 2; }
if [[ -n "$keep" ]]; then work="$keep"; mkdir -p "$work"; else work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT; fi

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
ours=$("$bin" --out "$work" --threads "$threads" --images "$images" --iterations "$iterations")
peer=$(OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" \
  "$python" "$here/tsne_peer.py" "$work" --iterations "$iterations" --ours)
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
"$python" - "$ours" "$peer" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print("%d points x %d dims, perplexity %g, %d iterations, angle %g, %d thread(s)" % (
    a["rows"], a["dim"], a["perplexity"], a["iterations"], a["angle"], a["threads"]))
print("%-44s %9s %9s %10s" % ("implementation", "wall s", "cpu s", "final KL"))
print("%-44s %9.1f %9.1f %10.4f" % ("poisonlab (kNN + P: %.1f s)" % a["affinity_seconds"], a["seconds"], a["cpu_seconds"], a["kl_divergence"]))
print("%-44s %9.1f %9.1f %10.4f" % ("scikit-learn %s" % b["sklearn"], b["seconds"], b["cpu_seconds"], b["kl_divergence"]))
ratio = b["seconds"] / a["seconds"]
kl_gap = (a["kl_divergence"] - b["kl_divergence"]) / b["kl_divergence"]
print("ratio (scikit-learn / poisonlab): %.2fx wall, %.2fx cpu" % (ratio, b["cpu_seconds"] / a["cpu_seconds"]))
print("KL: ours %+.2f%% vs scikit-learn's; by scikit-learn's objective on its own P: ours %.4f, scikit-learn %.4f" % (
    100 * kl_gap, b["kl_of_ours_by_sklearn"], b["kl_of_peer_by_sklearn"]))
ok = ratio > 1 and kl_gap <= 0.05
print("goal (faster, KL at most 5%% above): %s" % ("met" if ok else "NOT met"))
sys.exit(0 if ok else 1)
PY
