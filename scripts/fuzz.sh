#!/usr/bin/env bash
# Fuzzes PoisonLab's parsers of outside input with libFuzzer under ASan + UBSan (clang; Debian's
# clang and libclang-rt-14-dev). Builds tests/fuzz/ into build-fuzz/, then runs each target (or
# TARGET) for SECONDS (default 600) on a copy of its seed corpus, one job per core.
#   ./scripts/fuzz.sh                    every target, 10 minutes each
#   ./scripts/fuzz.sh fuzz_npy 120       one target, 2 minutes
# A crash leaves its input in build-fuzz/crashes/<target>/ and fails the script: fix the parser,
# then copy the input into tests/fuzz/regressions/<target>/ so CI replays it from then on.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
target="${1:-all}"
seconds="${2:-600}"
for pkg in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || {
    echo "fuzz.sh: installing $pkg"; apt-get install -y -qq "$pkg" >/dev/null; }
done
out="$ROOT/build-fuzz"
cmake -S "$ROOT/tests/fuzz" -B "$out" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$out" --parallel "$JOBS"
targets=()
if [ "$target" = all ]; then
  for f in "$ROOT"/tests/fuzz/fuzz_*.cpp; do targets+=("$(basename "$f" .cpp)"); done
else
  targets=("$target")
fi
status=0
for t in "${targets[@]}"; do
  work="$out/corpus/$t"; crashes="$out/crashes/$t"
  mkdir -p "$work" "$crashes"
  cp -n "$ROOT/tests/fuzz/corpus/$t"/* "$work"/ 2>/dev/null || true
  echo "== $t: $seconds s"
  # -rss_limit_mb: a hostile header must not make a parser allocate gigabytes.
  # LSAN_OPTIONS: leaks inside third-party libraries, each explained in tests/fuzz/lsan.supp.
  if ! ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" \
       LSAN_OPTIONS="suppressions=$ROOT/tests/fuzz/lsan.supp:print_suppressions=0" \
       "$out/$t" "$work" "$ROOT/tests/fuzz/regressions/$t" -max_total_time="$seconds" -rss_limit_mb=2048 \
       -timeout=10 -artifact_prefix="$crashes/" -print_final_stats=1 2>"$out/$t.log"; then
    echo "!! $t found a problem: see $out/$t.log and $crashes/"; status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov:" "$out/$t.log" | tail -3 || true
done
exit "$status"
