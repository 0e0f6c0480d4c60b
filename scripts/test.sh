#!/usr/bin/env bash
# Installs what is missing, builds and runs every test with CTest.
#   ./scripts/test.sh               all tests
#   ./scripts/test.sh --sanitize    the same, built with AddressSanitizer + UBSan (build-asan/)
#   ./scripts/test.sh -L unit       extra arguments go to ctest
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

extra=()
sanitize=0
for arg in "$@"; do
  case "$arg" in
    --sanitize) sanitize=1 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) extra+=("$arg") ;;
  esac
done

poisonlab_bootstrap
if [ "$sanitize" = 1 ]; then
  BUILD_DIR="${POISONLAB_BUILD_DIR:-$ROOT/build-asan}"
  # Benchmarks are not tests: skipping them saves a few of the slow instrumented compiles.
  poisonlab_build -DPOISONLAB_SANITIZE=ON -DPOISONLAB_WITH_GUI=ON -DPOISONLAB_WITH_BENCH=OFF
  # LibTorch and Qt keep allocations alive until exit; leak reports from them are noise here.
  export ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}"
  export UBSAN_OPTIONS="print_stacktrace=1:${UBSAN_OPTIONS:-}"
else
  poisonlab_build -DPOISONLAB_WITH_GUI=ON
fi

cd "$BUILD_DIR"
ctest --output-on-failure --parallel "$JOBS" "${extra[@]}"
