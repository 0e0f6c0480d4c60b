#!/usr/bin/env bash
# Takes the workbench screenshots in docs/images/ (docs/workbench.md shows them): each step of
# the flow on the demo data, the Train step mid-training, Results with one run and with the
# clean and attacked runs compared, the analysis views, and two sweeps (rate x epochs, class
# pairs). Offscreen (no display needed); --xvfb uses Xvfb instead.
# Makes the demo data, the demo CLIP, the demo runs and the sweeps first when they are missing
# (the runs take a few minutes once: `poisonlab-cli demo`, `poisonlab-cli sweep --local`).
#   ./scripts/screenshots.sh [--xvfb] [--out DIR]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

out="$ROOT/docs/images"
xvfb=0
while [ $# -gt 0 ]; do
  case "$1" in
    --xvfb) xvfb=1; shift ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
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
run_gui() { # ARGS...: the workbench, offscreen or under Xvfb
  if [ "$xvfb" = 1 ]; then
    xvfb-run -a -s "-screen 0 1600x1000x24" "$GUI" "$@"
  else
    QT_QPA_PLATFORM=offscreen "$GUI" "$@"
  fi 2> >(grep -v -e propagateSizeHints -e XDG_RUNTIME_DIR >&2)
}
shoot() { # NAME ARGS...: one screenshot of the workbench on the demo PASCAL data
  local name="$1"; shift
  run_gui --dataset "$DATA_DIR/pascal" --format pascal-sentences "$@" --screenshot "$out/$name.png"
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
# Sweeps (Results › Sweep): the demo attack against the poison rate and the epochs, and Attack II
# on every ordered pair of four classes. `sweep --local` runs the cells (about half a minute each
# on the demo data); a sweep folder already there is shown as it is.
model="$("$CLI" demo --data "$DATA_DIR" --model-only | tail -1)"
sweeps="$DATA_DIR/sweeps"
mkdir -p "$sweeps"
sweep_once() { # DIR CONFIG GRID...: make and run a sweep unless DIR holds one
  local dir="$1" config="$2"; shift 2
  [ -f "$dir/sweep.json" ] ||
    "$CLI" sweep "$config" --var data="$DATA_DIR" --var model="$model" "$@" --out "$dir" --local >/dev/null
}
sweep_once "$sweeps/rate" "$ROOT/resources/presets/demo-attack2.json" \
  --grid attack.options.rate=0.1,0.25,0.5,1 --grid training.epochs=1,3
# The goals follow each cell's attack: the config names none (the poison manifest's are measured).
cat > "$work/pairs.json" <<'JSON'
{"name": "demo-pair-sweep", "description": "Attack II on every ordered pair of four demo classes", "seed": 0,
 "datasets": {"pascal": {"format": "pascal-sentences", "root": "${data}/pascal",
                         "splits": {"method": "per-class-test", "test_per_class": 25, "seed": 0}},
              "flickr": {"format": "coco", "root": "${data}/coco", "labels": false, "max_images": 600}},
 "train": {"datasets": ["pascal", "flickr"], "split": "train"},
 "model": {"weights": "${model}"},
 "attack": {"plugin": "attack-single-target-label",
            "options": {"source": "sheep", "target": "aeroplane", "rate": 1.0, "unit": "image", "seed": 42}},
 "training": {"epochs": 2, "batchSize": 64, "learningRate": 0.00025, "warmupSteps": 20},
 "evaluation": {"dataset": "pascal", "split": "test", "every_epoch": false}}
JSON
pairs=""
for a in sheep aeroplane dog boat; do
  for b in sheep aeroplane dog boat; do [ "$a" = "$b" ] || pairs="$pairs,$a:$b"; done
done
sweep_once "$sweeps/pairs" "$work/pairs.json" --grid "attack.options.source+attack.options.target=${pairs#,}"
# A sweep needs no dataset open: the picture is taken once its cells have been read.
run_gui --sweep "$sweeps/rate" --panel sweep --screenshot "$out/sweep-rate.png"
run_gui --sweep "$sweeps/pairs" --panel sweep --screenshot "$out/sweep-class-pairs.png"
echo "screenshots in $out: the steps (step-*.png), workbench-run.png, the analysis views and the sweeps"
