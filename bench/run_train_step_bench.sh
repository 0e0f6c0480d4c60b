#!/usr/bin/env bash
# CLIP fine-tuning step: poisonlab-cli bench train-step beside its PyTorch eager peer
# (bench/clip_train_step_peer.py, python3-torch; bf16 through torch.autocast("cpu", bfloat16)),
# on every bench/configs/*.json, at batch 64, captions of 16 tokens in a 77-token context. Each
# line prints both step times and the ratio, the step's model FLOPs (the matrix products PoisonLab
# does: its text tower stops at the last end-of-text, see core/include/poisonlab/core/clip/ClipFlops.h),
# the achieved GFLOP/s and their share of this machine's matrix-product peak for that precision
# (`poisonlab-cli bench matmul-peak`, 2048x2048, same threads). bf16 lines add the speed-up over
# our own fp32 step.
#
#   bench/run_train_step_bench.sh [BUILD_DIR] [--steps N] [--threads N] [--device cpu|cuda] [--batch N]
#                                 [--precisions "fp32 bf16"]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
[[ $# -gt 0 ]] && shift
steps=5 threads=1 device=cpu batch=64 textlen=16 precisions="fp32 bf16"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --steps) steps="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --device) device="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --precisions) precisions="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
cli="$build/bin/poisonlab-cli"
[[ -x "$cli" ]] || { echo "no $cli; build poisonlab-cli first" >&2; exit 2; }
python=/usr/bin/python3 # has python3-torch; the pyenv python3 on PATH does not

field() { "$python" -c "import json,sys; print('%.1f' % json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A peak
if [[ "$device" == cpu ]]; then
  for p in $precisions; do
    peak[$p]=$(field "$("$cli" bench matmul-peak --precision "$p" --threads "$threads")" gflops)
    echo "matmul peak, $p, $threads thread(s): ${peak[$p]} GFLOP/s"
  done
fi
printf '%-16s %4s %7s %13s %13s %7s %9s %9s %7s %9s\n' config prec threads "poisonlab ms" "pytorch ms" ratio \
  "GFLOP/st" "GFLOP/s" "%peak" "vs fp32"
for cfg in "$here"/configs/*.json; do
  fp32ms=""
  for p in $precisions; do
    common=(--model-config "$cfg" --batch "$batch" --steps "$steps" --text-len "$textlen" --device "$device"
            --precision "$p")
    ours=$("$cli" bench train-step "${common[@]}" --threads "$threads")
    peer=$(OMP_NUM_THREADS="$threads" "$python" "$here/clip_train_step_peer.py" "${common[@]}" --threads "$threads")
    a=$(field "$ours" ms_per_step)
    b=$(field "$peer" ms_per_step)
    ratio=$("$python" -c "print('%.2f' % ($b / $a))")
    gf=$(field "$ours" model_gflop_per_step)
    rate=$(field "$ours" achieved_gflops)
    share=$("$python" -c "import sys; p=sys.argv[1]; print('%.0f%%' % (100*float(sys.argv[2])/float(p)) if p else '-')" \
      "${peak[$p]:-}" "$rate")
    [[ "$p" == fp32 ]] && fp32ms="$a"
    speed=$("$python" -c "import sys; print('%.2fx' % (float(sys.argv[1])/float(sys.argv[2])) if sys.argv[1] else '-')" \
      "$fp32ms" "$a")
    printf '%-16s %4s %7s %13s %13s %6sx %9s %9s %7s %9s\n' "$(basename "$cfg" .json)" "$p" "$threads" "$a" "$b" \
      "$ratio" "$gf" "$rate" "$share" "$speed"
  done
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
