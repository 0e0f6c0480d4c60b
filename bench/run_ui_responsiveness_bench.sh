#!/usr/bin/env bash
# The workbench's responsiveness while it trains: bench_ui_responsiveness opens the workbench on
# the demo data (offscreen unless a display is set), starts the demo fine-tune (demo-attack2) from
# the Train step's controller and, for SECONDS of training, measures how late a 5 ms timer on the
# GUI thread fires while the pair browser scrolls. Prints p50/p95/p99/max lateness against the
# target (p99 <= 50 ms) and the load average. Needs the demo data and the demo CLIP (./scripts/run.sh
# makes both). There is no external peer: the figure is set against the target.
#
#   bench/run_ui_responsiveness_bench.sh [BUILD_DIR] [--seconds N]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
[[ $# -gt 0 ]] && shift
seconds=60
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bin="$build/bin/bench_ui_responsiveness"
[[ -x "$bin" ]] || { echo "no $bin; build the bench_ui_responsiveness target first" >&2; exit 2; }
data="${POISONLAB_DEMO_DIR:-$here/../demo-data}"
[[ -d "$data/pascal" && -d "$data/coco" ]] || { echo "no demo data in $data; run ./scripts/run.sh once" >&2; exit 2; }
model="$("$build/bin/poisonlab-cli" demo --data "$data" --model-only)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" "$bin" --data "$data" --model "$model" --out "$work/run" \
  --seconds "$seconds" 2> >(grep -v propagateSizeHints >&2)
