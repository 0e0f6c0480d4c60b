# Shared by run.sh and test.sh: bootstrap when needed, configure and build.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${POISONLAB_BUILD_DIR:-$ROOT/build}"
JOBS="${POISONLAB_JOBS:-$(nproc)}"

poisonlab_bootstrap() {
  "$ROOT/scripts/bootstrap.sh" "$@"
}

# poisonlab_build [extra cmake args...]
# POISONLAB_BUILD_TARGETS (space-separated) builds only those targets and what they need.
poisonlab_build() {
  local generator=()
  command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
  if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release "$@"
  elif [ $# -gt 0 ]; then
    cmake "$BUILD_DIR" "$@"
  fi
  local targets=()
  for t in ${POISONLAB_BUILD_TARGETS:-}; do targets+=(--target "$t"); done
  cmake --build "$BUILD_DIR" --parallel "$JOBS" "${targets[@]}"
}
