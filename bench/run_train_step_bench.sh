#!/usr/bin/env bash
# CLIP fine-tuning step: poisonlab-cli bench train-step beside its PyTorch eager peer
# (bench/clip_train_step_peer.py, python3-torch), on every bench/configs/*.json, at batch 64,
# captions of 16 tokens in a 77-token context. Prints both figures and the ratio.
#
#   bench/run_train_step_bench.sh [BUILD_DIR] [--steps N] [--threads N] [--device cpu|cuda] [--batch N]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
[[ $# -gt 0 ]] && shift
steps=5 threads=1 device=cpu batch=64 textlen=16
while [[ $# -gt 0 ]]; do
  case "$1" in
    --steps) steps="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --device) device="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
cli="$build/bin/poisonlab-cli"
[[ -x "$cli" ]] || { echo "no $cli; build poisonlab-cli first" >&2; exit 2; }
python=/usr/bin/python3 # has python3-torch; the pyenv python3 on PATH does not

field() { "$python" -c "import json,sys; print('%.1f' % json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

printf '%-26s %8s %14s %14s %8s\n' config threads "poisonlab ms" "pytorch ms" ratio
for cfg in "$here"/configs/*.json; do
  common=(--model-config "$cfg" --batch "$batch" --steps "$steps" --text-len "$textlen" --device "$device")
  ours=$("$cli" bench train-step "${common[@]}" --threads "$threads")
  peer=$("$python" "$here/clip_train_step_peer.py" "${common[@]}" --threads "$threads")
  a=$(field "$ours" ms_per_step)
  b=$(field "$peer" ms_per_step)
  ratio=$("$python" -c "print('%.2f' % ($b / $a))")
  printf '%-26s %8s %14s %14s %7sx\n' "$(basename "$cfg" .json)" "$threads" "$a" "$b" "$ratio"
done
