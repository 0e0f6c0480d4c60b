#!/usr/bin/env bash
# Takes the workbench screenshots in docs/images/ (docs/workbench.md shows them): each step of
# the flow on the demo data, the Train step mid-training, and Results with one run and with the
# clean and attacked runs compared. Offscreen (no display needed); --xvfb uses Xvfb instead.
# Makes the demo data, the demo CLIP and the demo runs first when they are missing (the runs take
# a few minutes once: `poisonlab-cli demo`).
#   ./scripts/screenshots.sh [--xvfb] [--out DIR]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

out="$ROOT/docs/images"
xvfb=0
while [ $# -gt 0 ]; do
  case "$1" in
    --xvfb) xvfb=1; shift ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "screenshots.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out="$(cd "$out" && pwd)"
GUI="$BUILD_DIR/bin/poisonlab"
CLI="$BUILD_DIR/bin/poisonlab-cli"
[ -x "$GUI" ] && [ -x "$CLI" ] || { echo "screenshots.sh: build first (./scripts/run.sh or ./scripts/test.sh)" >&2; exit 2; }

DATA_DIR="${POISONLAB_DEMO_DIR:-$ROOT/demo-data}"
for kind in pascal coco web; do
  size=()
  [ "$kind" = web ] && size=(--images 8000)
  "$CLI" demo-data --kind "$kind" --out "$DATA_DIR/$kind" "${size[@]}" --if-outdated
done
"$CLI" demo --data "$DATA_DIR" --model-only >/dev/null
runs="$DATA_DIR/runs"
if [ ! -f "$runs/demo-attack2/results/final.json" ] || [ ! -f "$runs/demo-clean/results/final.json" ]; then
  "$CLI" demo --data "$DATA_DIR" --out "$runs"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work" # --train writes its run under ./runs
shoot() { # NAME ARGS...: one screenshot of the workbench on the demo PASCAL data
  local name="$1"; shift
  local cmd=("$GUI" --dataset "$DATA_DIR/pascal" --format pascal-sentences "$@" --screenshot "$out/$name.png")
  if [ "$xvfb" = 1 ]; then
    xvfb-run -a -s "-screen 0 1600x1000x24" "${cmd[@]}"
  else
    QT_QPA_PLATFORM=offscreen "${cmd[@]}"
  fi 2> >(grep -v -e propagateSizeHints -e XDG_RUNTIME_DIR >&2)
}
shoot step-data --panel data
shoot step-attack --panel attack
shoot step-train --train --screenshot-delay 30
shoot step-results --run "$runs/demo-attack2"
shoot step-compare --run "$runs/demo-clean" --run "$runs/demo-attack2"
shoot workbench-run --run "$runs/demo-attack2" --panel data
# The analysis views on the demo's Attack II run beside its clean reference (found as the
# finished clean sibling demo-clean); each computes what the run lacks, so give them time.
for view in retrieval:retrieval-explorer embeddingMap:embedding-map distances:distance-density \
            embeddingShift:embedding-shift classPairs:class-pair-grid; do
  shoot "${view#*:}" --run "$runs/demo-attack2" --panel "${view%%:*}" --screenshot-delay 20
done
# The Defense tab reads best on a run that has been defended: the first one under runs/ with a
# post-training record (Distances › Apply, then Defense › Start, make one), else demo-attack2.
defended="$(dirname "$(find "$runs" -path '*/results/defense/posttrain.json' 2>/dev/null | head -1)" 2>/dev/null || true)"
defended="${defended%/results/defense}"
[ -n "$defended" ] && [ -d "$defended" ] || defended="$runs/demo-attack2"
shoot defense-panel --run "$defended" --panel defense --screenshot-delay 10
echo "screenshots in $out: the steps (step-*.png), workbench-run.png and the analysis views"
