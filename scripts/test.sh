#!/usr/bin/env bash
# Installs what is missing, builds and runs every test with CTest.
#   ./scripts/test.sh               all tests
#   ./scripts/test.sh --sanitize    the same, built with AddressSanitizer + UBSan (build-asan/)
#   ./scripts/test.sh --tsan        unit and UI tests under ThreadSanitizer (build-tsan/; no slow
#                                   tests, benchmarks or fuzz replays; scripts/tsan.supp);
#                                   POISONLAB_TSAN_TESTS='tst_a|tst_b' builds and runs only those
#   ./scripts/test.sh -L unit       extra arguments go to ctest
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

extra=()
sanitize=0
tsan=0
for arg in "$@"; do
  case "$arg" in
    --sanitize) sanitize=1 ;;
    --tsan) tsan=1 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
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
elif [ "$tsan" = 1 ]; then
  BUILD_DIR="${POISONLAB_BUILD_DIR:-$ROOT/build-tsan}"
  # Only the two test runners and what they load (plugins, poisonlab-cli): the instrumented
  # compiles are slow, and the GUI executable, slow tests and fuzz replays are not run here.
  POISONLAB_BUILD_TARGETS="poisonlab-unit-tests poisonlab-ui-tests tsan-canary" \
    poisonlab_build -DPOISONLAB_TSAN=ON -DPOISONLAB_WITH_GUI=ON -DPOISONLAB_WITH_BENCH=OFF \
    -DPOISONLAB_TEST_ONLY="${POISONLAB_TSAN_TESTS:-}"
  # halt_on_error=0: every race of a test is printed; the test still fails (exit code 66).
  # die_after_fork=0: QProcess (tests that run poisonlab-cli) starts the child with a vfork-like
  # clone(CLONE_VM) that shares the parent's memory, so TSan's fork hook marks the parent itself as
  # forked, and its next thread start would die ("starting new threads after multi-threaded fork").
  # The child only execs; nothing is checked less.
  export TSAN_OPTIONS="suppressions=$ROOT/scripts/tsan.supp:second_deadlock_stack=1:halt_on_error=0:die_after_fork=0:${TSAN_OPTIONS:-}"
  # LibTorch's intra-op pool (OpenMP, libgomp) and OpenBLAS's threads synchronise through
  # futexes and spin loops in uninstrumented code, which TSan cannot see: with one thread each
  # they start no threads, and our own threads (job runner, loaders, thumbnails, logging) are
  # what is checked. (Tests that want a count set it themselves, e.g. torch::set_num_threads(1).)
  export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
  # Benchmarks (timing only) and the fuzz replays (single-threaded parsers) are left out.
  extra=(-L 'unit|ui' -E '_replay$|benchmark' "${extra[@]}")
else
  poisonlab_build -DPOISONLAB_WITH_GUI=ON
fi

cd "$BUILD_DIR"
ctest --output-on-failure --parallel "$JOBS" "${extra[@]}"
