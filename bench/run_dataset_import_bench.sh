#!/usr/bin/env bash
# COCO-2014-scale import: bench_dataset_import (the coco plugin, annotations only) beside
# bench/dataset_import_peer.py (Python json.load of the same two files). Prints both times, both
# peak RSS figures and the ratios. Targets: <= 1/4 of Python's time, <= 500 MB RSS.
#
#   bench/run_dataset_import_bench.sh [BUILD_DIR] [--data DIR] [--repeat N]
# The files (~360 MB) are generated into DIR (default: a temp dir, removed afterwards).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
[[ $# -gt 0 ]] && shift
data="" repeat=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bin="$build/bin/bench_dataset_import"
[[ -x "$bin" ]] || { echo "no $bin; build bench_dataset_import and the coco plugin first" >&2; exit 2; }
python=/usr/bin/python3
if [[ -z "$data" ]]; then
  data="$(mktemp -d)"
  trap 'rm -rf "$data"' EXIT
fi
if [[ ! -f "$data/instances_train2014.json" ]]; then
  "$python" "$here/make_coco_scale.py" "$data"
fi
cat "$data"/*.json > /dev/null # both sides start with the files in the page cache

ours=$("$bin" "$data" --repeat "$repeat")
peer=$("$python" "$here/dataset_import_peer.py" "$data" --repeat "$repeat")
"$python" - "$ours" "$peer" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print("COCO-2014-scale annotations: %d images, %d captions, %d instances" % (b["images"], b["captions"], b["instances"]))
print("%-44s %9s %12s" % ("implementation", "seconds", "peak RSS MB"))
print("%-44s %9.2f %12.0f" % ("PoisonLab coco plugin (streaming, C++)", a["seconds"], a["peak_rss_mb"]))
print("%-44s %9.2f %12.0f" % ("Python json.load (peer)", b["seconds"], b["peak_rss_mb"]))
print("time ratio ours/peer: %.3f (target <= 0.25)" % (a["seconds"] / b["seconds"]))
print("RSS ratio ours/peer:  %.3f (target: ours <= 500 MB)" % (a["peak_rss_mb"] / b["peak_rss_mb"]))
ok = a["images"] == b["images"] and a["captions"] == b["captions"]
print("same images and captions: %s; images labelled: %d" % ("yes" if ok else "NO", a["labelled"]))
sys.exit(0 if ok else 1)
PY
