#!/usr/bin/env bash
# Installs what is missing, builds, makes the demo data if missing and launches the workbench.
#   ./scripts/run.sh              the workbench on the demo data (needs a display; uses Xvfb if none)
#   ./scripts/run.sh --headless   the demo experiment end to end, no display; prints where its output went
#   ./scripts/run.sh --headless --low-rate   the same at a paper-like poison rate (0.6%; slower)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

headless=0
demo_args=()
for arg in "$@"; do
  case "$arg" in
    --headless) headless=1 ;;
    --low-rate) demo_args+=(--low-rate) ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done
if [ "${#demo_args[@]}" -gt 0 ] && [ "$headless" = 0 ]; then
  echo "run.sh: --low-rate is an option of the headless demo: ./scripts/run.sh --headless --low-rate" >&2; exit 2
fi

if [ "$headless" = 1 ]; then
  poisonlab_bootstrap --no-gui
  [ -f "$BUILD_DIR/CMakeCache.txt" ] || POISONLAB_CONFIGURE_GUI=-DPOISONLAB_WITH_GUI=OFF
  poisonlab_build ${POISONLAB_CONFIGURE_GUI:-}
else
  poisonlab_bootstrap
  poisonlab_build -DPOISONLAB_WITH_GUI=ON
fi

DATA_DIR="${POISONLAB_DEMO_DIR:-$ROOT/demo-data}"
CLI="$BUILD_DIR/bin/poisonlab-cli"
for folder in pascal coco coco-large web; do
  # Regenerates only what is missing, incomplete or from an older version of the generator.
  # Emoji-Web: the 8,000 pairs the demo CLIP pre-trains on (demo-pretrain.json's max_images);
  # coco-large: the 18,500 clean pairs of the low-rate demo (presets *-lowrate.json).
  kind="$folder"; size=()
  [ "$folder" = web ] && size=(--images 8000)
  [ "$folder" = coco-large ] && { kind=coco; size=(--images 4200); }
  "$CLI" demo-data --kind "$kind" --out "$DATA_DIR/$folder" "${size[@]}" --if-outdated
done

if [ "$headless" = 1 ]; then
  exec "$CLI" demo --data "$DATA_DIR" "${demo_args[@]}"
fi

# The workbench starts from the pre-trained demo CLIP: made once (a few minutes), then cached.
"$CLI" demo --data "$DATA_DIR" --model-only >/dev/null

args=(--dataset "$DATA_DIR/pascal" --format pascal-sentences)
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run.sh: no display; starting the workbench under Xvfb" >&2
  exec xvfb-run -a -s "-screen 0 1600x1000x24" "$BUILD_DIR/bin/poisonlab" "${args[@]}"
fi
exec "$BUILD_DIR/bin/poisonlab" "${args[@]}"
