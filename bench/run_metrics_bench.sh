#!/usr/bin/env bash
# Retrieval + attack metrics on a 25,000 x 5,000 similarity matrix: bench_metrics (rank counting)
# beside bench/metrics_peer.py (numpy, the paper code's argsort per row) on the same matrix.
# Prints both figures, the ratio, and whether the metrics agree.
#
#   bench/run_metrics_bench.sh [BUILD_DIR] [--threads N] [--repeat N]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
[[ $# -gt 0 ]] && shift
threads=1 repeat=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bin="$build/bin/bench_metrics"
[[ -x "$bin" ]] || { echo "no $bin; build the bench_metrics target first" >&2; exit 2; }
python=/usr/bin/python3 # has numpy; the pyenv python3 on PATH may not
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

ours=$("$bin" --out "$work" --threads "$threads" --repeat "$repeat")
peer=$("$python" "$here/metrics_peer.py" "$work")
"$python" - "$ours" "$peer" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
ma, mb = a["metrics"], b["metrics"]
pairs = []
for d in ("text_retrieval", "image_retrieval"):
    for k in ("r1", "r5", "r10", "mean_rank", "median_rank"):
        pairs.append((d + "." + k, ma["utility"][d][k], mb[d][k]))
for d in ("attack", "baseline"):
    for k in ("hit@1", "hit@5", "hit@10", "hit@20", "hit@50", "minrank_mean", "minrank_median", "minrank_min", "minrank_max"):
        pairs.append((d + "." + k, ma["attack"][d][k], mb[d][k]))
bad = [(n, x, y) for n, x, y in pairs if abs(x - y) > 1e-9]
print("matrix: %d captions x %d images, %d thread(s)" % (a["captions"], a["images"], a["threads"]))
print("%-38s %10s %10s" % ("implementation", "wall s", "cpu s"))
print("%-38s %10.3f %10.3f" % ("poisonlab (rank counting, best of %d)" % a["repeat"], a["seconds"], a["cpu_seconds"]))
print("%-38s %10.3f %10.3f" % ("numpy (argsort per row)", b["seconds"], b["cpu_seconds"]))
print("ratio (numpy / poisonlab): %.1fx wall, %.1fx cpu" % (b["seconds"] / a["seconds"], b["cpu_seconds"] / a["cpu_seconds"]))
print("metrics agree: %s" % ("yes" if not bad else "NO " + str(bad[:5])))
print("R@10 text/image %.4f/%.4f, attack Hit@10 %.3f, baseline Hit@10 %.3f" % (
    ma["utility"]["text_retrieval"]["r10"], ma["utility"]["image_retrieval"]["r10"],
    ma["attack"]["attack"]["hit@10"], ma["attack"]["baseline"]["hit@10"]))
sys.exit(1 if bad else 0)
PY
